/**
 * One desired record against its remote match: whether they differ in a managed field, and the
 * update that makes them equal (changes, payload, the record after, the fingerprint before).
 */
import { createHash } from 'node:crypto';
import type {
  Address,
  AddressField,
  AddressKind,
  CustomerData,
  RemoteCustomer,
  ScalarField,
} from '../core/customer.js';
import { ADDRESS_FIELDS, ADDRESS_KINDS, SCALAR_FIELDS } from '../core/customer.js';
import { canonicalJson, flatten, getField, withoutIgnored } from './fields.js';
import type { DesiredInput, FieldChange, UpdateAction } from './types.js';

export function diff(
  d: DesiredInput,
  remote: RemoteCustomer,
  ignore: ReadonlySet<string>,
): UpdateAction | undefined {
  const desired = withoutIgnored(d.data, ignore);
  if ((d.clear === undefined || d.clear.length === 0) && sameManaged(desired, remote))
    return undefined;
  const before = customerData(remote);
  const changes: FieldChange[] = [];
  for (const [path, value] of flatten(desired)) {
    const old = getField(before, path);
    if (old !== value)
      changes.push(
        old === undefined ? { field: path, new: value } : { field: path, old, new: value },
      );
  }
  for (const path of d.clear ?? []) {
    if (ignore.has(path) || ignore.has(path.split('.')[0] ?? '')) continue;
    const old = getField(before, path);
    if (old !== undefined) changes.push({ field: path, old });
  }
  if (changes.length === 0) return undefined;

  const changed = new Set(changes.map((c) => c.field.split('.')[0]));
  // What is sent builds on the record exactly as the provider returned it, so that the fields
  // the files do not manage (ignored, or simply absent) go back unchanged, never normalised.
  const payload = buildPayload(desired, customerData(remote.raw ?? remote), changed, changes);
  const after =
    remote.raw === undefined ? payload : buildPayload(desired, before, changed, changes);
  return {
    type: 'update',
    key: d.key,
    remoteId: remote.id,
    source: d.source,
    before,
    after: merge(before, after),
    changes,
    payload,
    fingerprint: fingerprint(remote),
  };
}

/**
 * The update body: the changed top-level fields, whole addresses (Helcim's handling of a partial
 * address is unverified) completed from `stored`, erasures as `""`, and a name, which Helcim
 * requires on every update.
 */
function buildPayload(
  desired: CustomerData,
  stored: CustomerData,
  changed: ReadonlySet<string | undefined>,
  changes: readonly FieldChange[],
): CustomerData {
  const payload: CustomerData = {};
  for (const field of SCALAR_FIELDS) {
    const value = desired[field];
    if (changed.has(field) && value !== undefined) payload[field] = value;
  }
  for (const kind of ADDRESS_KINDS) {
    if (changed.has(kind)) payload[kind] = { ...stored[kind], ...desired[kind] };
  }
  // Erasing is sent as an explicit empty value, which Helcim stores as unset.
  for (const change of changes) {
    if (change.new !== undefined) continue;
    const [head, sub] = change.field.split('.');
    for (const field of SCALAR_FIELDS) if (field === head) payload[field] = '';
    for (const kind of ADDRESS_KINDS) {
      const address = payload[kind];
      if (kind !== head || address === undefined || sub === undefined) continue;
      for (const f of ADDRESS_FIELDS) if (f === sub) address[f] = '';
    }
  }
  if (payload.contactName === undefined && payload.businessName === undefined) {
    const name = nameFor(desired, stored);
    if (name !== undefined) payload[name.field] = name.value;
  }
  return payload;
}

/**
 * True when every field the desired record sets holds the same value remotely: what the change
 * list below would find empty, checked without building anything, as most records are unchanged.
 */
