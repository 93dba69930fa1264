/**
 * Request-body rules of the Customer API, checked in the order Helcim appears to: shape and
 * types, then the name rule, then field rules. Field errors are keyed by dotted path
 * (`cellPhone`, `billingAddress.postalCode`), one message per field.
 */
import { isPlainObject } from '../../../emulator/http-io.js';
import { isAlpha3 } from '../../../core/countries.js';
import type { CustomerInput } from './store.js';
import type { ErrorBody } from '../../../emulator/types.js';
import { REQUEST_TEXT_FIELDS, WIRE_ADDRESS_KEYS, type WireAddress } from './types.js';

export const NAME_REQUIRED = 'Contact name or business name should be filled';

export type Validation = { ok: true; input: CustomerInput } | { ok: false; errors: ErrorBody };

// Helcim's request field names: the emulator's own lists (see types.ts).
const STRING_FIELDS = REQUEST_TEXT_FIELDS;
const ADDRESS_KEYS = WIRE_ADDRESS_KEYS;
const REQUIRED_ADDRESS_KEYS = ['name', 'street1', 'postalCode'] as const;
/** Countries for which province and country come as a pair. */
const PAIRED_COUNTRIES = new Set(['CAN', 'USA']);

/**
 * `body` is the parsed JSON (already known to be an object). Unknown top-level keys are ignored,
 * as most APIs do; so are unknown address keys.
 */
export function validateCustomerBody(body: Record<string, unknown>): Validation {
  const fieldErrors: Record<string, string> = {};
  const input: CustomerInput = {};

  for (const field of STRING_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value === 'string') input[field] = value;
    else fieldErrors[field] = `${field} must be a string`;
  }
  for (const kind of ['billingAddress', 'shippingAddress'] as const) {
    const value = body[kind];
    if (value === undefined) continue;
    // `""` is how Helcim writes "no address"; accepting it back lets an update clear one.
    if (value === '') input[kind] = '';
    else if (!isPlainObject(value)) fieldErrors[kind] = `${kind} must be an object`;
    else {
      const address = readAddress(kind, value, fieldErrors);
      if (address !== undefined) input[kind] = address;
    }
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, errors: fieldErrors };

  // The name rule looks at the body only, on update too (recorded behaviour). A name of spaces
  // only is as empty as "" (unverified: the docs' "non-empty" read strictly).
  if ((input.contactName ?? '').trim() === '' && (input.businessName ?? '').trim() === '') {
    return { ok: false, errors: NAME_REQUIRED };
  }

  if (input.cellPhone !== undefined && input.cellPhone !== '') {
    const length = input.cellPhone.length;
    if (length < 10 || length > 16) {
      fieldErrors['cellPhone'] = 'cellPhone must be between 10 and 16 characters';
    }
  }
  for (const kind of ['billingAddress', 'shippingAddress'] as const) {
    const address = input[kind];
    if (address !== undefined && address !== '') checkAddress(kind, address, fieldErrors);
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, errors: fieldErrors };
  return { ok: true, input };
}

/** An address as Helcim answers it before any field is set: every key present, all `""`. */
export function blankWireAddress(): WireAddress {
  return {
    name: '',
    street1: '',
    street2: '',
    city: '',
    province: '',
    country: '',
    postalCode: '',
    phone: '',
    email: '',
  };
}

function readAddress(
  kind: string,
  value: Record<string, unknown>,
  errors: Record<string, string>,
): WireAddress | undefined {
  const address = blankWireAddress();
  let ok = true;
  for (const key of ADDRESS_KEYS) {
    const field = value[key];
    if (field === undefined) continue;
    if (typeof field === 'string') address[key] = field;
    else {
      errors[`${kind}.${key}`] = `${kind}.${key} must be a string`;
      ok = false;
    }
  }
  return ok ? address : undefined;
}

function checkAddress(kind: string, address: WireAddress, errors: Record<string, string>): void {
  for (const key of REQUIRED_ADDRESS_KEYS) {
    if (address[key].trim() === '') errors[`${kind}.${key}`] = `${kind}.${key} is required`;
  }
  if (address.phone !== '' && !/^\d{10,15}$/.test(address.phone)) {
    errors[`${kind}.phone`] = `${kind}.phone must be 10 to 15 digits`;
  }
  const { country, province } = address;
  if (country !== '' && !isAlpha3(country)) {
    errors[`${kind}.country`] =
      `${kind}.country must be an ISO 3166-1 alpha-3 code such as CAN or USA, got "${country}"`;
  } else if (PAIRED_COUNTRIES.has(country) && province === '') {
    errors[`${kind}.province`] = `${kind}.province is required when country is ${country}`;
  } else if (province !== '' && country === '') {
    // The pairing rule is for CAN/USA, but a province alone cannot say which country it is in,
    // so the emulator asks for the country: the stricter reading.
    errors[`${kind}.country`] = `${kind}.country is required when province is given`;
  } else if (PAIRED_COUNTRIES.has(country) && !/^[A-Z]{2}$/.test(province)) {
    errors[`${kind}.province`] =
      `${kind}.province must be a two-letter code for ${country}, got "${province}"`;
  }
}
