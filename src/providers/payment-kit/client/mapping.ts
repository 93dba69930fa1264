/**
 * The one place that knows how Payment Kit spells a customer on the wire. `null` and `""` both
 * mean "not set" there (the contract leaves which one the server sends unverified), and both
 * become an absent field here. A wire customer is read in one pass into the canonical
 * `RemoteCustomer` the port hands out (a listing reads 100,000 of them: an intermediate form
 * copied again cost as much as the reading); its `livemode` is checked beside it, never carried.
 * Read-only fields (balance, livemode, dates) never go back on the wire.
 */
import type { CustomerData, FieldGroup, RemoteCustomer } from '../../../core/customer.js';
import { InputError, type RemoteProblem } from '../../../core/errors.js';
import { isRecord, type JsonRecord, type Parsed } from '../../helcim/client/mapping.js';
import { PAYMENT_KIT_ADDRESS_KEYS } from '../fields.js';

export const ADDRESS_KEYS = PAYMENT_KIT_ADDRESS_KEYS;
export type PaymentKitAddressKey = (typeof ADDRESS_KEYS)[number];
/** An address with its unset parts absent; `country` is ISO 3166-1 alpha-2. */
export type PaymentKitAddress = { [K in PaymentKitAddressKey]?: string };

const TEXT_KEYS = ['name', 'email', 'phone', 'description'] as const;

/** A single customer as read: canonical, and the mode (live or test) the server says it is of. */
export interface PaymentKitCustomer {
  customer: RemoteCustomer;
  livemode: boolean;
}

/** One page of a list or a search. */
export interface PaymentKitPage {
  count: number;
  list: RemoteCustomer[];
  /** The page size the server says it used, when it says. */
  pageSize: number | undefined;
}

/** Text or "not set"; `false` for a value that is neither (a number is text loosely typed). */
function text(value: unknown): string | undefined | false {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return false;
}

/** An address with its set parts, undefined when none is, or the reason it is not one. */
function readAddress(value: unknown): PaymentKitAddress | undefined | string {
  if (value === undefined || value === null || value === '') return undefined;
  if (!isRecord(value)) return '"address" is not an object';
  let address: PaymentKitAddress | undefined;
  for (const key of ADDRESS_KEYS) {
    const part = text(value[key]);
    if (part === false) return `"address.${key}" is not text`;
    if (part !== undefined) (address ??= {})[key] = part;
  }
  return address;
}

/**
 * Metadata as a string map, undefined when it holds nothing, or the reason it is not one.
 * Loosely typed values are kept as their text (numbers, booleans, nested JSON) rather than
 * failing a whole listing over one record; `null` values are unset.
 */
function readMetadata(value: unknown): Record<string, string> | undefined | string {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) return '"metadata" is not an object';
  let metadata: Record<string, string> | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = value[key];
    if (item === null || item === undefined) continue;
    (metadata ??= {})[key] = typeof item === 'string' ? item : JSON.stringify(item);
  }
  return metadata;
}

/**
 * Wire customer → canonical customer, or the reason (a string) the body is not one. Checks that
 * `livemode` is a boolean; what it says is for the caller to read off the wire record.
 */
function readCustomer(value: unknown): RemoteCustomer | string {
  if (!isRecord(value)) return 'customer is not an object';
  const { id, did, livemode } = value;
  if (typeof id !== 'string' || id === '') return 'customer has no "id"';
  if (typeof did !== 'string' || did === '') return `customer ${id} has no "did"`;
  if (typeof livemode !== 'boolean') return `customer ${id} has no boolean "livemode"`;
  const address = readAddress(value['address']);
  if (typeof address === 'string') return `customer ${id}: ${address}`;
  const metadata = readMetadata(value['metadata']);
  if (typeof metadata === 'string') return `customer ${id}: ${metadata}`;
  const customer: RemoteCustomer = { id, did };
  for (const key of TEXT_KEYS) {
    const field = text(value[key]);
    if (field === false) return `customer ${id}: "${key}" is not text`;
    if (field !== undefined) customer[key] = field;
  }
  if (address !== undefined) customer['address'] = address;
  if (metadata !== undefined) customer['metadata'] = metadata;
  const { created_at: created, updated_at: updated } = value;
  if (typeof created === 'string' && created !== '') customer.createdAt = created;
  if (typeof updated === 'string' && updated !== '') customer.updatedAt = updated;
  return customer;
}

