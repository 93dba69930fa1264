/** The warnings a mapping silences (`silence:` in the config), taken out of what is reported. */
import type { Config, CsvMapping } from '../load/config-types.js';
import type { InputFile } from '../load/files.js';
import { sourceFor } from '../load/index.js';
import type { Problem } from '../load/types.js';

/** The mapping a CSV file is read with, if any. */
export function mappingOf(config: Config, file: InputFile): CsvMapping | undefined {
  if (file.kind !== 'csv') return undefined;
  const name = sourceFor(config, file.path)?.mapping;
  return name === undefined ? undefined : config.mappings.get(name);
}

/**
 * The problems without the warnings their file's mapping silences, and how many those were.
 * Errors are never silenced, whatever code the list names.
 */
export function silenceWarnings(
  problems: Problem[],
  files: readonly InputFile[],
  config: Config,
): { problems: Problem[]; silenced: number } {
  const byFile = new Map<string, ReadonlySet<string>>();
  for (const file of files) {
    const silence = mappingOf(config, file)?.silence;
    if (silence !== undefined && silence.length > 0) byFile.set(file.name, new Set(silence));
  }
  if (byFile.size === 0) return { problems, silenced: 0 };
  const kept = problems.filter(
    (p) => p.severity === 'error' || byFile.get(p.place.file)?.has(p.code) !== true,
  );
  return { problems: kept, silenced: problems.length - kept.length };
}
