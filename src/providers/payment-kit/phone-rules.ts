/**
 * What Payment Kit's normalisation did to a phone, told to the person who wrote it: read into
 * E.164 with the record's country, or kept as written because it could not be read. Payment Kit
 * takes any text as a phone (the contract sets no rule), so none of this is an error.
 */
import { groupOf, textOf, type CustomerData } from '../../core/customer.js';
import { toAlpha2 } from '../../core/countries.js';
import { normalizeText } from '../../normalize/text.js';
import { noteKindOnce, problem, type NoteKind, type RuleContext } from '../../validate/context.js';
import { e164Reading, isPhoneCountry, readPhone, sameDigits } from './phone.js';

/** A national number read with the record's country: worth a word, once a file. */
const PHONE_CONVERTED: NoteKind = {
  code: 'phone-converted',
  message: (from, to) => `${JSON.stringify(from)} read as ${to}`,
  hint: (_from, to) => `write phone numbers in E.164 (${to}) to silence this`,
};

/** Once a file: a file without a country column would otherwise warn on every row. */
const PHONE_WITHOUT_COUNTRY: NoteKind = {
  code: 'phone-without-country',
  message: (from) =>
    `${JSON.stringify(from)} kept as written, not in E.164: it has no country code and the record no address.country`,
  hint: () => 'add address.country, or write the number with its country code (+1 617 555 0110)',
};

/** The phone as written, as text: what a message quotes and what the conversion started from. */
function writtenPhone(ctx: RuleContext, phone: string): string {
  const value = ctx.raw['phone'];
  if (typeof value === 'string') return normalizeText(value);
  if (typeof value === 'number') return String(value);
  return phone;
}

export function checkPaymentKitPhone(ctx: RuleContext, data: CustomerData): void {
  const phone = textOf(data['phone']);
  if (phone === undefined) return;
  const written = writtenPhone(ctx, phone);
  if (phone !== written) {
    // Only spacing and punctuation gone is no news; a country code added or a prefix dropped is.
    if (!sameDigits(written, phone)) noteKindOnce(ctx, PHONE_CONVERTED, 'phone', written, phone);
    return;
  }
  // Unchanged: already E.164, or text the library did not read (told without a parse if it can).
  const country = textOf(groupOf(data['address'])?.['country']);
  const reading = e164Reading(phone);
  if (reading === 'same') return;
  if (reading === undefined && readPhone(phone, country) !== undefined) return;
  const international = phone.startsWith('+');
  const known = country !== undefined && isPhoneCountry(country);
  if (!international && country === undefined) {
    noteKindOnce(ctx, PHONE_WITHOUT_COUNTRY, 'phone', written, phone);
    return;
  }
  if (!international && !known) {
    // Not a country at all: its own error (with a "did you mean") is the one to fix, after
    // which the phone is read with it.
    if (country === undefined || toAlpha2(country) === undefined) return;
    // Rare (Antarctica, a few islands): told where it happens rather than noted once a file.
    problem(
      ctx,
      'warning',
      'phone-without-country',
      'phone',
      `${JSON.stringify(written)} kept as written, not in E.164: it has no country code, and address.country ${country} has no phone numbering to read it with`,
      'write the number with its country code (+1 617 555 0110)',
    );
    return;
  }
  problem(
    ctx,
    'warning',
    'invalid-phone',
    'phone',
    `${JSON.stringify(written)} is not a phone number${international ? '' : ` of ${country}`}; kept as written, not in E.164`,
    'Payment Kit takes it as text; write the full number with its country code (+1 617 555 0110) to have it in E.164',
  );
}
