/**
 * One desired record against its remote match: whether they differ in a managed field, and the
 * update that makes them equal (changes, payload, the record after, the fingerprint before).
 * What the update sends is the provider's rule; which fields exist is its field list.
 */
import { createHash } from 'node:crypto';
import type { CustomerData, RemoteCustomer } from '../core/customer.js';
import {
  canonicalJson,
  flatten,
  getField,
  managedData,
  withoutIgnored,
  type FieldList,
} from '../core/fields.js';
import type { ProviderInfo } from '../providers/types.js';
import type { DesiredInput, FieldChange, UpdateAction } from './types.js';

export function diff(
  d: DesiredInput,
  remote: RemoteCustomer,
  ignore: ReadonlySet<string>,
  provider: ProviderInfo,
): UpdateAction | undefined {
  const list = provider.fields;
  const desired = withoutIgnored(d.data, ignore);
  if ((d.clear === undefined || d.clear.length === 0) && sameManaged(list, desired, remote))
    return undefined;
  const before = managedData(list, remote);
  const changes: FieldChange[] = [];
  for (const [path, value] of flatten(list, desired)) {
    const old = getField(before, path);
    if (old === value) continue;
    if (old !== undefined && provider.sameInContext?.(path, value, old, desired, before) === true)
      continue;
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

  // What is sent builds on the record exactly as the provider returned it, so that the fields
  // the files do not manage (ignored, or simply absent) go back unchanged, never normalised.
  const payload = provider.updatePayload({
    desired,
    stored: managedData(list, remote.raw ?? remote),
    changes,
  });
  const after =
    remote.raw === undefined
      ? payload
      : provider.updatePayload({ desired, stored: before, changes });
  return {
    type: 'update',
    key: d.key,
    remoteId: remote.id,
    source: d.source,
    before,
    after: provider.afterUpdate(before, after),
    changes,
    payload,
    fingerprint: fingerprint(list, remote),
  };
}

/**
 * True when the customer holds every value the record sets, with nothing to clear: `diff` would
 * find no change. Checked on a customer as listed, before normalising it (see Planner#match).
 */
export function holdsAll(
  d: DesiredInput,
  remote: CustomerData,
  ignore: ReadonlySet<string>,
  list: FieldList,
): boolean {
  if (d.clear !== undefined && d.clear.length > 0) return false;
  return sameManaged(list, withoutIgnored(d.data, ignore), remote);
}

/**
 * True when every field the desired record sets holds the same value remotely: what the change
 * list above would find empty, checked without building anything, as most records are unchanged.
 */
function sameManaged(list: FieldList, desired: CustomerData, remote: CustomerData): boolean {
  for (const spec of list.fields) {
    const want = desired[spec.name];
    if (want === undefined) continue;
    const have = remote[spec.name];
    if (typeof want === 'string') {
      if (want !== have) return false;
      continue;
    }
    const stored = typeof have === 'object' ? have : undefined;
    for (const key in want) {
      const value = want[key];
      if (value !== undefined && value !== stored?.[key]) return false;
    }
  }
  return true;
}

/** Identifies the state of a remote record: any change to its data changes the fingerprint. */
export function fingerprint(list: FieldList, remote: RemoteCustomer): string {
  return createHash('sha256')
    .update(`${remote.id}\n${canonicalJson(list, remote)}`)
    .digest('hex')
    .slice(0, 32);
}
