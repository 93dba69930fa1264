/**
 * The one place that knows how Helcim spells a customer on the wire. Everything else in the
 * project speaks the canonical `CustomerData` / `RemoteCustomer`: Helcim's lowercase
 * `cellphone`, its `""` for unset values, numeric ids and zeroed dates stop here.
 */
import {
  groupOf,
  textOf,
  type CustomerData,
  type FieldGroup,
  type RemoteCustomer,
} from '../../../core/customer.js';
import type { Address } from '../fields.js';
import { ADDRESS_FIELDS, ADDRESS_KINDS, SCALAR_FIELDS } from '../fields.js';
import type { RemoteProblem } from '../../../core/errors.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body of `POST /customers` and `PUT /customers/{id}`. */
export interface HelcimCustomerBody {
  customerCode?: string;
  contactName?: string;
  businessName?: string;
  cellPhone?: string;
  billingAddress?: Address;
  shippingAddress?: Address;
}

/** A stored card, as `includeCards=yes` returns it; the sync itself never needs cards. */
export interface HelcimCard {
  id: string;
  cardHolderName?: string;
  cardF6L4?: string;
  cardToken?: string;
  cardExpiry?: string;
  isDefault: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The zeroed date as Helcim spells it: most customers were never updated. */
const HELCIM_ZERO_DATE = '0000-00-00 00:00:00';
const ZERO_DATE = /^0{4}-0{2}-0{2}[ T]0{2}:0{2}:0{2}$/;
const HELCIM_DATE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/;

/** `2025-04-10 14:33:08` → `2025-04-10T14:33:08`; the zeroed "never" date and junk → absent. */
export function mapDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === HELCIM_ZERO_DATE || ZERO_DATE.test(value))
    return undefined;
  const match = HELCIM_DATE.exec(value);
  return match === null ? undefined : `${match[1]}T${match[2]}`;
}

/** What `text` answers for a value that is not text: a marker, so no result object is built. */
const NOT_TEXT: unique symbol = Symbol('not text');

/**
 * Optional text on the wire: absent, `null` and `""` all mean unset. Answers the text, undefined,
 * or NOT_TEXT; a listing reads 2,000,000 of these, so no result object is built for each.
 */
