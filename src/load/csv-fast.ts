/**
 * The fast path for well-formed CSV. csv-parse costs about 10 µs a row (1.0–1.3 s for 100,000
 * customers on the bench machine), which alone used up the loading budget of 1.5x that parse.
 * uDSV (zero dependencies, own types) parses the same file four to five times faster; papaparse,
 * the other candidate, was slower (0.36–0.59 s against uDSV's 0.30–0.53 s for the parse alone)
 * and is lenient in the same ways. uDSV pads or merges ragged rows, skips blank lines, keeps
 * stray quotes, strips a BOM and reports no errors, so it is used only on files that the check
 * below proves to be in the subset where both parsers give the same rows; anything else (and
 * every retry, error and relaxed parse) goes to csv-parse. The check only says yes or no and
 * builds no values, so it is not a second CSV grammar to keep in step: the whole path (check,
 * decoding, uDSV) takes 0.22–0.32 s on that file. test/load/csv-fast.test.ts compares both
 * paths on every fixture, generated customers and thousands of random files.
 */
import { isUtf8 } from 'node:buffer';
import { initParser } from 'udsv';
import type { SchemaColumn } from 'udsv';
import type { Delimiter } from './config-types.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** What the check learned: every record has `width` cells and ends with `recordDelimiter`. */
export interface PlainShape {
  width: number;
  recordDelimiter: '\n' | '\r\n';
  quoted: boolean;
}

// Byte classes, so the loop over ordinary bytes tests one table entry per byte.
const ORDINARY = 0;
const DELIMITER = 1;
const QUOTE_BYTE = 2;
const LINE_END = 3;

function byteClasses(delimiter: number): Uint8Array {
  const table = new Uint8Array(256);
  table[delimiter] = DELIMITER;
  table[QUOTE] = QUOTE_BYTE;
  table[LF] = LINE_END;
  table[CR] = LINE_END;
  return table;
}

const TABLES = new Map<string, Uint8Array>();

function classesFor(delimiter: Delimiter): Uint8Array {
  let table = TABLES.get(delimiter);
  if (table === undefined) {
    table = byteClasses(delimiter.charCodeAt(0));
    TABLES.set(delimiter, table);
  }
  return table;
}

/**
 * The shape of `bytes` when it is plain CSV as csv-parse reads it with default options: UTF-8
 * without a BOM; one record delimiter throughout (LF or CRLF, the first line end outside quotes,
 * as csv-parse discovers it), no lone CR or LF outside quotes; every record with the header's
 * number of cells (two or more), none empty, no line end after the last; a `"` only opening a
 * cell, closed by a `"` followed by the delimiter, a line end or the end, with `""` inside.
 * Undefined when it is not.
 */
export function plainShape(bytes: Buffer, delimiter: Delimiter): PlainShape | undefined {
  const n = bytes.length;
  if (n === 0 || (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) return undefined;
  const classes = classesFor(delimiter);
  let lineEnd = 0; // 0 not seen yet, 1 LF, 2 CRLF
  let width = -1;
  let cells = 1;
  let quoted = false;
  let i = 0;
  if (classes[bytes[0] ?? 0] === LINE_END) return undefined;
  for (;;) {
    // at the start of a cell
    if (bytes[i] === QUOTE) {
      quoted = true;
      let close = bytes.indexOf(QUOTE, i + 1);
      while (close >= 0 && bytes[close + 1] === QUOTE) close = bytes.indexOf(QUOTE, close + 2);
      if (close < 0) return undefined;
      i = close + 1;
    } else {
      while (i < n && classes[bytes[i] ?? 0] === ORDINARY) i++;
    }
    if (i >= n) break;
    const kind = classes[bytes[i] ?? 0];
    if (kind === DELIMITER) {
      cells++;
      i++;
      continue;
    }
    if (kind !== LINE_END) return undefined; // a stray quote, or text after a closing quote
    let length = 1;
    if (bytes[i] === CR) {
      if (bytes[i + 1] !== LF) return undefined;
      length = 2;
    }
    if (lineEnd === 0) lineEnd = length;
    else if (lineEnd !== length) return undefined;
    if (width < 0) width = cells;
    else if (cells !== width) return undefined;
    cells = 1;
    i += length;
    if (i >= n || classes[bytes[i] ?? 0] === LINE_END) return undefined; // an empty record
  }
  if (width >= 0 && cells !== width) return undefined;
  // uDSV takes a line end right after a one-cell row for a blank line and drops the row (found
  // by the random-file test); customer files always have several columns.
  if (cells < 2 || !isUtf8(bytes)) return undefined;
  return { width: cells, recordDelimiter: lineEnd === 2 ? '\r\n' : '\n', quoted };
}

/**
 * Hands the rows of a plain CSV file (header first) to `onRow`, exactly as csv-parse would give
 * them, and returns true; returns false, having given none, when the file is not plain.
 */
export function parsePlain(
  bytes: Buffer,
  delimiter: Delimiter,
  onRow: (row: string[]) => void,
): boolean {
  const shape = plainShape(bytes, delimiter);
  if (shape === undefined) return false;
  const cols: SchemaColumn[] = [];
  for (let i = 0; i < shape.width; i++) {
    cols.push({
      name: String(i),
      type: 's',
      repl: { empty: undefined, null: undefined, NaN: undefined },
    });
  }
  const parser = initParser({
    col: delimiter,
    row: shape.recordDelimiter,
    // Without an enclosure uDSV splits on delimiters with indexOf, its fastest loop.
    encl: shape.quoted ? '"' : '',
    esc: '"',
    trim: false,
    cols,
  });
  // The callback returns nothing, so uDSV keeps no array of rows.
  parser.stringArrs(bytes.toString('utf8'), (row) => {
    onRow(row);
  });
  return true;
}
