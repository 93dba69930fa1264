/**
 * Turning parsed rows into records, one row at a time, so that either parser can feed it as it
 * goes: the fast path hands rows over while parsing, and a row array that is not kept dies young
 * instead of surviving, with 100,000 others, into the old generation the GC must trace.
 */
import type { FieldList } from '../core/fields.js';
import type { CsvMapping } from './config-types.js';
import { buildValue, isBlankRow, mappedPlan, pathPlan } from './csv-plan.js';
import type { ColumnPlan } from './csv-plan.js';
import { CsvRecord } from './csv-record.js';
import { restoreCell } from './csv-safety.js';
import { normalizeText } from '../normalize/text.js';
import type { Problem, RawRecord } from './types.js';

const APOSTROPHE = 39;

/**
 * Files this tool writes (rejects, export) neutralise spreadsheet formulas by putting a `'`
 * before a cell that starts with `=`, `+`, `-`, `@`, a tab or a CR (csv-safety.ts). Every cell
 * read, header included, loses that one `'` again, so a written file loads back to exactly the
 * values it was written from. A person's own cell such as `'=A1` therefore reads as `=A1`, the
 * value a spreadsheet shows for it too. Only cells starting with `'` are looked at further.
 */
function restoreRow(row: string[]): void {
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    if (cell !== undefined && cell.charCodeAt(0) === APOSTROPHE) row[i] = restoreCell(cell);
  }
}

/** Hands a loader's records over a chunk at a time, as they are read. */
export interface RecordSink {
  /** Records per chunk. */
  readonly chunk: number;
  take(records: RawRecord[]): void;
}

export class RowSink {
  /** The records read and not yet handed to the sink (all of them, without one). */
  records: RawRecord[] = [];
  /** Records read in all, handed over or not. */
  total = 0;
  plan: ColumnPlan | undefined;
  /** Rows seen, the header included: the spreadsheet number of the last row. */
  private count = 0;

  constructor(
    private readonly file: string,
    private readonly mapping: CsvMapping | undefined,
    private readonly keepEmpty: boolean,
    private readonly fields: FieldList,
    private readonly sink?: RecordSink,
  ) {}

  /** Hands the records not yet handed over to the sink, if there is one. */
  flush(): void {
    if (this.sink === undefined || this.records.length === 0) return;
    const records = this.records;
    this.records = [];
    this.sink.take(records);
  }

  #push(record: RawRecord): void {
    this.records.push(record);
    this.total += 1;
    if (this.sink !== undefined && this.records.length >= this.sink.chunk) this.flush();
  }

  /** Takes one row as parsed; the row array becomes the record's, or garbage. */
  readonly add = (row: string[]): void => {
    restoreRow(row);
    // Spreadsheet numbering: the header is row 1, and a multi-line cell is still one row.
    const rowNumber = ++this.count;
    const plan = this.plan;
    if (plan === undefined) {
      const header = row.map(normalizeText);
      this.plan =
        this.mapping === undefined
          ? pathPlan(this.file, header, this.fields)
          : mappedPlan(this.file, header, this.mapping, this.fields);
      return;
    }
    const width = plan.headers.length;
    if (row.length !== width) {
      if (isBlankRow(row)) return;
      const problem = raggedRow(this.file, rowNumber, row.length, width);
      this.#push(new CsvRecord(this.file, rowNumber, undefined, row, plan, [problem]));
      return;
    }
    const value = buildValue(plan, row, this.keepEmpty);
    if (value !== undefined) this.#push(new CsvRecord(this.file, rowNumber, value, row, plan));
  };
}

function raggedRow(file: string, row: number, cells: number, width: number): Problem {
  return {
    severity: 'error',
    code: 'csv-ragged-row',
    message: `row has ${cells} cells but the header has ${width}`,
    place: { kind: 'csv', file, row },
    hint: 'a cell with a comma or line break must be quoted ("like, this")',
  };
}
