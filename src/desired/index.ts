/**
 * The desired state in one call: config, files, loading, validation and normalisation. Used by
 * `validate`, `plan` and `apply`. Returns problems instead of throwing; reads files, writes none.
 */
import { loadConfig } from '../load/config.js';
import type { Config } from '../load/config-types.js';
import { DEFAULT_CONFIG_FILE } from '../load/config-types.js';
import { discoverFiles, displayName } from '../load/files.js';
import type { InputFile } from '../load/files.js';
import { loadFiles } from '../load/index.js';
import type { Problem, RawRecord } from '../load/types.js';
import { validateRecords } from '../validate/index.js';
import type { DesiredCustomer, RejectedRecord } from '../validate/types.js';
import { attachRecordProblems, sortProblems } from './problems.js';
import { hintMappings } from './mapping-hints.js';
import { silenceWarnings } from './silence.js';

export type { DesiredCustomer, RejectedRecord } from '../validate/types.js';

export interface DesiredOptions {
  cwd: string;
  /** `--config FILE`; without it `helcim-sync.yaml` in `cwd`, if present. */
  configPath?: string;
  /** An already loaded config (the config file is then not read). */
  config?: Config;
  /** Per-file size limit, for tests. */
  maxBytes?: number;
}

export interface DesiredState {
  /** Valid customers, in input order. */
  customers: DesiredCustomer[];
  /** Every problem (config, files, records), sorted by file and position. */
  problems: Problem[];
  config: Config;
  /** Records with errors, each with its errors: what `--skip-invalid` leaves out. */
  rejected: RejectedRecord[];
  files: InputFile[];
  /**
   * Errors not tied to a single record (config, unreadable files, bad headers, broken quoting):
   * `--skip-invalid` cannot route around these, so they always fail the run.
   */
  fatal: Problem[];
  /** Warnings left out of `problems` because the file's mapping silences them. */
  silenced?: number;
}

export function loadDesiredState(paths: readonly string[], options: DesiredOptions): DesiredState {
  const loadedConfig =
    options.config === undefined
      ? loadConfig({
          cwd: options.cwd,
          ...(options.configPath === undefined ? {} : { path: options.configPath }),
        })
      : { config: options.config, problems: [] };
  const config = loadedConfig.config;
  const empty = (problems: Problem[]): DesiredState => ({
    customers: [],
    problems,
    config,
    rejected: [],
    files: [],
    fatal: problems.filter((p) => p.severity === 'error'),
  });
  if (loadedConfig.problems.some((p) => p.severity === 'error'))
    return empty(loadedConfig.problems);
  const inputs = paths.length > 0 ? [...paths] : config.sources.map((s) => s.path);
  if (inputs.length === 0) {
    const file = displayName(config.file ?? DEFAULT_CONFIG_FILE, options.cwd);
    return empty([
      ...loadedConfig.problems,
      {
        severity: 'error',
        code: 'no-input',
        message: 'no input files: give PATH arguments or list `sources:` in the config file',
        place: { kind: 'file', file },
        hint: 'e.g. "helcim-sync validate customers.yaml"',
      },
    ]);
  }
  const found = discoverFiles(inputs, {
    cwd: options.cwd,
    exclude: config.file === undefined ? [] : [config.file],
  });
  const loaded = loadFiles(found.files, {
    config,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
  const attached = attachRecordProblems(loaded.records, loaded.problems);
  const validated = validateRecords(loaded.records, config);
  const rejected = mergeRejected(validated.rejected, attached.byRecord);
  const rejectedSet = new Set(rejected.map((r) => r.record));
  const customers =
    attached.byRecord.size === 0
      ? validated.customers
      : validated.customers.filter((c) => !rejectedSet.has(c.record));
  const fatal = [...loadedConfig.problems, ...found.problems, ...attached.fileLevel].filter(
    (p) => p.severity === 'error',
  );
  hintMappings([...loaded.problems, ...validated.problems], found.files, config);
  const quiet = silenceWarnings(
    [...loadedConfig.problems, ...found.problems, ...loaded.problems, ...validated.problems],
    found.files,
    config,
  );
  const problems = sortProblems(
    quiet.problems,
    found.files.map((f) => f.name),
  );
  return {
    customers,
    problems,
    config,
    rejected,
    files: found.files,
    fatal,
    ...(quiet.silenced === 0 ? {} : { silenced: quiet.silenced }),
  };
}

function mergeRejected(
  rejected: RejectedRecord[],
  loaderProblems: Map<RawRecord, Problem[]>,
): RejectedRecord[] {
  const out = rejected.map((r) => ({
    record: r.record,
    problems: [...(loaderProblems.get(r.record) ?? []), ...r.problems],
  }));
  const known = new Set(out.map((r) => r.record));
  for (const [record, problems] of loaderProblems) {
    if (!known.has(record)) out.push({ record, problems });
  }
  return out;
}
