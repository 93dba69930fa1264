/**
 * Text normalisation shared by local files and remote records, so both sides compare like with
 * like. Every function is pure, idempotent and total: odd input gives odd output, never a throw.
 */

// Printable ASCII with single inner spaces needs no work: the common case skips NFC and regexes.
const NEEDS_WORK = /[^\x21-\x7e ]|^ | $| {2}/;
const SPACES = /\s+/g;

/** Trims, collapses runs of whitespace (tabs, newlines, no-break spaces) to one space, NFC. */
export function normalizeText(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
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

/** Postal codes are never case-sensitive: `t2p 1j9` and `T2P 1J9` are the same code. */
export function normalizePostalCode(value: string): string {
  return normalizeText(value).toUpperCase();
}

/** Two-letter province and state codes are upper-case; full names are left to `province.ts`. */
export function normalizeCode(value: string): string {
  return normalizeText(value).toUpperCase();
}