function text(record: JsonRecord, key: string): string | undefined | typeof NOT_TEXT {
  const value = record[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (value === undefined || value === null) return undefined;
  // Numbers happen in loosely typed JSON (a phone sent as digits); text is what was meant.
  if (typeof value === 'number') return String(value);
  return NOT_TEXT;
}

function notText(record: JsonRecord, key: string): { ok: false; reason: string } {
  return { ok: false, reason: `"${key}" is ${typeof record[key]}, expected text` };
}

/** Optional text on the wire: absent, `null` and `""` all mean unset. */
function optionalText(record: JsonRecord, key: string): Parsed<string | undefined> {
  const value = text(record, key);
  return value === NOT_TEXT ? notText(record, key) : { ok: true, value };
}

/** A wire address: `""` (or null, `{}`, all-empty) means no address at all. */
export function mapAddress(value: unknown, key: string): Parsed<Address | undefined> {
  if (value === undefined || value === null || value === '') return { ok: true, value: undefined };
  if (Array.isArray(value) && value.length === 0) return { ok: true, value: undefined };
  if (!isRecord(value)) return { ok: false, reason: `"${key}" is not an address object` };
  let address: Address | undefined;
  for (const field of ADDRESS_FIELDS) {
    const parsed = text(value, field);
    if (parsed === NOT_TEXT) return { ok: false, reason: `${key}.${notText(value, field).reason}` };
    if (parsed !== undefined) (address ??= {})[field] = parsed;
  }
  return { ok: true, value: address };
}

const SCALAR_WIRE_NAMES = [
  ['contactName', 'contactName'],
  ['businessName', 'businessName'],
  ['cellphone', 'cellPhone'],
] as const;

/** Wire customer → canonical `RemoteCustomer`, or the reason the body is not a customer. */
export function parseCustomer(value: unknown): Parsed<RemoteCustomer> {
  if (!isRecord(value)) return { ok: false, reason: 'customer is not an object' };
  const id = value['id'];
  if (!(typeof id === 'number' && Number.isSafeInteger(id)) && !(typeof id === 'string' && id)) {
    return { ok: false, reason: 'customer has no numeric "id"' };
  }
  const code = value['customerCode'];
  if (typeof code !== 'string') return { ok: false, reason: 'customer has no "customerCode"' };
  const customer: RemoteCustomer = { id: String(id), customerCode: code };
  for (const [wire, canonical] of SCALAR_WIRE_NAMES) {
    // Helcim answers `cellphone`; accept the request spelling too in case that ever changes.
    const key = wire in value ? wire : canonical;
    const parsed = text(value, key);
    if (parsed === NOT_TEXT) return notText(value, key);
    if (parsed !== undefined) customer[canonical] = parsed;
  }
  for (const kind of ADDRESS_KINDS) {
    const parsed = mapAddress(value[kind], kind);
    if (!parsed.ok) return parsed;
    if (parsed.value !== undefined) customer[kind] = parsed.value;
  }
  const createdAt = mapDate(value['dateCreated']);
  if (createdAt !== undefined) customer.createdAt = createdAt;
  const updatedAt = mapDate(value['dateUpdated']);
  if (updatedAt !== undefined) customer.updatedAt = updatedAt;
  return { ok: true, value: customer };
}

/** A list page: a bare array of customers. */
export function parseCustomerList(value: unknown): Parsed<RemoteCustomer[]> {
  if (!Array.isArray(value)) return { ok: false, reason: 'expected a JSON array of customers' };
  const customers: RemoteCustomer[] = [];
  for (const [index, item] of value.entries()) {
    const parsed = parseCustomer(item);
    if (!parsed.ok) return { ok: false, reason: `item ${index}: ${parsed.reason}` };
    customers.push(parsed.value);
  }
  return { ok: true, value: customers };
}

/** Cards of a customer fetched with `includeCards=yes`; ignored by the sync. */
export function parseCards(value: unknown): Parsed<HelcimCard[]> {
  if (value === undefined || value === '') return { ok: true, value: [] };
  if (!Array.isArray(value)) return { ok: false, reason: '"cards" is not an array' };
  const cards: HelcimCard[] = [];
  for (const item of value) {
    if (!isRecord(item)) return { ok: false, reason: 'a card is not an object' };
    const id = item['id'];
    if (typeof id !== 'number' && typeof id !== 'string') {
      return { ok: false, reason: 'a card has no "id"' };
    }
    const card: HelcimCard = { id: String(id), isDefault: item['default'] === true };
    for (const key of ['cardHolderName', 'cardF6L4', 'cardToken', 'cardExpiry'] as const) {
      const parsed = optionalText(item, key);
      if (!parsed.ok) return parsed;
      if (parsed.value !== undefined) card[key] = parsed.value;
    }
    cards.push(card);
  }
  return { ok: true, value: cards };
}

function addressBody(address: FieldGroup): Address {
  const out: Address = {};
  for (const field of ADDRESS_FIELDS) {
    const value = textOf(address[field]);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/**
 * Canonical data → request body. Addresses go whole: what Helcim does to the sub-fields a PUT
 * leaves out is unverified, so the caller sends every sub-field it wants kept. Values pass
 * through as given, so an explicit `""` still reaches the service.
 */
export function toRequestBody(data: CustomerData): HelcimCustomerBody {
  const body: HelcimCustomerBody = {};
  for (const field of SCALAR_FIELDS) {
    const value = textOf(data[field]);
    if (value !== undefined) body[field] = value;
  }
  for (const kind of ADDRESS_KINDS) {
    const address = groupOf(data[kind]);
    if (address !== undefined) body[kind] = addressBody(address);
  }
  return body;
}

function problemText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Helcim's `errors` member comes as a string, an array of strings, or an object keyed by field
 * whose values are a string or an array of strings; all become `{ field?, message }[]`.
 */
export function normalizeErrors(errors: unknown): RemoteProblem[] {
  if (errors === undefined || errors === null || errors === '') return [];
  if (typeof errors === 'string') return [{ message: errors }];
  if (Array.isArray(errors)) {
    return errors.flatMap((item) =>
      isRecord(item) ? normalizeErrors(item) : [{ message: problemText(item) }],
    );
  }
  if (isRecord(errors)) {
    const problems: RemoteProblem[] = [];
    for (const [field, value] of Object.entries(errors)) {
      const messages = Array.isArray(value) ? value : [value];
      for (const message of messages) problems.push({ field, message: problemText(message) });
    }
    return problems;
  }
  return [{ message: problemText(errors) }];
}

/** The problems of an error body, if it has an `errors` member. */
export function problemsOf(body: unknown): RemoteProblem[] | undefined {
  if (!isRecord(body) || !('errors' in body)) return undefined;
  return normalizeErrors(body['errors']);
}

const DUPLICATE_WORDS = /exist|duplicate|already|in use|taken|unique/i;

/** Whether a 400's problems say that `code` belongs to another customer already. */
export function isDuplicateCode(problems: readonly RemoteProblem[], code: string): boolean {
  return problems.some(
    (p) =>
      DUPLICATE_WORDS.test(p.message) &&
      (p.field === 'customerCode' || p.message.includes(code) || /customer ?code/i.test(p.message)),
  );
}
