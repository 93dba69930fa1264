/**
 * The one place that knows how Payment Kit spells a customer on the wire. `null` and `""` both
 * mean "not set" there (the contract leaves which one the server sends unverified), and both
 * become an absent field here; read-only fields are read but can never be sent back.
 */
import type { RemoteProblem } from '../../../core/errors.js';
import { isRecord, type JsonRecord, type Parsed } from '../../helcim/client/mapping.js';

export const ADDRESS_KEYS = ['country', 'state', 'city', 'line1', 'line2', 'postal_code'] as const;
export type PaymentKitAddressKey = (typeof ADDRESS_KEYS)[number];
/** An address with its unset parts absent; `country` is ISO 3166-1 alpha-2. */
export type PaymentKitAddress = { [K in PaymentKitAddressKey]?: string };

const TEXT_KEYS = ['name', 'email', 'phone', 'description'] as const;
type TextKey = (typeof TEXT_KEYS)[number];

/** A customer as this client hands it out. Absent means "not set" (`null` or `""` on the wire). */
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
  // Read-only: the server's, never sent back.
  /** A decimal string; negative is a credit. */
  readonly balance?: string;
  readonly delinquent?: boolean;
  /** ISO 8601 with milliseconds, UTC, as the server sends it. */
  readonly created_at?: string;
  readonly updated_at?: string;
}

/**
 * What `update` may send: the updatable fields only. `address` and `metadata` are sent whole
 * (the server may replace or merge them; a whole object ends the same either way), and `""`
 * clears a text field (`null` is refused by the server).
 */
export interface PaymentKitPatch {
  name?: string;
  email?: string;
  phone?: string;
  description?: string;
  address?: PaymentKitAddress;
  metadata?: Record<string, string>;
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
  const balance = text(value['balance']);
  const delinquent = value['delinquent'];
  const customer: PaymentKitCustomer = {
    id,
    did,
    livemode,
    ...(address.value === undefined ? {} : { address: address.value }),
    metadata: metadata.value,
    ...(typeof balance === 'string' ? { balance } : {}),
    ...(typeof delinquent === 'boolean' ? { delinquent } : {}),
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

/**
 * The PUT body: the updatable fields that were given, and nothing else (a read-only field that
 * slipped into a spread object is dropped here, never sent). An address goes whole, every part
 * present (`""` for the unset ones), so that a merging and a replacing server end the same.
 */
export function toUpdateBody(patch: PaymentKitPatch): JsonRecord {
  const body: JsonRecord = {};
  for (const key of TEXT_KEYS) {
    const value = patch[key];
    if (value !== undefined) body[key] = value;
  }
  if (patch.address !== undefined) {
    const address: Record<string, string> = {};
    for (const key of ADDRESS_KEYS) address[key] = patch.address[key] ?? '';
    body['address'] = address;
  }
  if (patch.metadata !== undefined) body['metadata'] = { ...patch.metadata };
  return body;
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
