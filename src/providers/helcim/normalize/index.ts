/**
 * The one normalisation applied to desired records and to records fetched from the remote side,
 * so that a plan never shows a difference that is not one. Pure, idempotent (normalising twice
 * gives the same as once) and total: any input, however odd, gives a CustomerData.
 */
import { toAlpha3 } from '../../../core/countries.js';
import type { CustomerData } from '../../../core/customer.js';
import type { Address, AddressField } from '../fields.js';
import { ADDRESS_FIELDS } from '../fields.js';
import { normalizePhone } from './phone.js';
import { needsProvince, provinceCode } from './provinces.js';
import {
  normalizeEmail,
  normalizePostalCode,
  normalizeText,
  upperCase,
} from '../../../normalize/text.js';

export { normalizeText, normalizeEmail, normalizePostalCode } from '../../../normalize/text.js';
export { normalizePhone, splitPhone, type PhoneParts } from './phone.js';
export { needsProvince, provinceCode, isProvinceCode, provinceCodes } from './provinces.js';

/** The differences normalisation makes invisible, in words, for the README and `--help`. */
export const IGNORED_DIFFERENCES: readonly string[] = [
  'leading and trailing whitespace, and runs of inner whitespace (spaces, tabs, line breaks, no-break spaces), in every text field',
  'Unicode composition: "é" typed as one character or as "e" plus an accent (NFC)',
  'an empty value and an absent one (both mean "not set")',
  'phone punctuation and spacing: phone numbers are compared and sent as their digits only',
  'a phone extension ("ext. 12", "x12", "#12"): it is dropped, so an extension stored in Helcim is kept',
  'country spelling: names ("Canada") and alpha-2 codes ("CA") are read as the alpha-3 code (CAN)',
  'letter case of province and state codes ("ab" is AB), and full province or state names for Canada and the United States ("Alberta" is AB)',
  'letter case of postal codes',
  'letter case of the domain of an email address (the part after "@"), and spaces in an email address',
];

const CODE_LIKE = /^[\p{L}\d]{1,3}$/u;

/** Alpha-3 for any known spelling; unknown text stays as normalised text (never thrown away). */
export function normalizeCountry(value: string): string {
  const text = normalizeText(value);
  return toAlpha3(text) ?? text;
}

/** Codes upper-case; Canadian and US names to codes; other countries' names as text. */
const UPPER_CODE = /^[A-Z\d]{1,3}$/;

export function normalizeProvince(value: string, country: string | undefined): string {
  if (UPPER_CODE.test(value)) return value;
  const text = normalizeText(value);
  if (CODE_LIKE.test(text)) return upperCase(text);
  if (country !== undefined && needsProvince(country)) return provinceCode(country, text) ?? text;
  return text;
}

/** Text for strings and numbers (remote data may carry numbers); undefined for anything else. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when `value` is a plain object holding exactly `count` own keys. Used after every known
 * field was found already normalised: the input is then returned as is, since copying 100,000
 * unchanged records is most of the cost of loading a clean file.
 */
function isExactly<T>(
  value: Record<string, unknown>,
  count: number,
): value is Record<string, unknown> & T {
  // Object.keys counts own enumerable keys like a for-in with hasOwn, and is several times faster.
  return Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length === count;
}

// Field names never collide with Object.prototype members, so plain reads need no hasOwn check.
function fieldOf(record: Record<string, unknown>, name: string): string | undefined {
  return asText(record[name]);
}

export function normalizeAddressField(
  field: AddressField,
  value: string,
  country: string | undefined,
): string {
  switch (field) {
    case 'country':
      return normalizeCountry(value);
    case 'province':
      return normalizeProvince(value, country);
    case 'postalCode':
      return normalizePostalCode(value);
    case 'phone':
      return normalizePhone(value);
    case 'email':
      return normalizeEmail(value);
    default:
      return normalizeText(value);
  }
}

