/**
 * Line-level reading for the fast YAML scanner: one line at a time over the whole text, by offsets,
 * so that 1.7 million lines cost no line strings and no array of line starts.
 */

export const SPACE = 32;
export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const HASH = 35;
export const COLON = 58;
export const DASH = 45;

/** What the current line is; blank and comment-only lines are skipped by the block structure. */
export const LineKind = { End: 0, Blank: 1, Content: 2 } as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

/**
 * A cursor over the lines of `text[from, limit)`. The current line's fields are offsets into
 * `text`; `line` is its 1-based number in the whole file.
 */
export class LineReader {
  kind: LineKind = LineKind.End;
  /** Offset of the line's first character. */
  start = 0;
  /** Number of leading spaces. */
  indent = 0;
  /** Offset of the first character after the leading whitespace. */
  content = 0;
  /** Offset just past the line's last character, before `\r\n` or `\n`. */
  end = 0;
  /** Offset of the next line. */
  next: number;
  /** Offset of a tab found in the leading whitespace of a content line, or -1. */
  tabAt = -1;
  line: number;

  constructor(
    readonly text: string,
    from: number,
    readonly limit: number,
    firstLine: number,
  ) {
    this.next = from;
    this.line = firstLine - 1;
    this.advance();
  }

  /** Column (1-based) of an offset on the current line. */
  column(offset: number): number {
    return offset - this.start + 1;
  }

  advance(): void {
    const text = this.text;
    const limit = this.limit;
    let p = this.next;
    if (p >= limit) {
      this.kind = LineKind.End;
      this.start = this.content = this.end = limit;
      this.indent = 0;
      this.tabAt = -1;
      this.line++;
      return;
    }
    this.start = p;
    this.line++;
    while (p < limit && text.charCodeAt(p) === SPACE) p++;
    this.indent = p - this.start;
    let tabAt = -1;
    while (p < limit) {
      const c = text.charCodeAt(p);
      if (c === TAB) {
        if (tabAt < 0) tabAt = p;
      } else if (c !== SPACE) break;
      p++;
    }
    this.content = p;
    let eol = text.indexOf('\n', p);
    if (eol < 0 || eol >= limit) eol = limit;
    this.next = eol < limit ? eol + 1 : limit;
    let end = eol;
    if (end > p && text.charCodeAt(end - 1) === CR) end--;
    this.end = end;
    const blank = p >= end || text.charCodeAt(p) === HASH;
    this.kind = blank ? LineKind.Blank : LineKind.Content;
    this.tabAt = blank ? -1 : tabAt;
  }

  /** Moves to the line starting at `offset`, which is line number `line`. */
  seek(offset: number, line: number): void {
    this.next = offset;
    this.line = line - 1;
    this.advance();
  }

  /** Moves to the next content line (or the end). */
  skipBlank(): void {
    while (this.kind === LineKind.Blank) this.advance();
  }

  /** Whether the current line's content is a block sequence entry: `-` then space or end. */
  isDash(): boolean {
    return this.kind === LineKind.Content && isDashAt(this.text, this.content, this.end);
  }
}

export function isDashAt(text: string, p: number, end: number): boolean {
  if (text.charCodeAt(p) !== DASH) return false;
  return p + 1 >= end || isBlankChar(text.charCodeAt(p + 1));
}

export function isBlankChar(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** Skips spaces and tabs from `p`, not past `end`. */
export function skipBlanks(text: string, p: number, end: number): number {
  while (p < end && isBlankChar(text.charCodeAt(p))) p++;
  return p;
}
