/**
 * Payment Kit's normalisation, applied to desired records and fetched customers alike: text as
 * everywhere (trimmed, inner spaces collapsed, NFC), e-mails with a lower-case domain, countries
 * as alpha-2 (the API's spelling), phones in E.164 when they can be read (with the record's own
 * country for a national number; `phone.ts`), metadata values as text. An empty value is unset.
 */
import { toAlpha2 } from '../../core/countries.js';
import type { CustomerData, FieldGroup } from '../../core/customer.js';
import { normalizeEmail, normalizeText } from '../../normalize/text.js';
import { paymentKitFields } from './fields.js';
import { e164Reading, normalizePaymentKitPhone } from './phone.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function normalizeCountry(value: string): string {
  const normal = normalizeText(value);
  return toAlpha2(normal) ?? normal;
}

/** A value of a group: only an address's country has rules beyond the text's. */
function normalizePart(group: string, key: string, value: string): string {
  return group === 'address' && key === 'country' ? normalizeCountry(value) : normalizeText(value);
}

/** The record's country as its normalisation writes it: what a national phone number is read in. */
function countryOf(record: Record<string, unknown>): string | undefined {
  const address = record['address'];
  if (!isObject(address)) return undefined;
  const t = text(address['country']);
  return t === undefined ? undefined : normalizeCountry(t);
}

/** The record's country is looked up only for a phone not in E.164 form (most are, remotely). */
function normalizePhone(record: Record<string, unknown>, value: string): string {
  const t = normalizeText(value);
  if (t === '' || e164Reading(t) !== undefined) return t;
  return normalizePaymentKitPhone(t, countryOf(record));
}

/**
 * A national phone in a record without a country, which normalising could not read, against a
 * customer's phone: the same number when the customer's own country reads it as the one stored.
 * A record with a country read its phone with it already; its reading stands.
 */
export function samePhoneInContext(
  field: string,
  value: string,
  old: string,
  record: CustomerData,
  customer: CustomerData,
): boolean {
  if (field !== 'phone' || countryOf(record) !== undefined) return false;
  const country = countryOf(customer);
  return country !== undefined && normalizePaymentKitPhone(value, country) === old;
}

/**
 * True when `raw`, whose `count` values were found normal text, holds nothing else, in the order
 * its copy would (the field list's, for a group with known keys): a plain object with those keys.
 */
function isNormalGroup(
  raw: Record<string, unknown>,
  count: number,
  keys: readonly string[] | undefined,
): raw is FieldGroup {
  if (Object.getPrototypeOf(raw) !== Object.prototype) return false;
  const own = Object.keys(raw);
  if (own.length !== count) return false;
  if (keys === undefined) return true;
  let k = 0;
  for (const key of own) {
    while (k < keys.length && keys[k] !== key) k++;
    if (k++ === keys.length) return false;
  }
  return true;
}

/**
 * A group's normal form. One already normal (every key one it keeps, every value normal,
 * non-empty text) is returned as is, not copied: a listed customer's groups mostly are, and
 * 100,000 of them copied (and kept beside the original, as `raw`) were most of what
 * normalising a listing allocated. `remoteNormalizer` (src/pipeline.ts) compares groups by
 * identity for the same reason.
 */
function normalizeGroup(
  name: string,
  raw: Record<string, unknown>,
  keys: readonly string[] | undefined,
): FieldGroup | undefined {
  let same = 0;
  let changed = false;
  const own = keys ?? Object.keys(raw);
  for (const key of own) {
    const value = raw[key];
    const t = text(value);
    if (t === undefined) {
      if (value !== undefined) changed = true;
      continue;
    }
    if (t !== '' && t === value && normalizePart(name, key, t) === t) same++;
    else {
      changed = true;
      break;
    }
  }
  if (!changed && same > 0 && isNormalGroup(raw, same, keys)) return raw;
  const group: FieldGroup = {};
  let any = false;
  for (const key of own) {
    const t = text(raw[key]);
    const normal = t === undefined ? undefined : normalizePart(name, key, t);
    if (normal !== undefined && normal !== '') {
      group[key] = normal;
      any = true;
    }
  }
  return any ? group : undefined;
}

export function normalizePaymentKitCustomer(value: unknown): CustomerData {
  if (!isObject(value)) return {};
  const out: CustomerData = {};
  for (const spec of paymentKitFields.fields) {
    const raw = value[spec.name];
    if (spec.kind === 'text') {
      const t = text(raw);
      const normal =
        t === undefined
          ? undefined
          : spec.name === 'phone'
            ? normalizePhone(value, t)
            : spec.name === 'email'
              ? normalizeEmail(t)
              : normalizeText(t);
      if (normal !== undefined && normal !== '') out[spec.name] = normal;
      continue;
    }
    if (!isObject(raw)) continue;
    const group = normalizeGroup(spec.name, raw, spec.kind === 'group' ? spec.keys : undefined);
    if (group !== undefined) out[spec.name] = group;
  }
  return out;
}