/**
 * The set fields of `value` before field number `upTo`, as they are. Used when a first field
 * needs a change: every field before it was already normal, so it is copied unchanged, and a
 * record that needs no change allocates nothing at all.
 */
function copyAddress(value: Record<string, unknown>, upTo: number): Address | undefined {
  let out: Address | undefined;
  for (let j = 0; j < upTo; j++) {
    const field = ADDRESS_FIELDS[j];
    if (field === undefined) continue;
    const v = value[field];
    if (typeof v === 'string' && v !== '') (out ??= {})[field] = v;
  }
  return out;
}

/** An address with only its set fields, or undefined when none is set (Helcim's `""` included). */
export function normalizeAddress(value: unknown): Address | undefined {
  if (!isObject(value)) return undefined;
  const rawCountry = fieldOf(value, 'country');
  const country = rawCountry === undefined ? undefined : normalizeCountry(rawCountry);
  let out: Address | undefined;
  let same = 0;
  let changed = false;
  for (let f = 0; f < ADDRESS_FIELDS.length; f++) {
    const field = ADDRESS_FIELDS[f];
    if (field === undefined) continue;
    const raw = value[field];
    const text = field === 'country' ? rawCountry : asText(raw);
    let normal: string | undefined;
    if (text !== undefined) {
      normal =
        field === 'country' && country !== undefined
          ? country
          : normalizeAddressField(field, text, country);
      if (normal === raw && normal !== '') {
        same++;
        if (changed) (out ??= {})[field] = normal;
        continue;
      }
    } else if (raw === undefined) continue;
    if (!changed) {
      changed = true;
      out = copyAddress(value, f);
    }
    if (normal !== undefined && normal !== '') (out ??= {})[field] = normal;
  }
  if (changed || same === 0) return out;
  return isExactly<Address>(value, same) ? value : copyAddress(value, ADDRESS_FIELDS.length);
}

const SCALARS = ['customerCode', 'contactName', 'businessName', 'cellPhone'] as const;

function copyScalars(value: Record<string, unknown>, upTo: number): CustomerData {
  const out: CustomerData = {};
  for (let j = 0; j < upTo; j++) {
    const field = SCALARS[j];
    if (field === undefined) continue;
    const v = value[field];
    if (typeof v === 'string' && v !== '') out[field] = v;
  }
  return out;
}

/**
 * The canonical, comparable form of a customer from any source. A record that is already
 * canonical (most of them, once a file has been synced) is returned as is, without a copy.
 */
export function normalizeCustomer(value: unknown): CustomerData {
  if (!isObject(value)) return {};
  let out: CustomerData | undefined;
  let same = 0;
  for (let f = 0; f < SCALARS.length; f++) {
    const field = SCALARS[f];
    if (field === undefined) continue;
    const raw = value[field];
    const text = asText(raw);
    let normal: string | undefined;
    if (text !== undefined) {
      normal = field === 'cellPhone' ? normalizePhone(text) : normalizeText(text);
      if (normal === raw && normal !== '') {
        same++;
        if (out !== undefined) out[field] = normal;
        continue;
      }
    } else if (raw === undefined) continue;
    out ??= copyScalars(value, f);
    if (normal !== undefined && normal !== '') out[field] = normal;
  }
  const billingRaw = value['billingAddress'];
  const shippingRaw = value['shippingAddress'];
  const billing = billingRaw === undefined ? undefined : normalizeAddress(billingRaw);
  const shipping = shippingRaw === undefined ? undefined : normalizeAddress(shippingRaw);
  let changed = out !== undefined;
  if (billingRaw !== undefined) {
    if (billing === billingRaw) same++;
    else changed = true;
  }
  if (shippingRaw !== undefined) {
    if (shipping === shippingRaw) same++;
    else changed = true;
  }
  if (!changed && isExactly<CustomerData>(value, same)) return value;
  out ??= copyScalars(value, SCALARS.length);
  if (billing !== undefined) out.billingAddress = billing;
  if (shipping !== undefined) out.shippingAddress = shipping;
  return out;
}
