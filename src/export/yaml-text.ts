/**
 * YAML scalars as the tool writes them. Plain where every YAML reader (1.1 and 1.2 alike) reads
 * the text back as that same string; double-quoted otherwise. Our own loader keeps every value
 * as text, but people open these files in editors and other tools that resolve types, where
 * `0123` is an octal number, `no` is false and `2025-01-01` is a date.
 */

/** YAML 1.1 and 1.2 booleans and nulls, and the 1.1 merge and value keys. */
const RESERVED =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|<<|=)$/;

/**
 * Anything that might resolve as a number or timestamp in some schema: a token starting with a
 * digit, a sign or a dot, with no blank inside (`10001`, `1e3`, `0x1F`, `1_000`, `12:30`,
 * `.5`, `.inf`), and dates, which may have blanks (`2001-12-14 21:59:43.10 -5`).
 */
const NUMBER_LIKE = /^[-+.]?[\d.]|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/;
const HAS_BLANK = /[ \t]/;
const DATE_LIKE = /^\d{4}-\d\d?-\d\d?(?:$|[Tt ])/;

/** Characters that start something else when first in a plain scalar. */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

/**
 * Characters YAML cannot hold unescaped (C0 but tab, DEL, C1, surrogates, non-characters), the
 * YAML 1.1 line breaks (NEL, LS, PS) and the byte-order mark.
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/u;

/** Whether `value` can be written as a plain scalar in block context. */
export function isPlainSafe(value: string): boolean {
  if (value === '' || value.trim() !== value) return false;
  if (INDICATOR_START.test(value) || RESERVED.test(value)) return false;
  if (value.includes('#') || value.includes(': ') || value.endsWith(':')) return false;
  if (value.includes('\t') || UNPRINTABLE.test(value)) return false;
  if (DATE_LIKE.test(value)) return false;
  if (NUMBER_LIKE.test(value) && !HAS_BLANK.test(value)) return false;
  return true;
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

/** A double-quoted scalar: `"` and `\` escaped, unprintable characters as `\xXX` / `\uXXXX`. */
export function doubleQuoted(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code > 0xffff) out += ch;
    else if (UNPRINTABLE.test(ch))
      out += code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
    else out += ch;
  }
  return out + '"';
}

/** The scalar as written after `key: `. */
export function yamlScalar(value: string): string {
  return isPlainSafe(value) ? value : doubleQuoted(value);
}

/**
 * A mapping key as written: plain when it reads back as the same text key (metadata keys are the
 * person's own: `crm_id`, but also `2024`, `a: b` or `yes`), double-quoted otherwise.
 */
export function yamlKey(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) && !RESERVED.test(key) ? key : doubleQuoted(key);
}
