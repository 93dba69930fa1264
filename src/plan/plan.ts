import { createHash } from 'node:crypto';
import type { AddressKind, CustomerData, RemoteCustomer } from '../core/customer.js';
import { ADDRESS_FIELDS, ADDRESS_KINDS, SCALAR_FIELDS } from '../core/customer.js';
import { leastSeconds } from './cost.js';
import { canonicalJson, flatten, getField, withoutIgnored } from './fields.js';
import {
  HELCIM_RATE_LIMITS,
  PLAN_FORMAT_VERSION,
  type DesiredInput,
  type FetchInfo,
  type FieldChange,
  type Plan,
  type PlanAction,
  type RateLimits,
  type UpdateAction,
} from './types.js';

export interface PlanOptions {
  provider: string;
  /** `customerCode`, or a dotted path such as `billingAddress.email`. */
  matchKey?: string;
  /** Fields never compared or sent: `cellPhone`, `shippingAddress`, `billingAddress.phone`. */
  ignore?: readonly string[];
  fetch: FetchInfo;
  limits?: RateLimits;
  /** List unchanged records as actions too (`--verbose`). */
  includeUnchanged?: boolean;
}

/**
 * Diffs desired records against remote ones. Pure: no clock, no network, no console; the same
 * inputs always give the same plan. Both sides must already be normalised.
 */
export function planChanges(
  desired: readonly DesiredInput[],
  remote: readonly RemoteCustomer[],
  options: PlanOptions,
): Plan {
  const matchKey = options.matchKey ?? 'customerCode';
  const ignore = new Set(options.ignore ?? []);
  const byCode = groupBy(remote, (r) => r.customerCode);
  const byKey =
    matchKey === 'customerCode' ? byCode : groupBy(remote, (r) => keyOf(getField(r, matchKey)));
  const identity = (key: string): string => (matchKey === 'customerCode' ? key : key.toLowerCase());
  const claimedBy = new Map<string, string>();
  const seenKeys = new Map<string, string>();
  const actions: PlanAction[] = [];
  let unchanged = 0;

  for (const d of desired) {
    const earlier = seenKeys.get(identity(d.key));
    if (earlier !== undefined) {
      actions.push(conflict(d, `also defined at ${earlier}`, []));
      continue;
    }
    seenKeys.set(identity(d.key), d.source);
    const code = d.data.customerCode;
    const candidates = (code !== undefined ? byCode.get(code) : byKey.get(identity(d.key))) ?? [];
    if (candidates.length > 1) {
      const what = code !== undefined ? `code ${code}` : `${matchKey} ${d.key}`;
      actions.push(
        conflict(
          d,
          `${candidates.length} customers in ${options.provider} have ${what}`,
          candidates.map((c) => c.id),
        ),
      );
      continue;
    }
    const match = candidates[0];
    if (match === undefined) {
      const data = withoutIgnored(d.data, ignore);
      actions.push({
        type: 'create',
        key: d.key,
        source: d.source,
        payload: { ...data, customerCode: code ?? deriveCode(d.key) },
      });
      continue;
    }
    const owner = claimedBy.get(match.id);
    if (owner !== undefined) {
      actions.push(
        conflict(d, `matches the same remote customer (id ${match.id}) as ${owner}`, [match.id]),
      );
      continue;
    }
    claimedBy.set(match.id, d.source);
    const update = diff(d, match, ignore);
    if (update === undefined) {
      unchanged += 1;
      if (options.includeUnchanged === true)
        actions.push({ type: 'unchanged', key: d.key, remoteId: match.id, source: d.source });
    } else {
      actions.push(update);
    }
  }

  let remoteOnly: number | null = null;
  if (options.fetch.strategy === 'list') {
    const rest = remote
      .filter((r) => !claimedBy.has(r.id))
      .sort((a, b) => compareText(a.customerCode, b.customerCode));
    remoteOnly = rest.length;
    for (const r of rest)
      actions.push({ type: 'remote-only', key: r.customerCode, remoteId: r.id });
  }

  const count = (type: PlanAction['type']): number => actions.filter((a) => a.type === type).length;
  const writes = count('create') + count('update');
  return {
    version: PLAN_FORMAT_VERSION,
    provider: options.provider,
    matchKey,
    fetch: options.fetch,
    summary: {
      create: count('create'),
      update: count('update'),
      unchanged,
      remoteOnly,
      conflict: count('conflict'),
    },
    cost: { calls: writes, minSeconds: leastSeconds(writes, options.limits ?? HELCIM_RATE_LIMITS) },
    actions,
  };
}

function diff(
  d: DesiredInput,
  remote: RemoteCustomer,
  ignore: ReadonlySet<string>,
): UpdateAction | undefined {
  const desired = withoutIgnored(d.data, ignore);
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

  const payload: CustomerData = {};
  const changed = new Set(changes.map((c) => c.field.split('.')[0]));
  for (const field of SCALAR_FIELDS) {
    const value = desired[field];
    if (changed.has(field) && value !== undefined) payload[field] = value;
  }
  for (const kind of ADDRESS_KINDS) {
    // Helcim's handling of a partial address is unverified: always send the whole object, the
    // stored sub-fields the files do not manage included.
    if (changed.has(kind)) payload[kind] = { ...before[kind], ...desired[kind] };
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
    const name = nameFor(desired, before);
    if (name !== undefined) payload[name.field] = name.value;
  }
  return {
    type: 'update',
    key: d.key,
    remoteId: remote.id,
    source: d.source,
    before,
    after: merge(before, payload),
    changes,
    payload,
    fingerprint: fingerprint(remote),
  };
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
export function customerData(remote: RemoteCustomer): CustomerData {
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

function conflict(d: DesiredInput, reason: string, remoteIds: string[]): PlanAction {
  return { type: 'conflict', key: d.key, reason, remoteIds, sources: [d.source] };
}

/** Match keys other than codes (emails) compare case-insensitively. */
function keyOf(value: string | undefined): string | undefined {
  return value?.toLowerCase();
}

function groupBy<T>(items: readonly T[], keyFn: (item: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const key = keyFn(item);
    if (key === undefined) continue;
    const list = map.get(key);
    if (list === undefined) map.set(key, [item]);
    else list.push(item);
  }
  return map;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
