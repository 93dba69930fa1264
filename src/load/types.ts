/**
 * What loading produces: raw records with their places, before validation and normalisation.
 * The YAML and CSV loaders both produce these; validation turns them into desired customers or
 * problems.
 */

/** A place in an input file, for messages. Lines, columns and rows are 1-based. */
export type Place =
  | { kind: 'file'; file: string }
  | { kind: 'yaml'; file: string; line: number; column: number }
  /** `row` counts the file's rows as a spreadsheet shows them: the header is row 1. */
  | { kind: 'csv'; file: string; row: number; column?: string };

/** `customers.yaml:42:5`, `import.csv: row 17, column "Phone 1"`. */
export function formatPlace(place: Place): string {
  switch (place.kind) {
    case 'file':
      return place.file;
    case 'yaml':
      return `${place.file}:${place.line}:${place.column}`;
    case 'csv':
      return `${place.file}: row ${place.row}${place.column === undefined ? '' : `, column "${place.column}"`}`;
  }
}

/** `customers.yaml:42` or `import.csv row 17`: where a record comes from, in plans. */
export function formatSource(place: Place): string {
  switch (place.kind) {
    case 'file':
      return place.file;
    case 'yaml':
      return `${place.file}:${place.line}`;
    case 'csv':
      return `${place.file} row ${place.row}`;
  }
}

export interface RawRecord {
  file: string;
  /** Where the record starts: the `-` of a YAML list item, or the CSV row. */
  place: Place;
  /** The record as parsed: a plain object for well-formed input, anything for broken input. */
  value: unknown;
  /**
   * Locates a dotted field path inside this record (`billingAddress.country`), falling back to
   * the record's own place. May be lazy: loaders keep hot paths cheap and work out exact places
   * only when a problem needs one.
   */
  locate(path: string): Place;
  /** For CSV: the row's cells by header, so a rejects file can reproduce the input's columns. */
  cells?: Record<string, string>;
}

/** A problem found while loading or validating, with its place and, if one can be guessed, a fix. */
export interface Problem {
  severity: 'error' | 'warning';
  /** A stable, machine-readable kind, e.g. `yaml-syntax`, `unknown-field`, `duplicate-key`. */
  code: string;
  message: string;
  place: Place;
  /** Dotted path of the field concerned, when there is one. */
  path?: string;
  /** "did you mean `billingAddress`?", "use CAN for Canada". */
  hint?: string;
}

export interface LoadResult {
  records: RawRecord[];
  problems: Problem[];
}