function sameManaged(desired: CustomerData, remote: CustomerData): boolean {
  // Spelled out field by field: named reads stay fast where a loop over the field names makes
  // every read a lookup by a key only known at run time (100,000 records, 22 fields each).
  return (
    same(desired.customerCode, remote.customerCode) &&
    same(desired.contactName, remote.contactName) &&
    same(desired.businessName, remote.businessName) &&
    same(desired.cellPhone, remote.cellPhone) &&
    sameAddress(desired.billingAddress, remote.billingAddress) &&
    sameAddress(desired.shippingAddress, remote.shippingAddress)
  );
}

// Fails to compile when a field is added to the canonical customer and not to the reads above.
const SPELLED_OUT = {
  scalars: { customerCode: 1, contactName: 1, businessName: 1, cellPhone: 1 },
  address: {
    name: 1,
    street1: 1,
    street2: 1,
    city: 1,
    province: 1,
    country: 1,
    postalCode: 1,
    phone: 1,
    email: 1,
  },
} satisfies { scalars: Record<ScalarField, 1>; address: Record<AddressField, 1> };
void SPELLED_OUT;

function same(desired: string | undefined, stored: string | undefined): boolean {
  return desired === undefined || desired === stored;
}

function sameAddress(desired: Address | undefined, stored: Address | undefined): boolean {
  if (desired === undefined) return true;
  if (stored === undefined) return isEmptyAddress(desired);
  return (
    same(desired.name, stored.name) &&
    same(desired.street1, stored.street1) &&
    same(desired.street2, stored.street2) &&
    same(desired.city, stored.city) &&
    same(desired.province, stored.province) &&
    same(desired.country, stored.country) &&
    same(desired.postalCode, stored.postalCode) &&
    same(desired.phone, stored.phone) &&
    same(desired.email, stored.email)
  );
}

function isEmptyAddress(address: Address): boolean {
  for (const f of ADDRESS_FIELDS) if (address[f] !== undefined) return false;
  return true;
}

/** Helcim rejects an update whose body has no name, even when the stored customer has one. */
function nameFor(
  desired: CustomerData,
  before: CustomerData,
): { field: 'contactName' | 'businessName'; value: string } | undefined {
  for (const source of [desired, before]) {
    if (source.contactName !== undefined)
      return { field: 'contactName', value: source.contactName };
    if (source.businessName !== undefined)
      return { field: 'businessName', value: source.businessName };
  }
  return undefined;
}

/** The record as it will be once the payload is applied; `""` in a payload means unset. */
function merge(before: CustomerData, payload: CustomerData): CustomerData {
  const after: CustomerData = { ...before };
  for (const field of SCALAR_FIELDS) {
    const value = payload[field];
    if (value === '') delete after[field];
    else if (value !== undefined) after[field] = value;
  }
  for (const kind of ADDRESS_KINDS) {
    const value = payload[kind];
    if (value === undefined) continue;
    const address = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== ''));
    if (Object.keys(address).length === 0) delete after[kind];
    else after[kind] = address;
  }
  return after;
}

/** The managed data of a remote customer, without id and dates. */
export function customerData(remote: CustomerData): CustomerData {
  const data: CustomerData = {};
  for (const field of SCALAR_FIELDS) {
    const value = remote[field];
    if (value !== undefined) data[field] = value;
  }
  for (const kind of ADDRESS_KINDS) copyAddress(remote, data, kind);
  return data;
}

function copyAddress(from: CustomerData, to: CustomerData, kind: AddressKind): void {
  const address = from[kind];
  if (address !== undefined) to[kind] = { ...address };
}

/** Identifies the state of a remote record: any change to its data changes the fingerprint. */
export function fingerprint(remote: RemoteCustomer): string {
  return createHash('sha256')
    .update(`${remote.id}\n${canonicalJson(customerData(remote))}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * A code for a record matched by another key (an email, say) that has none: stable, so a re-run
 * after an interruption finds the customer the first run created instead of creating another.
 */
export function deriveCode(key: string): string {
  return `HS${createHash('sha256').update(key.toLowerCase()).digest('hex').slice(0, 12).toUpperCase()}`;
}
