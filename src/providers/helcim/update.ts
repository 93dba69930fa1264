/**
 * How Helcim wants a customer written: an update sends whole addresses, erases with `""`, and
 * always carries a name; a create for a record without a code gets a code derived from its key.
 */
import { createHash } from 'node:crypto';
import { groupOf, textOf, type CustomerData, type FieldGroup } from '../../core/customer.js';
import type { UpdateInput } from '../types.js';
import { ADDRESS_FIELDS, ADDRESS_KINDS, SCALAR_FIELDS } from './fields.js';

/**
 * The update body: the changed top-level fields, whole addresses (Helcim's handling of a partial
 * address is unverified) completed from `stored`, erasures as `""`, and a name, which Helcim
 * requires on every update.
 */
export function helcimUpdatePayload({ desired, stored, changes }: UpdateInput): CustomerData {
  const changed = new Set(changes.map((c) => c.field.split('.')[0]));
  const payload: CustomerData = {};
  for (const field of SCALAR_FIELDS) {
    const value = textOf(desired[field]);
    if (changed.has(field) && value !== undefined) payload[field] = value;
  }
  for (const kind of ADDRESS_KINDS) {
    if (changed.has(kind)) payload[kind] = { ...groupOf(stored[kind]), ...groupOf(desired[kind]) };
  }
  // Erasing is sent as an explicit empty value, which Helcim stores as unset.
  for (const change of changes) {
    if (change.new !== undefined) continue;
    const [head, sub] = change.field.split('.');
    for (const field of SCALAR_FIELDS) if (field === head) payload[field] = '';
    for (const kind of ADDRESS_KINDS) {
      const address = groupOf(payload[kind]);
      if (kind !== head || address === undefined || sub === undefined) continue;
      for (const f of ADDRESS_FIELDS) if (f === sub) address[f] = '';
    }
  }
  if (payload['contactName'] === undefined && payload['businessName'] === undefined) {
    const name = nameFor(desired, stored);
    if (name !== undefined) payload[name.field] = name.value;
  }
  return payload;
}

/** Helcim rejects an update whose body has no name, even when the stored customer has one. */
function nameFor(
  desired: CustomerData,
  before: CustomerData,
): { field: 'contactName' | 'businessName'; value: string } | undefined {
  for (const source of [desired, before]) {
    const contactName = textOf(source['contactName']);
    if (contactName !== undefined) return { field: 'contactName', value: contactName };
    const businessName = textOf(source['businessName']);
    if (businessName !== undefined) return { field: 'businessName', value: businessName };
  }
  return undefined;
}

/** The record as it will be once the payload is applied; `""` in a payload means unset. */
export function helcimAfterUpdate(before: CustomerData, payload: CustomerData): CustomerData {
  const after: CustomerData = { ...before };
  for (const field of SCALAR_FIELDS) {
    const value = textOf(payload[field]);
    if (value === '') delete after[field];
    else if (value !== undefined) after[field] = value;
  }
  for (const kind of ADDRESS_KINDS) {
    const value = groupOf(payload[kind]);
    if (value === undefined) continue;
    const address: FieldGroup = {};
    for (const [k, v] of Object.entries(value)) if (v !== '') address[k] = v;
    if (Object.keys(address).length === 0) delete after[kind];
    else after[kind] = address;
  }
  return after;
}

/** A create sends the managed fields, and a code derived from the key when there is none. */
export function helcimCreatePayload(data: CustomerData, key: string): CustomerData {
  return { ...data, customerCode: textOf(data['customerCode']) ?? deriveCode(key) };
}

/**
 * A code for a record matched by another key (an email, say) that has none: stable, so a re-run
 * after an interruption finds the customer the first run created instead of creating another.
 */
export function deriveCode(key: string): string {
  return `HS${createHash('sha256').update(key.toLowerCase()).digest('hex').slice(0, 12).toUpperCase()}`;
}
