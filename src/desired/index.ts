/**
 * The desired state in one call: config, files, loading, validation and normalisation. Used by
 * `validate`, `plan` and `apply`. Returns problems instead of throwing; reads files, writes none.
 */
import { loadConfig } from '../load/config.js';
import type { Config } from '../load/config-types.js';
import { DEFAULT_CONFIG_FILE } from '../load/config-types.js';
import { discoverFiles, displayName } from '../load/files.js';
import type { InputFile } from '../load/files.js';
import { csvOptionsFor, loadFile, loadFiles } from '../load/index.js';
import { loadCsv } from '../load/csv.js';
import { readInput } from '../load/files.js';
import type { LoadResult, Problem, RawRecord } from '../load/types.js';
import { Validation, validateRecords } from '../validate/index.js';
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

/** Where `streamDesiredState` hands the valid customers, a chunk at a time, as files are read. */
export interface DesiredSink {
  /** Records per chunk. */
  readonly chunk: number;
  /** The config, once read: before any customer. */
  config?(config: Config): void;
  /** Valid customers, in input order (valid so far: see `StreamedState.withdrawn`). */
  customers(customers: DesiredCustomer[]): void;
}

/** The desired state after streaming: everything but the customers, which went to the sink. */
export interface StreamedState extends DesiredState {
  /**
   * Customers handed over that turned out invalid after all (the first of two records with one
   * identity, found after the first had gone), by their position among all handed over.
   */
  withdrawn: number[];
}

export function loadDesiredState(paths: readonly string[], options: DesiredOptions): DesiredState {
  return loadState(paths, options, undefined);
}

/**
 * `loadDesiredState` for a big plan: CSV files are validated and handed to `sink` a chunk at a
 * time while they are parsed, so that no more than a chunk of records and customers is alive at
 * once (100,000 of them, kept, made most of the loading time garbage collection), and whoever
 * plans can start on the first chunk while the rest loads. YAML inputs are loaded whole, as
 * before, then handed over. Problems, rejects and config are the same as `loadDesiredState`'s.
 */
export function streamDesiredState(
  paths: readonly string[],
  options: DesiredOptions,
  sink: DesiredSink,
): StreamedState {
  return loadState(paths, options, sink);
}

function loadState(
  paths: readonly string[],
  options: DesiredOptions,
  sink: DesiredSink,
): StreamedState;
function loadState(
  paths: readonly string[],
  options: DesiredOptions,
  sink: DesiredSink | undefined,
): DesiredState;
function loadState(
  paths: readonly string[],
  options: DesiredOptions,
  sink: DesiredSink | undefined,
): DesiredState | StreamedState {
  const loadedConfig =
    options.config === undefined
      ? loadConfig({
          cwd: options.cwd,
          ...(options.configPath === undefined ? {} : { path: options.configPath }),
        })
      : { config: options.config, problems: [] };
  const config = loadedConfig.config;
  sink?.config?.(config);
  const empty = (problems: Problem[]): StreamedState => ({
    customers: [],
    problems,
    config,
    rejected: [],
    files: [],
    fatal: problems.filter((p) => p.severity === 'error'),
    withdrawn: [],
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
  const streams = sink !== undefined && found.files.every((f) => f.kind === 'csv');
  let withdrawn: number[] = [];
  let loaded;
  let validated;
  if (streams) {
    const validation = new Validation(config);
    // Where each customer handed over came from (every one is a CSV row), as two numbers: what
    // the rare withdrawal below needs, without a string or an object per record.
    const fileIds = new Map<string, number>();
    const handedFile: number[] = [];
    const handedRow: number[] = [];
    const hand = (customers: DesiredCustomer[]): void => {
      for (const { place } of customers) {
        let id = fileIds.get(place.file);
        if (id === undefined) fileIds.set(place.file, (id = fileIds.size));
        handedFile.push(id);
        handedRow.push(place.kind === 'csv' ? place.row : -1);
      }
      sink.customers(customers);
    };
    const take = (records: RawRecord[]): void => {
      validation.add(records);
      const customers = validation.takeValid();
      if (customers.length > 0) hand(customers);
    };
    loaded = loadFilesInChunks(found.files, config, options.maxBytes, { chunk: sink.chunk, take });
    validated = validation.finish();
    if (validated.customers.length > 0) {
      hand(validated.customers);
      validated.customers = [];
    }
    if (validation.lostFirst) {
      // A record found invalid after its customer went (the first of a duplicate): the rare
      // case validates again from scratch. Its valid customers are those handed over, in the
      // same order, less some: the ones missing are withdrawn.
      const whole = loadState(paths, options, undefined);
      withdrawn = [];
      let next = 0;
      for (let i = 0; i < handedRow.length; i++) {
        const place = whole.customers[next]?.place;
        const same =
          place?.kind === 'csv' &&
          place.row === handedRow[i] &&
          fileIds.get(place.file) === handedFile[i];
        if (same) next++;
        else withdrawn.push(i);
      }
      return { ...whole, customers: [], withdrawn };
    }
  } else {
    loaded = loadFiles(found.files, {
      config,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
    validated = validateRecords(loaded.records, config);
  }
  const attached = attachRecordProblems(loaded.records, loaded.problems);
  const rejected = mergeRejected(validated.rejected, attached.byRecord);
  const rejectedSet = new Set(rejected.map((r) => r.record));
  let customers =
    attached.byRecord.size === 0
      ? validated.customers
      : validated.customers.filter((c) => !rejectedSet.has(c.record));
  if (sink !== undefined && !streams) {
    for (let i = 0; i < customers.length; i += sink.chunk)
      sink.customers(customers.slice(i, i + sink.chunk));
    customers = [];
  }
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
    withdrawn,
  };
}

/** `loadFiles` of CSV files, each file's records handed to `sink` a chunk at a time. */
function loadFilesInChunks(
  files: readonly InputFile[],
  config: Config,
  maxBytes: number | undefined,
  sink: { chunk: number; take(records: RawRecord[]): void },
): LoadResult {
  const problems: Problem[] = [];
  for (const file of files) {
    const read = readInput(file, maxBytes === undefined ? {} : { maxBytes });
    for (const p of read.problems) problems.push(p);
    if (read.data === undefined) continue;
    const loaded =
      file.kind === 'csv'
        ? loadCsv(file.name, read.data, csvOptionsFor(config, file.path), sink)
        : loadFile(file, read.data, config);
    for (const r of loaded.records) sink.take([r]);
    for (const p of loaded.problems) problems.push(p);
  }
  return { records: [], problems };
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