/** Wire customer → canonical customer and its mode, or the reason the body is not one. */
export function parseCustomer(value: unknown): Parsed<PaymentKitCustomer> {
  const customer = readCustomer(value);
  if (typeof customer === 'string') return { ok: false, reason: customer };
  return { ok: true, value: { customer, livemode: modeOf(value) } };
}

/** The `livemode` of a wire record `readCustomer` accepted (so a boolean). */
function modeOf(value: unknown): boolean {
  return isRecord(value) && value['livemode'] === true;
}

/**
 * `{ count, list, paging }` of a list or a search. With `livemode`, a customer of the other mode
 * breaks the page (after every customer was read, so that a malformed one is named first): it
 * would be planned against, and written back into, the wrong set.
 */
export function parsePage(value: unknown, livemode?: boolean): Parsed<PaymentKitPage> {
  if (!isRecord(value)) return { ok: false, reason: 'expected a JSON object with "list"' };
  const { count, list, paging } = value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    return { ok: false, reason: '"count" is not a whole number' };
  }
  if (!Array.isArray(list)) return { ok: false, reason: '"list" is not an array' };
  const customers: RemoteCustomer[] = [];
  let stray: RemoteCustomer | undefined;
  for (let index = 0; index < list.length; index++) {
    const item: unknown = list[index];
    const customer = readCustomer(item);
    if (typeof customer === 'string')
      return { ok: false, reason: `list item ${index}: ${customer}` };
    if (livemode !== undefined && stray === undefined && modeOf(item) !== livemode)
      stray = customer;
    customers.push(customer);
  }
  if (stray !== undefined && livemode !== undefined) {
    return { ok: false, reason: `customer ${stray.id} has livemode ${!livemode}` };
  }
  const size = isRecord(paging) ? paging['pageSize'] : undefined;
  const pageSize = typeof size === 'number' && Number.isSafeInteger(size) ? size : undefined;
  return { ok: true, value: { count, list: customers, pageSize } };
}

function notSendable(field: string, what: string): InputError {
  return new InputError(`A Payment Kit update cannot send ${field}: ${what}.`, {
    hint: 'Text fields take text ("" clears one); address and metadata take objects of text.',
  });
}

/**
 * The PUT body of a canonical patch: the updatable fields that were given, and nothing else.
 * `did`, `id`, dates and whatever else the server keeps itself are left out, never sent (the
 * server refuses them, and a patch built from a fetched customer may carry them). A value of the
 * wrong kind is refused rather than dropped: dropping a metadata key would delete it remotely.
 *
 * An address goes whole, every part present (`""` for the unset ones): a merging server would
 * otherwise keep a part the patch left out to erase it, a replacing one erases it either way.
 * Metadata goes as given, the whole resulting object (src/providers/payment-kit/update.ts).
 */
export function toUpdateBody(patch: CustomerData): JsonRecord {
  const body: JsonRecord = {};
  for (const key of TEXT_KEYS) {
    const value = patch[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw notSendable(key, 'it is not text');
    body[key] = value;
  }
  const address = patch['address'];
  if (address !== undefined) {
    if (typeof address !== 'object') throw notSendable('address', 'it is not an object');
    const whole: Record<string, string> = {};
    for (const key of ADDRESS_KEYS) whole[key] = textPart('address', address, key) ?? '';
    for (const key of Object.keys(address)) {
      if (address[key] !== undefined && !isAddressKey(key))
        throw notSendable(`address.${key}`, 'Payment Kit addresses have no such part');
    }
    body['address'] = whole;
  }
  const metadata = patch['metadata'];
  if (metadata !== undefined) {
    if (typeof metadata !== 'object') throw notSendable('metadata', 'it is not an object');
    const whole: Record<string, string> = {};
    for (const key of Object.keys(metadata)) {
      const value = textPart('metadata', metadata, key);
      if (value !== undefined) whole[key] = value;
    }
    body['metadata'] = whole;
  }
  return body;
}

function isAddressKey(key: string): key is PaymentKitAddressKey {
  return ADDRESS_KEYS.some((known) => known === key);
}

function textPart(name: string, group: FieldGroup, key: string): string | undefined {
  const value = group[key];
  if (value === undefined || typeof value === 'string') return value;
  throw notSendable(`${name}.${key}`, 'it is not text');
}

/** The `error` text of an error body (or `message`, should a proxy answer instead). */
export function problemsOf(body: unknown): RemoteProblem[] {
  if (!isRecord(body)) return [];
  for (const key of ['error', 'message'] as const) {
    const value = body[key];
    if (typeof value === 'string' && value !== '') return [{ message: value }];
  }
  return [];
}
