/**
 * How Payment Kit wants a customer written. Whether it merges `address` and `metadata` with the
 * stored ones is unverified, so both go whole: the address completed from the stored one, the
 * metadata as the stored keys with the managed ones set and the erased ones left out, which ends
 * the same whichever way the server treats it.
 */
import { groupOf, textOf, type CustomerData, type FieldGroup } from '../../core/customer.js';
import type { UpdateInput } from '../types.js';

/** Never sent: identities and what the server keeps itself. */
const NOT_SENT = new Set(['did', 'id']);

export function paymentKitUpdatePayload({ desired, stored, changes }: UpdateInput): CustomerData {
  const payload: CustomerData = {};
  for (const change of changes) {
    const dot = change.field.indexOf('.');
    const head = dot < 0 ? change.field : change.field.slice(0, dot);
    if (NOT_SENT.has(head) || payload[head] !== undefined) continue;
    if (dot < 0) {
      payload[head] = textOf(desired[head]) ?? '';
      continue;
    }
    const whole: FieldGroup = { ...groupOf(stored[head]), ...groupOf(desired[head]) };
    for (const c of changes)
      if (c.new === undefined && c.field.startsWith(`${head}.`))
        delete whole[c.field.slice(head.length + 1)];
    payload[head] = whole;
  }
  return payload;
}

/** The record once `payload` is applied: text `""` unsets; groups are replaced whole. */
export function paymentKitAfterUpdate(before: CustomerData, payload: CustomerData): CustomerData {
  const after: CustomerData = { ...before };
  for (const [name, value] of Object.entries(payload)) {
    if (value === '') delete after[name];
    else if (typeof value === 'string') after[name] = value;
    else if (value !== undefined) {
      if (Object.keys(value).length === 0) delete after[name];
      else after[name] = { ...value };
    }
  }
  return after;
}
