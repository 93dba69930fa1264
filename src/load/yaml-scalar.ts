/**
 * Single-line YAML scalars, decoded the way the `yaml` package decodes them (failsafe schema plus
 * the core null rule), so the fast path and the fallback agree on every value. Anything these
 * functions do not handle returns `undefined` and the caller falls back to the full parser.
 */
import { COLON, HASH, isBlankChar } from './yaml-lines.js';

/** A decoded scalar and the offset just past it. */
export interface Decoded {
  value: string;
  end: number;
}

/** Plain scalars that mean "no value", as the YAML 1.2 core schema reads them. */
export function isNullPlain(raw: string): boolean {
  return raw === '' || raw === '~' || raw === 'null' || raw === 'Null' || raw === 'NULL';
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

const HEX = /^[0-9a-fA-F]+$/;

/**
 * `"..."` starting at `p` (the opening quote) and closing before `end`. Undefined when the quote
 * does not close on this line or an escape is invalid: the full parser reports those.
 */
export function decodeDoubleQuoted(text: string, p: number, end: number): Decoded | undefined {
  let out = '';
  let from = p + 1;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      return { value: out + text.slice(from, i), end: i + 1 };
    }
    if (c !== 92) continue;
    out += text.slice(from, i);
    const next = text[i + 1];
    if (next === undefined || i + 1 >= end) return undefined;
    const simple = ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + length);
      if (i + 2 + length > end || !HEX.test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += 1 + length;
    } else {
      return undefined;
    }
    from = i + 1;
  }
  return undefined;
}

/** `'...'` with `''` for a quote, on one line. */
export function decodeSingleQuoted(text: string, p: number, end: number): Decoded | undefined {
  let out = '';
  let from = p + 1;
  for (let i = from; i < end; i++) {
    if (text.charCodeAt(i) !== 39) continue;
    if (text.charCodeAt(i + 1) === 39 && i + 1 < end) {
      out += text.slice(from, i + 1);
      i++;
      from = i + 1;
      continue;
    }
    return { value: out + text.slice(from, i), end: i + 1 };
  }
  return undefined;
}

/** Why a plain value could not be taken on the fast path. */
export const PLAIN_HAS_COLON = -1;

/**
 * The end of a plain scalar value starting at `p`: before a ` #` comment, trailing blanks
 * trimmed. `PLAIN_HAS_COLON` when a `: ` inside it would make it a nested mapping.
 */
export function plainEnd(text: string, p: number, end: number): number {
  let i = p;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH && isBlankChar(text.charCodeAt(i - 1))) break;
    if (c === COLON && (i + 1 >= end || isBlankChar(text.charCodeAt(i + 1)))) {
      return PLAIN_HAS_COLON;
    }
  }
  while (i > p && isBlankChar(text.charCodeAt(i - 1))) i--;
  return i;
}

/**
 * First characters a plain scalar may not start with in block context (YAML 1.2 c-indicator),
 * minus `-`, `?`, `:` which are fine when not followed by a blank and `#` which starts a comment.
 */
export function isIndicatorStart(c: number): boolean {
  switch (c) {
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 37: // %
    case 64: // @
    case 96: // `
    case 35: // #
      return true;
    default:
      return false;
  }
}
