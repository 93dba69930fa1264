/**
 * Text normalisation shared by local files and remote records, so both sides compare like with
 * like. Every function is pure, idempotent and total: odd input gives odd output, never a throw.
 */

const SPACES = /\s+/g;

/**
 * True when `value` is printable Latin-1 (U+0021–U+007E, U+00A1–U+00FF) with single inner
 * spaces: then NFC, the whitespace rules and trimming all leave it as it is (no character there
 * is whitespace, none decomposes or combines with its neighbour; a test checks every pair), so
 * the common case, accented names included, skips `normalize` and the regexes. One pass over the
 * characters is cheaper than a regex call on such short strings.
 */
export function isNormalText(value: string): boolean {
  let space = true; // a space here would lead the text or double another
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x20) {
      if (space) return false;
      space = true;
    } else if ((c >= 0x21 && c <= 0x7e) || (c >= 0xa1 && c <= 0xff)) space = false;
    else return false;
  }
  return !space || value.length === 0;
}

/** Trims, collapses runs of whitespace (tabs, newlines, no-break spaces) to one space, NFC. */
export function normalizeText(value: string): string {
  if (isNormalText(value)) return value;
  return value.normalize('NFC').replace(SPACES, ' ').trim();
}

/** Emails: text rules, no inner spaces, and a lower-case domain (domains are case-insensitive). */
const EMAIL_NEEDS_WORK = /[^\x21-\x7e]|[A-Z]/;

export function normalizeEmail(value: string): string {
  if (!EMAIL_NEEDS_WORK.test(value)) return value;
  const text = normalizeText(value).replace(/ /g, '');
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const domain = text.slice(at + 1);
  const lower = domain.toLowerCase();
  return lower === domain ? text : text.slice(0, at + 1) + lower;
}

/**
 * Upper case that stays NFC: some letters upper-case to a base letter plus combining marks
 * ("ΐ" to "Ϊ́" in three code points), which the next normalisation would compose again, so the
 * result is composed here to keep normalisation idempotent. Text without a lower-case letter is
 * returned as is: toUpperCase copies even an upper-case string when it is stored two bytes a
 * character, as every cell of a file with one non-ASCII character is.
 */
export function upperCase(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || c >= 0x80) return text.toUpperCase().normalize('NFC');
  }
  return text;
}

/** Postal codes are never case-sensitive: `t2p 1j9` and `T2P 1J9` are the same code. */
export function normalizePostalCode(value: string): string {
  return upperCase(normalizeText(value));
}

/** Two-letter province and state codes are upper-case; full names are left to `province.ts`. */
export function normalizeCode(value: string): string {
  return upperCase(normalizeText(value));
}
