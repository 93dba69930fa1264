/**
 * CSV loading with csv-parse: rows become raw records through a column plan. Parsing starts with
 * the strictest (fastest) options and relaxes only for files that need it (ragged rows, stray
 * quotes, spaces around quoted cells), so clean files pay nothing for the tolerance.
 */
import { parse } from 'csv-parse/sync';
import type { Options } from 'csv-parse/sync';
import type { CsvMapping, Delimiter, EmptyCells } from './config-types.js';
import { ERROR_COLUMN, buildValue, isBlankRow, mappedPlan, pathPlan } from './csv-plan.js';
import type { ColumnPlan } from './csv-plan.js';
import { CsvRecord } from './csv-record.js';
import { detectDelimiter } from './csv-delimiter.js';
import type { InputData } from './files.js';
import { normalizeText } from '../normalize/text.js';
import type { LoadResult, Problem, RawRecord } from './types.js';

export { CsvRecord, recordIssues } from './csv-record.js';
export { FIELD_PATHS, ERROR_COLUMN } from './csv-plan.js';

export interface CsvOptions {
  mapping?: CsvMapping;
  /** Configured delimiter; detected from the header line when absent. */
  delimiter?: Delimiter;
  emptyCells?: EmptyCells;
}

interface Attempt {
  relaxColumns: boolean;
  relaxQuotes: boolean;
}

function trimTrailingBlankLines(data: InputData): InputData {
  let end = data.length;
  if (typeof data === 'string') return data.replace(/[\r\n\t ]+$/, '');
  while (end > 0) {
    const b = data[end - 1];
    if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x09) break;
    end--;
  }
  return end === data.length ? data : data.subarray(0, end);
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

function numberField(error: unknown, name: string): number | undefined {
  if (typeof error !== 'object' || error === null || !(name in error)) return undefined;
  const value: unknown = Reflect.get(error, name);
  return typeof value === 'number' ? value : undefined;
}

/** Loads one CSV file; `file` is its name as shown in places. */
export function loadCsv(file: string, data: InputData, options: CsvOptions = {}): LoadResult {
  const body = trimTrailingBlankLines(data);
  const delimiter = options.delimiter ?? options.mapping?.delimiter ?? detectDelimiter(body);
  const keepEmpty = options.emptyCells === 'clear';
  const attempt: Attempt = { relaxColumns: false, relaxQuotes: false };
  for (;;) {
    const result = parseOnce(file, body, delimiter, options.mapping, keepEmpty, attempt);
    if (result.retry === undefined) return result.loaded;
    if (result.retry === 'columns') attempt.relaxColumns = true;
    else attempt.relaxQuotes = true;
  }
}

interface Outcome {
  loaded: LoadResult;
  retry?: 'columns' | 'quotes';
}

type Parsed = { rows: string[][]; error?: unknown };

/**
 * Parses without `on_record` (which makes csv-parse build an info object per row); only when
 * parsing fails for good is the file parsed again row by row, to keep the rows before the error.
 */
function parseRows(body: InputData, options: Options): Parsed | 'columns' | 'quotes' {
  try {
    const rows: string[][] = parse(body, options);
    return { rows };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && options.relax_column_count !== true) {
      return 'columns';
    }
    if (
      (code === 'INVALID_OPENING_QUOTE' || code === 'CSV_INVALID_CLOSING_QUOTE') &&
      options.relax_quotes !== true
    ) {
      return 'quotes';
    }
    const rows: string[][] = [];
    try {
      parse(body, {
        ...options,
        on_record: (row: string[]) => {
          rows.push(row);
          return null;
        },
      });
    } catch {
      // the same error again: the rows before it are what was wanted
    }
    return { rows, error };
  }
}

function parseOnce(
  file: string,
  body: InputData,
  delimiter: Delimiter,
  mapping: CsvMapping | undefined,
  keepEmpty: boolean,
  attempt: Attempt,
): Outcome {
  const records: RawRecord[] = [];
  const problems: Problem[] = [];
  const options: Options = { delimiter };
  if (attempt.relaxColumns) options.relax_column_count = true;
  if (attempt.relaxQuotes) {
    options.relax_quotes = true;
    options.trim = true;
  }
  const parsed = parseRows(body, options);
  if (parsed === 'columns' || parsed === 'quotes')
    return { loaded: { records, problems }, retry: parsed };
  const { rows } = parsed;
  const header = rows[0];
  const plan: ColumnPlan | undefined =
    header === undefined
      ? undefined
      : mapping === undefined
        ? pathPlan(file, header.map(normalizeText))
        : mappedPlan(file, header.map(normalizeText), mapping);
  if (plan !== undefined) {
    for (const p of plan.problems) problems.push(p);
    const width = plan.headers.length;
    for (let i = 1; i < rows.length; i++) {
      const row = rows[i];
      if (row === undefined) continue;
      // Spreadsheet numbering: the header is row 1, and a multi-line cell is still one row.
      const rowNumber = i + 1;
      if (row.length !== width) {
        if (isBlankRow(row)) continue;
        records.push(
          new CsvRecord(file, rowNumber, undefined, row, plan, [
            raggedRow(file, rowNumber, row.length, width),
          ]),
        );
        continue;
      }
      const value = buildValue(plan, row, keepEmpty);
      if (value !== undefined) records.push(new CsvRecord(file, rowNumber, value, row, plan));
    }
  }
  if (parsed.error !== undefined)
    problems.push(parseProblem(file, parsed.error, errorCode(parsed.error), plan));
  if (plan === undefined) {
    if (parsed.error === undefined)
      problems.push({
        severity: 'error',
        code: 'file-empty',
        message: 'file is empty',
        place: { kind: 'file', file },
      });
  } else if (mapping !== undefined && plan.unused.length > 0) {
    problems.push({
      severity: 'warning',
      code: 'csv-unused-columns',
      message: `mapping "${mapping.name}" reads no data from: ${plan.unused.map((h) => `"${h}"`).join(', ')}`,
      place: { kind: 'csv', file, row: 1 },
      hint: 'map them under `columns:` if they hold customer data',
    });
  }
  if (plan !== undefined && records.length === 0 && problems.length === 0) {
    problems.push({
      severity: 'warning',
      code: 'csv-no-rows',
      message: 'file has a header but no rows',
      place: { kind: 'csv', file, row: 1 },
    });
  }
  return { loaded: { records, problems } };
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

function parseProblem(
  file: string,
  error: unknown,
  code: string | undefined,
  plan: ColumnPlan | undefined,
): Problem {
  // csv-parse counts parsed records, the header included: the broken row is the next one.
  const row = (numberField(error, 'records') ?? 0) + 1;
  const index = numberField(error, 'column');
  const column = index === undefined ? undefined : plan?.headers[index];
  const place =
    column === undefined || column === ERROR_COLUMN
      ? { kind: 'csv' as const, file, row }
      : { kind: 'csv' as const, file, row, column };
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return {
      severity: 'error',
      code: 'csv-unclosed-quote',
      message: 'a quoted cell starts here and is never closed',
      place: { kind: 'csv', file, row },
      hint: 'add the closing `"`; a `"` inside a quoted cell is written twice (`""`)',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { severity: 'error', code: 'csv-syntax', message: `cannot read CSV: ${message}`, place };
}
