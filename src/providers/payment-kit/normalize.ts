/**
 * Payment Kit's normalisation, applied to desired records and fetched customers alike: text as
 * everywhere (trimmed, inner spaces collapsed, NFC), e-mails with a lower-case domain, countries
 * as alpha-2 (the API's spelling), metadata values as text. An empty value is unset.
 */
import { toAlpha2 } from '../../core/countries.js';
import type { CustomerData, FieldGroup } from '../../core/customer.js';
import { normalizeEmail, normalizeText } from '../../normalize/text.js';
import { paymentKitFields } from './fields.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function normalizeValue(path: string, value: string): string {
  if (path === 'email') return normalizeEmail(value);
  const normal = normalizeText(value);
  if (path === 'address.country') return toAlpha2(normal) ?? normal;
  return normal;
}

export function normalizePaymentKitCustomer(value: unknown): CustomerData {
  if (!isObject(value)) return {};
  const out: CustomerData = {};
  for (const spec of paymentKitFields.fields) {
    const raw = value[spec.name];
    if (spec.kind === 'text') {
      const t = text(raw);
      const normal = t === undefined ? undefined : normalizeValue(spec.name, t);
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
