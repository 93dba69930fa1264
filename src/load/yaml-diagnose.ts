/**
 * Why a customer is not valid YAML, in the terms of someone editing the file: worked out from
 * where js-yaml stopped reading it, and shown only if the `yaml` package then finds the record
 * invalid too (yaml-document.ts); otherwise, or when nothing here fits, the package's own error
 * is worded (yaml-errors.ts).
 */
import { isDashAt, LineKind, LineReader, skipBlanks, skipSpace } from './yaml-lines.js';
import { shown } from './yaml-problems.js';

/** A likely explanation, at the place of the mistake. */
export interface Diagnosis {
  message: string;
  hint: string;
  line: number;
  column: number;
}

/** Where js-yaml stopped: its reason, its line (0-based) and the nodes it was reading. */
export interface Stop {
  reason: string;
  line: number;
  /** Offsets where the nodes still open started, outermost first. */
  open: readonly number[];
  /** Offset where the last node read to its end started, or -1. */
  closed: number;
}

/** A reader of `slice` (whose first line is file line `firstLine`) on file line `line`. */
function onLine(slice: string, firstLine: number, line: number): LineReader {
  const r = new LineReader(slice, 0, slice.length, firstLine);
  while (r.kind !== LineKind.End && r.line < line) r.advance();
  return r;
}

/** A reader of `slice` on the line of `offset`. */
function atOffset(slice: string, firstLine: number, offset: number): LineReader {
  const r = new LineReader(slice, 0, slice.length, firstLine);
  while (r.kind !== LineKind.End && r.next <= offset) r.advance();
  return r;
}

export function diagnose(slice: string, firstLine: number, stop: Stop): Diagnosis | undefined {
  const stopLine = firstLine + stop.line;
  // A tab in the indentation of a line up to the stop (YAML indents with spaces only).
  for (
    const r = new LineReader(slice, 0, slice.length, firstLine);
    r.line <= stopLine;
    r.advance()
  ) {
    if (r.kind === LineKind.End) break;
    if (r.kind === LineKind.Content && r.tabAt >= 0) {
      return {
        message: 'a tab is used for indentation',
        hint: 'YAML indentation must be spaces: replace the tab with spaces',
        line: r.line,
        column: r.column(r.tabAt),
      };
    }
  }
  // The text ran out inside a quoted value: it starts where the node being read starts.
  const reading = stop.open[stop.open.length - 1];
  if (/quoted scalar/.test(stop.reason) && reading !== undefined) {
    const p = skipSpace(slice, reading);
    const quote = slice[p];
    if (quote === '"' || quote === "'") {
      const r = atOffset(slice, firstLine, p);
      return {
        message: `the quoted value starting here has no closing ${quote}`,
        hint: `end the value with ${quote} on the same line`,
        line: r.line,
        column: r.column(p),
      };
    }
  }
  // A key without its `:`; when js-yaml read on to the next line, the key is the last node read.
  const multiline = /multiline key/.test(stop.reason);
  if (multiline || /colon is missed/.test(stop.reason)) {
    const r = multiline
      ? atOffset(slice, firstLine, stop.closed)
      : onLine(slice, firstLine, stopLine);
    return r.kind === LineKind.Content ? missingColon(r) : undefined;
  }
  if (!/bad indentation/.test(stop.reason)) return undefined;
  const r = onLine(slice, firstLine, stopLine);
  if (r.kind !== LineKind.Content) return undefined;
  // More after a value on its own line: a `: ` in a plain value.
  if (stop.closed >= r.start && stop.closed <= r.end) return colonInValue(r, stop.closed);
  return badIndent(slice, firstLine, r);
}

function missingColon(r: LineReader): Diagnosis {
  const line = r.text.slice(r.content, r.end);
  const word = /^[^\s:]+/.exec(line)?.[0] ?? line;
  return {
    message: `expected \`key: value\`, but \`${shown(line)}\` has no \`: \``,
    hint: /:[^\s]/.test(line)
      ? 'put a space after the `:`'
      : `add a \`:\` after the key, e.g. \`${shown(word)}: ...\``,
    line: r.line,
    column: r.column(r.content),
  };
}

/** A plain value read up to a `: ` on its own line: YAML took the rest for a nested key. */
function colonInValue(r: LineReader, valueAt: number): Diagnosis | undefined {
  const p = skipBlanks(r.text, valueAt, r.end);
  const value = r.text.slice(p, r.end).trim();
  if (!/:(?:[ \t]|$)/.test(value) || /^["']/.test(value)) return undefined;
  return {
    message: `the value \`${shown(value)}\` contains \`: \`, which YAML reads as a nested key`,
    hint: `put the value in quotes: "${shown(value.replace(/"/g, '\\"'))}"`,
    line: r.line,
    column: r.column(p),
  };
}

/**
 * A line indented unlike the entries it could belong to: those of the nearest line above that
 * is not indented deeper (after its `- `, if it is a list item).
 */
function badIndent(slice: string, firstLine: number, bad: LineReader): Diagnosis | undefined {
  let entry: { line: number; indent: number } | undefined;
  for (const r = new LineReader(slice, 0, bad.start, firstLine); r.kind !== LineKind.End;) {
    if (r.kind === LineKind.Content && r.indent <= bad.indent) {
      let p = r.content;
      while (isDashAt(slice, p, r.end)) p = skipBlanks(slice, p + 1, r.end);
      entry = { line: r.line, indent: p - r.start };
    }
    r.advance();
  }
  if (entry === undefined || entry.indent === bad.indent) return undefined;
  const column = entry.indent + 1;
  return {
    message: `bad indentation: this line starts at column ${bad.indent + 1}, but the entries it could belong to start at column ${column} (line ${entry.line})`,
    hint: `line it up at column ${column}; to nest it under the key above, that key must have no value on its own line`,
    line: bad.line,
    column: bad.column(bad.content),
  };
}
