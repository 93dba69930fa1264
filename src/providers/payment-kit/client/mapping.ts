/**
 * The one place that knows how Payment Kit spells a customer on the wire. `null` and `""` both
 * mean "not set" there (the contract leaves which one the server sends unverified), and both
 * become an absent field here. A wire customer is first read into `PaymentKitCustomer` (the
 * listing and the mode checks need its id and livemode), then handed out as the canonical
 * `RemoteCustomer`; read-only fields (balance, livemode, dates) never go back on the wire.
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
type TextKey = (typeof TEXT_KEYS)[number];

/** A wire customer as the client reads it, before it becomes canonical. Absent means unset. */
export interface PaymentKitCustomer {
  /** `cus_…` */
  id: string;
  did: string;
  livemode: boolean;
  name?: string;
  email?: string;
  phone?: string;
  description?: string;
  /** Absent when every part is unset. */
  address?: PaymentKitAddress;
  /** Always an object, `{}` when there is none. */
  metadata: Record<string, string>;
  /** ISO 8601 with milliseconds, UTC, as the server sends it. */
  readonly created_at?: string;
  readonly updated_at?: string;
}

/** One page of a list or a search. */
export interface PaymentKitPage {
  count: number;
  list: PaymentKitCustomer[];
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

function parseAddress(value: unknown): Parsed<PaymentKitAddress | undefined> {
  if (value === undefined || value === null || value === '') return { ok: true, value: undefined };
  if (!isRecord(value)) return { ok: false, reason: '"address" is not an object' };
  let address: PaymentKitAddress | undefined;
  for (const key of ADDRESS_KEYS) {
    const part = text(value[key]);
    if (part === false) return { ok: false, reason: `"address.${key}" is not text` };
    if (part !== undefined) (address ??= {})[key] = part;
  }
  return { ok: true, value: address };
}

/**
 * Metadata as a string map. Loosely typed values are kept as their text (numbers, booleans,
 * nested JSON) rather than failing a whole listing over one record; `null` values are unset.
 */
function parseMetadata(value: unknown): Parsed<Record<string, string>> {
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (!isRecord(value)) return { ok: false, reason: '"metadata" is not an object' };
  const metadata: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    metadata[key] = typeof item === 'string' ? item : JSON.stringify(item);
  }
  return { ok: true, value: metadata };
}

function setText(customer: PaymentKitCustomer, key: TextKey, value: string | undefined): void {
  if (value !== undefined) customer[key] = value;
}

/** Wire customer → `PaymentKitCustomer`, or the reason the body is not one. */
export function parseCustomer(value: unknown): Parsed<PaymentKitCustomer> {
  if (!isRecord(value)) return { ok: false, reason: 'customer is not an object' };
  const { id, did, livemode } = value;
  if (typeof id !== 'string' || id === '') return { ok: false, reason: 'customer has no "id"' };
  if (typeof did !== 'string' || did === '')
    return { ok: false, reason: `customer ${id} has no "did"` };
  if (typeof livemode !== 'boolean') {
    return { ok: false, reason: `customer ${id} has no boolean "livemode"` };
  }
  const address = parseAddress(value['address']);
  if (!address.ok) return { ok: false, reason: `customer ${id}: ${address.reason}` };
  const metadata = parseMetadata(value['metadata']);
  if (!metadata.ok) return { ok: false, reason: `customer ${id}: ${metadata.reason}` };
  const customer: PaymentKitCustomer = {
    id,
    did,
    livemode,
    ...(address.value === undefined ? {} : { address: address.value }),
    metadata: metadata.value,
    ...readDates(value),
  };
  for (const key of TEXT_KEYS) {
    const field = text(value[key]);
    if (field === false) return { ok: false, reason: `customer ${id}: "${key}" is not text` };
    setText(customer, key, field);
  }
  return { ok: true, value: customer };
}

function readDates(value: JsonRecord): Pick<PaymentKitCustomer, 'created_at' | 'updated_at'> {
  const out: { created_at?: string; updated_at?: string } = {};
  for (const key of ['created_at', 'updated_at'] as const) {
    const date = value[key];
    if (typeof date === 'string' && date !== '') out[key] = date;
  }
  return out;
}

/** `{ count, list, paging }` of a list or a search. */
export function parsePage(value: unknown): Parsed<PaymentKitPage> {
  if (!isRecord(value)) return { ok: false, reason: 'expected a JSON object with "list"' };
  const { count, list, paging } = value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    return { ok: false, reason: '"count" is not a whole number' };
  }
  if (!Array.isArray(list)) return { ok: false, reason: '"list" is not an array' };
  const customers: PaymentKitCustomer[] = [];
  for (const [index, item] of list.entries()) {
    const parsed = parseCustomer(item);
    if (!parsed.ok) return { ok: false, reason: `list item ${index}: ${parsed.reason}` };
    customers.push(parsed.value);
  }
  const size = isRecord(paging) ? paging['pageSize'] : undefined;
  const pageSize = typeof size === 'number' && Number.isSafeInteger(size) ? size : undefined;
  return { ok: true, value: { count, list: customers, pageSize } };
}

/** The canonical customer the port hands out: data fields named as the field list names them. */
export function toRemoteCustomer(customer: PaymentKitCustomer): RemoteCustomer {
  const out: RemoteCustomer = { id: customer.id, did: customer.did };
  for (const key of TEXT_KEYS) {
    const value = customer[key];
    if (value !== undefined) out[key] = value;
  }
  if (customer.address !== undefined) out['address'] = { ...customer.address };
  if (Object.keys(customer.metadata).length > 0) out['metadata'] = { ...customer.metadata };
  if (customer.created_at !== undefined) out.createdAt = customer.created_at;
  if (customer.updated_at !== undefined) out.updatedAt = customer.updated_at;
  return out;
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
