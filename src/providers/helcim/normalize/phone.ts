/**
 * Phone numbers are compared, stored and sent as their digits only: `(403) 555-0101`,
 * `403.555.0101` and `+1 403 555 0101`... differ only in punctuation, which Helcim does not
 * interpret. The leading `+` goes too (Helcim counts digits, and the country code stays as digits).
 *
 * An extension (`403-555-0101 ext. 12`, `x12`, `#12`) has no place in Helcim's phone fields, so it
 * is dropped from the number: validation warns about it, and a remote number with an extension
 * compares equal to the same number without one, so a sync never strips it from Helcim.
 */

const DIGITS_ONLY = /^\d*$/;
const EXTENSION = /\s*(?:(?:ext(?:ension)?|x|#)\.?|,|;)\s*(\d{1,6})\s*$/i;
const NON_DIGITS = /\D+/g;

export interface PhoneParts {
  /** The digits of the number, without the extension. */
  digits: string;
  /** The extension's digits, when the text carried one. */
  extension?: string;
}

export function splitPhone(value: string): PhoneParts {
  if (DIGITS_ONLY.test(value)) return { digits: value };
  const match = EXTENSION.exec(value);
  if (match !== null && match[1] !== undefined) {
    const number = value.slice(0, match.index).replace(NON_DIGITS, '');
    // "1,2" style text is not a number with an extension: only split when the number is plausible.
    if (number.length >= 7) return { digits: number, extension: match[1] };
  }
  return { digits: value.replace(NON_DIGITS, '') };
}

/** The digits of a phone number, extension dropped. Idempotent: digits map to themselves. */
export function normalizePhone(value: string): string {
  if (DIGITS_ONLY.test(value)) return value;
  return splitPhone(value).digits;
}
