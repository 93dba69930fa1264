import { DEFAULT_PROVIDER, providerInfo } from '../providers/index.js';

/** The configuration file, `helcim-sync.yaml`, as the rest of the pipeline sees it. */

export const DEFAULT_CONFIG_FILE = 'helcim-sync.yaml';

export type Delimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

export function isDelimiter(value: unknown): value is Delimiter {
  return typeof value === 'string' && (DELIMITERS as readonly string[]).includes(value);
}

/**
 * What an empty cell (or an empty YAML value) means. `unmanaged`, the default, leaves the field
 * as it is in Helcim: a blank in a spreadsheet is far more often "not known here" than "erase".
 */
export type EmptyCells = 'unmanaged' | 'clear';

/** Where one field of a mapped CSV row comes from. */
export type ColumnSpec =
  | { kind: 'columns'; from: string[]; separator: string; default?: string }
  | { kind: 'value'; value: string };

export interface CsvMapping {
  name: string;
  delimiter?: Delimiter;
  /** Field path (`billingAddress.country`) to its source, in the config's order. */
  columns: [path: string, spec: ColumnSpec][];
  /**
   * Warning codes not reported for the files this mapping reads: what an export does on purpose
   * (country names, phone extensions, unmapped columns). Never errors; they are counted as silenced.
   */
  silence?: string[];
}

/**
 * The warnings a mapping may silence (`silence:` in the config; the schema's list must match).
 * Each is about how a spreadsheet writes a value, never about a record being wrong.
 */
export const SILENCEABLE_WARNINGS = [
  'country-converted',
  'phone-extension',
  'phone-converted',
  'phone-without-country',
  'invalid-phone',
  'csv-unused-columns',
  'encoding',
] as const;

export interface SourceConfig {
  /** Absolute path of a file or directory. */
  path: string;
  mapping?: string;
  delimiter?: Delimiter;
}

export interface Config {
  /** The system the customers live in: `helcim` (the default) or `payment-kit`. */
  provider: string;
  /** Whether the config file names its provider (else it is the default). */
  providerNamed?: boolean;
  /** Payment Kit's live (true) or test (false) customers; required with that provider. */
  livemode?: boolean;
  /** Absolute path of the config file read, if one was. */
  file?: string;
  /** The directory relative paths in the config are resolved from. */
  dir: string;
  sources: SourceConfig[];
  /** Dotted field path that identifies a customer (default: the provider's identity). */
  matchKey: string;
  /** Field paths that are neither read nor changed. */
  ignore: string[];
  emptyCells: EmptyCells;
  delimiter?: Delimiter;
  mappings: Map<string, CsvMapping>;
}

export function defaultConfig(dir: string, provider: string = DEFAULT_PROVIDER): Config {
  return {
    provider,
    dir,
    sources: [],
    matchKey: providerInfo(provider).fields.identity,
    ignore: [],
    emptyCells: 'unmanaged',
    mappings: new Map(),
  };
}
