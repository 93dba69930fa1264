/**
 * CSV loading: rows become raw records through a column plan (csv-rows.ts). Plain, well-formed
 * files are parsed by uDSV (csv-fast.ts), four times faster; csv-parse reads everything else and
 * owns every error message. It starts with the strictest (fastest) options and relaxes only for
 * files that need it (ragged rows, stray quotes, spaces around quoted cells), so clean files pay
 * nothing for the tolerance.
 */
import type { FieldList } from '../core/fields.js';
import { DEFAULT_PROVIDER, providerInfo } from '../providers/index.js';
import { parse } from 'csv-parse/sync';
import type { Options } from 'csv-parse/sync';
import type { CsvMapping, Delimiter, EmptyCells } from './config-types.js';
import { ERROR_COLUMN } from './csv-plan.js';
import type { ColumnPlan } from './csv-plan.js';
import { detectDelimiter } from './csv-delimiter.js';
import { parsePlain } from './csv-fast.js';
import { RowSink, type RecordSink } from './csv-rows.js';
import type { InputData } from './files.js';
import type { LoadResult, Problem } from './types.js';

export { CsvRecord, recordIssues } from './csv-record.js';
export { csvFieldPaths, ERROR_COLUMN } from './csv-plan.js';

export interface CsvOptions {
  mapping?: CsvMapping;
  /** Configured delimiter; detected from the header line when absent. */
  delimiter?: Delimiter;
  emptyCells?: EmptyCells;
  /** Whose fields the columns name (default: the default provider's). */
  fields?: FieldList;
  /**
   * False reads every file with csv-parse alone. The fast path gives the same records and
   * problems (test/load/csv-fast.test.ts compares the two); this is how the test gets both.
   */
  fastPath?: boolean;
}

interface Attempt {
  relaxColumns: boolean;
  relaxQuotes: boolean;
  fast: boolean;
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

/**
 * Loads one CSV file; `file` is its name as shown in places. With a `sink`, the records go to it
 * a chunk at a time as they are read, and the result holds none: every attempt that is retried
 * fails before its first row, so the sink only ever gets the rows of the attempt that stands.
 */
export function loadCsv(
  file: string,
  data: InputData,
  options: CsvOptions = {},
  sink?: RecordSink,
): LoadResult {
  const body = trimTrailingBlankLines(data);
  const delimiter = options.delimiter ?? options.mapping?.delimiter ?? detectDelimiter(body);
  const fields = options.fields ?? providerInfo(DEFAULT_PROVIDER).fields;
  const keepEmpty = options.emptyCells === 'clear';
  const attempt: Attempt = {
    relaxColumns: false,
    relaxQuotes: false,
    fast: options.fastPath !== false,
  };
  for (;;) {
    const result = parseOnce(
      file,
      body,
      delimiter,
      options.mapping,
      keepEmpty,
      attempt,
      fields,
      sink,
    );
    if (result.retry === undefined) return result.loaded;
    if (result.retry === 'columns') attempt.relaxColumns = true;
    else attempt.relaxQuotes = true;
  }
}

interface Outcome {
  loaded: LoadResult;
  retry?: 'columns' | 'quotes';
}

/**
 * Feeds the rows of `body` to `onRow`, or says which relaxation to retry with. The first, strict
 * attempt tries the fast path (csv-fast.ts) for plain files: it gives the same rows as
 * csv-parse or declines before giving any, so every error and retry below is csv-parse's own.
 * csv-parse runs without `on_record` (which makes it build an info object per row); only when
 * parsing fails for good is the file parsed again row by row, to keep the rows before the error.
 */
function parseRows(
  body: InputData,
  delimiter: Delimiter,
  options: Options,
  fast: boolean,
  onRow: (row: string[]) => void,
): { error?: unknown } | 'columns' | 'quotes' {
  if (fast && options.relax_column_count !== true && options.relax_quotes !== true) {
    // csv-parse reads a string as its UTF-8 bytes (Buffer.from), so the fast path does the same.
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    if (parsePlain(bytes, delimiter, onRow)) return {};
  }
  try {
    const rows: string[][] = parse(body, options);
    for (const row of rows) onRow(row);
    return {};
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
    try {
      parse(body, {
        ...options,
        on_record: (row: string[]) => {
          onRow(row);
          return null;
        },
      });
    } catch {
      // the same error again: the rows before it are what was wanted
    }
    return { error };
  }
}

function parseOnce(
  file: string,
  body: InputData,
  delimiter: Delimiter,
  mapping: CsvMapping | undefined,
  keepEmpty: boolean,
  attempt: Attempt,
  fields: FieldList,
  recordSink: RecordSink | undefined,
): Outcome {
  const problems: Problem[] = [];
  const options: Options = { delimiter };
  if (attempt.relaxColumns) options.relax_column_count = true;
  if (attempt.relaxQuotes) {
    options.relax_quotes = true;
    options.trim = true;
  }
  const sink = new RowSink(file, mapping, keepEmpty, fields, recordSink);
  const parsed = parseRows(body, delimiter, options, attempt.fast, sink.add);
  if (parsed === 'columns' || parsed === 'quotes')
    return { loaded: { records: [], problems }, retry: parsed };
  sink.flush();
  const { records, plan } = sink;
  if (plan !== undefined) for (const p of plan.problems) problems.push(p);
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
  if (plan !== undefined && sink.total === 0 && problems.length === 0) {
    problems.push({
      severity: 'warning',
      code: 'csv-no-rows',
      message: 'file has a header but no rows',
      place: { kind: 'csv', file, row: 1 },
    });
  }
  return { loaded: { records, problems } };
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
