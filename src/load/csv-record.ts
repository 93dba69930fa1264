/** A CSV row as a raw record: places and cells are worked out only when something asks. */
import type { ColumnPlan } from './csv-plan.js';
import type { Place, Problem, RawRecord } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export class CsvRecord implements RawRecord {
  readonly file: string;
  readonly place: Place;
  readonly value: unknown;
  /** Problems the loader found in this row (a ragged row): the row is rejected, not the file. */
  readonly issues: Problem[] | undefined;
  /**
   * True when the value was built by the column plan: only known fields, all text. Validation
   * then skips the schema pass, which such a value cannot fail.
   */
  readonly shaped: boolean;
  /** The cells as parsed; dropped when the value alone gives them back (see `cells`). */
  private readonly row: readonly string[] | undefined;
  private readonly plan: ColumnPlan;

  constructor(
    file: string,
    rowNumber: number,
    value: unknown,
    row: readonly string[],
    plan: ColumnPlan,
    issues?: Problem[],
  ) {
    this.file = file;
    this.place = { kind: 'csv', file, row: rowNumber };
    this.value = value;
    this.shaped = issues === undefined;
    // Keeping 100,000 row arrays alive next to their values doubles what the GC has to trace.
    this.row = issues === undefined && plan.fromValue !== undefined ? undefined : row;
    this.plan = plan;
    this.issues = issues;
  }

  locate(path: string): Place {
    const column = this.plan.columnOf.get(path);
    if (column === undefined || this.place.kind !== 'csv') return this.place;
    return { kind: 'csv', file: this.file, row: this.place.row, column };
  }

  /** The row's cells by header, as the rejects file writes them back. */
  get cells(): Record<string, string> {
    const { headers, fromValue } = this.plan;
    const row = this.row;
    const value = this.value;
    return Object.fromEntries(
      headers.map((h, i) => {
        if (row !== undefined) return [h, row[i] ?? ''];
        const path = fromValue?.[i];
        if (path === undefined || !isObject(value)) return [h, ''];
        const holder = path.kind === undefined ? value : value[path.kind];
        const cell = isObject(holder) ? holder[path.field] : undefined;
        return [h, typeof cell === 'string' ? cell : ''];
      }),
    );
  }
}

/** Record-level problems a loader attached to a record, if it is one that carries them. */
export function recordIssues(record: RawRecord): readonly Problem[] {
  return record instanceof CsvRecord && record.issues !== undefined ? record.issues : [];
}
