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
  const planner = new Planner(desired, options);
  planner.add(remote);
  return planner.finish(options.fetch);
}

/** A desired record that is the first with its key, and what the remote side holds for it. */
interface Slot {
  d: DesiredInput;
  /** The id of the first remote customer it matches; `more` the others, a conflict. */
  first: string | undefined;
  more: string[] | undefined;
  /** Against its first match, worked out on arrival so the remote record need not be kept. */
  outcome: UpdateAction | undefined;
}

/** One slot for almost every key; several only when records share a code but not a match key. */
type Slots = Slot | Slot[];

type Entry = { conflict: PlanAction } | Slot;

/**
 * `planChanges` fed remote customers as they arrive (a page at a time while the next page is
 * on its way), so each is compared while at hand and only what the plan needs is kept of it:
 * its id and code, and the update when it differs. Same result as `planChanges` on the whole
 * set, which is defined by it; still pure: it is handed data and returns data.
 */
export class Planner {
  readonly #options: Omit<PlanOptions, 'fetch'>;
  readonly #matchKey: string;
  readonly #ignore: ReadonlySet<string>;
  readonly #entries: Entry[] = [];
  /** Slots by desired code, and (records without one) by match-key value. */
  readonly #byCode = new Map<string, Slots>();
  readonly #byKey = new Map<string, Slots>();
  /** Every remote customer seen (id and code), in order: the remote-only ones are among them. */
  readonly #remoteIds: string[] = [];
  readonly #remoteCodes: string[] = [];

  constructor(desired: readonly DesiredInput[], options: Omit<PlanOptions, 'fetch'>) {
    this.#options = options;
    this.#matchKey = options.matchKey ?? 'customerCode';
    this.#ignore = new Set(options.ignore ?? []);
    // First sources by identity. A record keyed by its own code (nearly all, when matching by
    // code) is found through #byCode instead, which saves a second 100,000-entry map.
    const seenKeys = new Map<string, string>();
    const byOwnCode = this.#matchKey === 'customerCode';
    const earlierSource = (identity: string): string | undefined => {
      const seen = seenKeys.get(identity);
      if (seen !== undefined || !byOwnCode) return seen;
      const slots = this.#byCode.get(identity);
      if (slots === undefined) return undefined;
      for (const slot of Array.isArray(slots) ? slots : [slots])
        if (slot.d.key === identity) return slot.d.source;
      return undefined;
    };
    for (const d of desired) {
      const identity = this.#identity(d.key);
      const earlier = earlierSource(identity);
      if (earlier !== undefined) {
        this.#entries.push({ conflict: conflict(d, `also defined at ${earlier}`, []) });
        continue;
      }
      const slot: Slot = { d, first: undefined, more: undefined, outcome: undefined };
      this.#entries.push(slot);
      const code = d.data.customerCode;
      if (!byOwnCode || code !== identity) seenKeys.set(identity, d.source);
      if (code !== undefined) push(this.#byCode, code, slot);
      else push(this.#byKey, identity, slot);
    }
  }

  /** Remote customers, normalised, in the order the provider lists them. */
  add(remote: Iterable<RemoteCustomer>): void {
    const byKey = this.#matchKey !== 'customerCode' || this.#byKey.size > 0;
    for (const r of remote) {
      this.#remoteIds.push(r.id);
      this.#remoteCodes.push(r.customerCode);
      this.#matchAll(this.#byCode.get(r.customerCode), r);
      if (!byKey) continue;
      const key =
        this.#matchKey === 'customerCode' ? r.customerCode : keyOf(getField(r, this.#matchKey));
      if (key !== undefined) this.#matchAll(this.#byKey.get(key), r);
    }
  }

  finish(fetch: FetchInfo): Plan {
    const options = this.#options;
    const claimedBy = new Map<string, string>();
    const actions: PlanAction[] = [];
    let unchanged = 0;
    for (const entry of this.#entries) {
      if ('conflict' in entry) {
        actions.push(entry.conflict);
        continue;
      }
      const { d, first: id, more, outcome } = entry;
      const code = d.data.customerCode;
      if (id !== undefined && more !== undefined) {
        const ids = [id, ...more];
        const what = code !== undefined ? `code ${code}` : `${this.#matchKey} ${d.key}`;
        actions.push(
          conflict(d, `${ids.length} customers in ${options.provider} have ${what}`, ids),
        );
        continue;
      }
      if (id === undefined) {
        const data = withoutIgnored(d.data, this.#ignore);
        actions.push({
          type: 'create',
          key: d.key,
          source: d.source,
          payload: { ...data, customerCode: code ?? deriveCode(d.key) },
        });
        continue;
      }
      const owner = claimedBy.get(id);
      if (owner !== undefined) {
        actions.push(conflict(d, `matches the same remote customer (id ${id}) as ${owner}`, [id]));
        continue;
      }
      claimedBy.set(id, d.source);
      if (outcome === undefined) {
        unchanged += 1;
        if (options.includeUnchanged === true)
          actions.push({ type: 'unchanged', key: d.key, remoteId: id, source: d.source });
      } else {
        actions.push(outcome);
      }
    }

    let remoteOnly: number | null = null;
    if (fetch.strategy === 'list') {
      const rest: number[] = [];
      for (const [i, id] of this.#remoteIds.entries()) if (!claimedBy.has(id)) rest.push(i);
      const codes = this.#remoteCodes;
      // Stable: customers sharing a code stay in the order they were listed.
      rest.sort((a, b) => compareText(codes[a] ?? '', codes[b] ?? ''));
      remoteOnly = rest.length;
      for (const i of rest)
        actions.push({
          type: 'remote-only',
          key: codes[i] ?? '',
          remoteId: this.#remoteIds[i] ?? '',
        });
    }

    const counts = { create: 0, update: 0, conflict: 0 };
    for (const a of actions)
      if (a.type === 'create' || a.type === 'update' || a.type === 'conflict') counts[a.type]++;
    const writes = counts.create + counts.update;
    return {
      version: PLAN_FORMAT_VERSION,
      provider: options.provider,
      matchKey: this.#matchKey,
      fetch,
      summary: {
        create: counts.create,
        update: counts.update,
        unchanged,
        remoteOnly,
        conflict: counts.conflict,
      },
      cost: {
        calls: writes,
        minSeconds: leastSeconds(writes, options.limits ?? HELCIM_RATE_LIMITS),
      },
      actions,
    };
  }

  #matchAll(slots: Slots | undefined, r: RemoteCustomer): void {
    if (slots === undefined) return;
    if (!Array.isArray(slots)) this.#match(slots, r);
    else for (const slot of slots) this.#match(slot, r);
  }

  #match(slot: Slot, r: RemoteCustomer): void {
    if (slot.first === undefined) {
      slot.first = r.id;
      slot.outcome = diff(slot.d, r, this.#ignore);
      return;
    }
    // A second match makes it a conflict: the comparison with the first is moot.
    (slot.more ??= []).push(r.id);
    slot.outcome = undefined;
  }

  /** Match keys other than codes (emails) compare case-insensitively. */
  #identity(key: string): string {
    return this.#matchKey === 'customerCode' ? key : key.toLowerCase();
  }
}

function push(map: Map<string, Slots>, key: string, slot: Slot): void {
  const slots = map.get(key);
  if (slots === undefined) map.set(key, slot);
  else if (Array.isArray(slots)) slots.push(slot);
  else map.set(key, [slots, slot]);
}

function diff(
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

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
