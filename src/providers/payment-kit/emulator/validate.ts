/**
 * The rules of `PUT /api/customers/{id}`. Payment Kit's own rules are unverified; these take the
 * safe side: anything a client could get wrong without noticing (a read-only or misspelt field,
 * `null`, a Helcim-style address key) is a 400 naming the dotted path, never silently ignored.
 */
import countries from 'i18n-iso-countries/index.js';
import { isPlainObject } from '../../../emulator/http-io.js';
import { blankAddress } from './seed.js';
import type { CustomerPatch } from './store.js';
import type { PkAddress, PkShipping } from './types.js';

export type PatchValidation = { ok: true; patch: CustomerPatch } | { ok: false; error: string };

const TEXT_FIELDS = ['name', 'email', 'phone', 'description'] as const;
const ADDRESS_KEYS = ['country', 'state', 'city', 'line1', 'line2', 'postal_code'] as const;
/** The model's fields a client may read but never write (the contract: "never sent"). */
const READ_ONLY = new Set([
  'id',
  'object',
  'livemode',
  'did',
  'balance',
  'token_balance',
  'delinquent',
  'currency_id',
  'discount_id',
  'invoice_prefix',
  'invoice_settings',
  'invoice_credit_balance',
  'next_invoice_sequence',
  'preference',
  'created_at',
  'updated_at',
  'last_sync_at',
]);
const WRITABLE = new Set<string>([...TEXT_FIELDS, 'address', 'shipping', 'metadata']);
/** Deliberately simple: one `@`, a dot in the domain, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Exact uppercase ISO 3166-1 alpha-2 (`US`, `CA`); `UK` and `us` are not. */
export function isAlpha2(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.alpha2ToAlpha3(code) !== undefined;
}

/** `body` is the parsed JSON, already known to be an object. */
export function validateUpdate(body: Record<string, unknown>): PatchValidation {
  const problems: string[] = [];
  const patch: CustomerPatch = {};
  for (const key of Object.keys(body)) {
    if (READ_ONLY.has(key)) problems.push(`${key} cannot be updated`);
    else if (!WRITABLE.has(key)) problems.push(`${key} is not a customer field`);
  }
  for (const field of TEXT_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') problems.push(`${field} must be a string${nullHint(value)}`);
    else patch[field] = value;
  }
  if (patch.email !== undefined && patch.email !== '' && !EMAIL.test(patch.email)) {
    problems.push(`email is not a valid email address: "${patch.email}"`);
  }
  if (body['address'] !== undefined) {
    const address = readAddress('address', body['address'], problems);
    if (address !== undefined) patch.address = address;
  }
  if (body['shipping'] !== undefined) {
    const shipping = readShipping(body['shipping'], problems);
    if (shipping !== undefined) patch.shipping = shipping;
  }
  if (body['metadata'] !== undefined) {
    const metadata = readMetadata(body['metadata'], problems);
    if (metadata !== undefined) patch.metadata = metadata;
  }
  return problems.length > 0 ? { ok: false, error: problems.join('; ') } : { ok: true, patch };
}

function nullHint(value: unknown): string {
  return value === null ? ' (send "" to clear it; null is not accepted)' : '';
}

/** Replaced whole: keys left out become `""`. */
function readAddress(path: string, value: unknown, problems: string[]): PkAddress | undefined {
  if (!isPlainObject(value)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  const before = problems.length;
  const address: PkAddress = blankAddress();
  const known: readonly string[] = ADDRESS_KEYS;
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      problems.push(`${path}.${key} is not an address field (fields: ${ADDRESS_KEYS.join(', ')})`);
    }
  }
  for (const key of ADDRESS_KEYS) {
    const field = value[key];
    if (field === undefined) continue;
    if (typeof field === 'string') address[key] = field;
    else problems.push(`${path}.${key} must be a string${nullHint(field)}`);
  }
  if (address.country !== '' && !isAlpha2(address.country)) {
    problems.push(
      `${path}.country must be an ISO 3166-1 alpha-2 code such as US or CA, got "${address.country}"`,
    );
  }
  return problems.length === before ? address : undefined;
}

function readShipping(value: unknown, problems: string[]): PkShipping | undefined {
  if (!isPlainObject(value)) {
    problems.push('shipping must be an object');
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(value)) {
    if (!['name', 'phone', 'address'].includes(key)) {
      problems.push(`shipping.${key} is not a shipping field (fields: name, phone, address)`);
    }
  }
  const text = (key: 'name' | 'phone'): string => {
    const field = value[key];
    if (field === undefined || typeof field === 'string') return field ?? '';
    problems.push(`shipping.${key} must be a string${nullHint(field)}`);
    return '';
  };
  const name = text('name');
  const phone = text('phone');
  const address =
    value['address'] === undefined
      ? blankAddress()
      : readAddress('shipping.address', value['address'], problems);
  return problems.length === before && address !== undefined ? { name, phone, address } : undefined;
}

/** The object sent replaces the stored one; a key is removed by leaving it out. */
function readMetadata(value: unknown, problems: string[]): Record<string, string> | undefined {
  if (!isPlainObject(value)) {
    problems.push('metadata must be an object of strings');
    return undefined;
  }
  const before = problems.length;
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === '') problems.push('metadata keys must not be empty');
    // An own `__proto__` key would vanish on assignment instead of being stored.
    else if (key === '__proto__') problems.push('metadata.__proto__ is not an allowed key');
    else if (typeof field !== 'string') {
      problems.push(
        `metadata.${key} must be a string` +
          (field === null ? ' (leave a key out of metadata to remove it)' : ''),
      );
    } else out[key] = field;
  }
  return problems.length === before ? out : undefined;
}
