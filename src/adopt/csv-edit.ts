/**
 * Writing codes into a CSV file without rewriting it: the file is split into rows and cells by
 * offset, and only the code cells change (or a `customerCode` column is put in front of every
 * row). Delimiter, quoting, line ends, the byte-order mark and every other cell stay byte for
 * byte. Rows are counted the way the loader counts them (a quoted line break stays in its row,
 * a blank line is a row), so a record's `row` finds its text here.
 */
import { csvCell } from '../export/csv-writer.js';
import { normalizeText } from '../normalize/text.js';

interface Span {
  start: number;
  end: number;
}

export interface CsvRow extends Span {
  cells: Span[];
}

/**
 * The record delimiter as csv-parse discovers it, which the loader uses: the first line end
 * outside quotes (CRLF, LF or a lone CR). Any other line-end character is data of its cell.
 */
function recordDelimiter(text: string, delimiter: string): '\r\n' | '\n' | '\r' {
  let quoted = false;
  let cellStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    // A quote opens quoting only at the start of a cell; inside one it is a quote mark.
    if (c === '"' && (quoted || cellStart)) quoted = !quoted;
    else if (!quoted && c === '\n') return '\n';
    else if (!quoted && c === '\r') return text[i + 1] === '\n' ? '\r\n' : '\r';
    cellStart = !quoted && c === delimiter;
  }
  return '\n';
}

/** Rows (without their line ends) and cells (quotes included) of `text`. */
export function splitCsv(text: string, delimiter: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const n = text.length;
  const lineEnd = recordDelimiter(text, delimiter);
  const endsRow = (at: number): boolean => text.startsWith(lineEnd, at);
  let i = 0;
  while (i < n) {
    const start = i;
    const cells: Span[] = [];
    for (;;) {
      const cellStart = i;
      if (text[i] === '"') {
        for (i++; i < n; i++) {
          if (text[i] !== '"') continue;
          if (text[i + 1] === '"') i++;
          else {
            i++;
            break;
          }
        }
      }
      while (i < n && text[i] !== delimiter && !endsRow(i)) i++;
      cells.push({ start: cellStart, end: i });
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      break;
    }
    rows.push({ start, end: i, cells });
    if (i < n) i += lineEnd.length;
  }
  return rows;
}

/** A cell's value: quotes removed, doubled quotes undone. */
export function cellValue(text: string, span: Span): string {
  const raw = text.slice(span.start, span.end);
  const trimmed = raw.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"'))
    return trimmed.slice(1, -1).replaceAll('""', '"');
  return raw;
}

/** The column the loader would read `name` from: exact, else without letter case. */
export function findColumn(text: string, header: CsvRow, name: string): number {
  const names = header.cells.map((c) => normalizeText(cellValue(text, c)));
  const exact = names.indexOf(name);
  if (exact >= 0) return exact;
  const folded = name.toLowerCase();
  return names.findIndex((h) => h.toLowerCase() === folded);
}

export interface CsvCodeEdit {
  /** Spreadsheet row number (the header is row 1) to its code. */
  codes: ReadonlyMap<number, string>;
  /** The column to write into; -1 adds a column named `name` in front. */
  column: number;
  delimiter: string;
  /** The identity's header (`customerCode`). */
  name: string;
}

/** The new text, or the rows whose code cell could not be found (ragged rows). */
export function writeCsvCodes(
  text: string,
  edit: CsvCodeEdit,
): { text: string } | { missingRows: number[] } {
  const rows = splitCsv(text, edit.delimiter);
  const pieces: string[] = [];
  let from = 0;
  const missingRows: number[] = [];
  const put = (at: number, to: number, value: string): void => {
    pieces.push(text.slice(from, at), value);
    from = to;
  };
  rows.forEach((row, index) => {
    const rowNumber = index + 1;
    const code = edit.codes.get(rowNumber);
    if (edit.column < 0) {
      const blank = row.cells.length === 1 && text.slice(row.start, row.end).trim() === '';
      if (blank && code === undefined) return;
      const cell =
        index === 0 ? csvCell(edit.name, edit.delimiter) : csvCell(code ?? '', edit.delimiter);
      put(row.start, row.start, cell + edit.delimiter);
      return;
    }
    if (code === undefined) return;
    const span = row.cells[edit.column];
    if (span === undefined) missingRows.push(rowNumber);
    else put(span.start, span.end, csvCell(code, edit.delimiter));
  });
  if (missingRows.length > 0) return { missingRows };
  pieces.push(text.slice(from));
  return { text: pieces.join('') };
}
