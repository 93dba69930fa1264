/**
 * Loading: input files in, raw records and problems out. Picks the loader by file kind, and for
 * CSV the mapping and delimiter the config gives the file's source.
 */
import { providerInfo } from '../providers/index.js';
import { basename, dirname, join, sep } from 'node:path';
import type { Config, SourceConfig } from './config-types.js';
import { loadCsv } from './csv.js';
import type { CsvOptions } from './csv.js';
import { readInput } from './files.js';
import { FAILURES_SUFFIX, REJECTS_SUFFIX } from './rejects.js';
import type { InputData, InputFile } from './files.js';
import type { LoadResult, Problem, RawRecord } from './types.js';
import { loadYaml } from './yaml.js';

const ERROR_FILE_SUFFIXES = [REJECTS_SUFFIX, FAILURES_SUFFIX];

export interface LoadOptions {
  config: Config;
  maxBytes?: number;
}

/** The source a file belongs to: the one naming it, or the innermost directory holding it. */
export function sourceFor(config: Config, path: string): SourceConfig | undefined {
  const origin = rejectsOrigin(path);
  let best: SourceConfig | undefined;
  for (const source of config.sources) {
    const matches = (p: string): boolean => p === source.path || p.startsWith(source.path + sep);
    if (!matches(path) && !origin.some(matches)) continue;
    if (best === undefined || source.path.length > best.path.length) best = source;
  }
  return best;
}

/**
 * A rejects or failures file is read like the file it came from: `crm.rejects.csv` and
 * `crm.failures.csv` like `crm.csv` (its mapping; commas, as rejects.ts writes them).
 */
function rejectsOrigin(path: string): string[] {
  const name = basename(path);
  const suffix = ERROR_FILE_SUFFIXES.find((s) => name.toLowerCase().endsWith(s));
  if (suffix === undefined) return [];
  const stem = name.slice(0, -suffix.length);
  return ['.csv', '.tsv'].map((ext) => join(dirname(path), stem + ext));
}

export function csvOptionsFor(config: Config, path: string): CsvOptions {
  const source = sourceFor(config, path);
  const mapping = source?.mapping === undefined ? undefined : config.mappings.get(source.mapping);
  const options: CsvOptions = {
    emptyCells: config.emptyCells,
    fields: providerInfo(config.provider).fields,
  };
  if (mapping !== undefined) options.mapping = mapping;
  // An error file is always written with commas (rejects.ts), whatever its source's delimiter.
  const delimiter =
    rejectsOrigin(path).length > 0
      ? ','
      : (source?.delimiter ?? mapping?.delimiter ?? config.delimiter);
  if (delimiter !== undefined) options.delimiter = delimiter;
  return options;
}

export function loadFile(file: InputFile, data: InputData, config: Config): LoadResult {
  if (file.kind === 'csv') return loadCsv(file.name, data, csvOptionsFor(config, file.path));
  return loadYaml(file.name, typeof data === 'string' ? data : data.toString('utf8'), {
    identity: providerInfo(config.provider).fields.identity,
  });
}

/** Reads and loads every file, in order; a file that cannot be read adds its problem and no records. */
export function loadFiles(files: readonly InputFile[], options: LoadOptions): LoadResult {
  const records: RawRecord[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const read = readInput(
      file,
      options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes },
    );
    for (const p of read.problems) problems.push(p);
    if (read.data === undefined) continue;
    const loaded = loadFile(file, read.data, options.config);
    for (const r of loaded.records) records.push(r);
    for (const p of loaded.problems) problems.push(p);
  }
  return { records, problems };
}
