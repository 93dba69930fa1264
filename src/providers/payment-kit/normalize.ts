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

function normalizeValue(path: string, value: string): string {
  if (path === 'email') return normalizeEmail(value);
  if (path === 'address.country') return normalizeCountry(value);
  return normalizeText(value);
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
            : normalizeValue(spec.name, t);
      if (normal !== undefined && normal !== '') out[spec.name] = normal;
      continue;
    }
    if (!isObject(raw)) continue;
    const group: FieldGroup = {};
    const keys = spec.kind === 'group' ? spec.keys : Object.keys(raw);
    for (const key of keys) {
      const t = text(raw[key]);
      const normal = t === undefined ? undefined : normalizeValue(`${spec.name}.${key}`, t);
      if (normal !== undefined && normal !== '') group[key] = normal;
    }
    if (Object.keys(group).length > 0) out[spec.name] = group;
  }
  return out;
}
