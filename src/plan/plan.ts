import { textOf, type RemoteCustomer } from '../core/customer.js';
import { getField, withoutIgnored } from '../core/fields.js';
import { identityKey } from '../core/identity.js';
import type { FetchCostModel } from '../remote/port.js';
import { leastSeconds, savedPlanCheck } from './cost.js';
import { providerInfo } from '../providers/index.js';
import type { ProviderInfo } from '../providers/types.js';
import { diff, holdsAll } from './update.js';
export { fingerprint } from './update.js';
import {
  PLAN_FORMAT_VERSION,
  type DesiredInput,
  type FetchInfo,
  type Plan,
  type PlanAction,
  type RateLimits,
  type UpdateAction,
} from './types.js';

export interface PlanOptions {
  provider: string;
  /** The mode of a provider with live and test customers, recorded in the plan. */
  livemode?: boolean;
  /** The provider's identity (Helcim's `customerCode`), or a path such as `billingAddress.email`. */
  matchKey?: string;
  /** Fields never compared or sent: `cellPhone`, `shippingAddress`, `billingAddress.phone`. */
  ignore?: readonly string[];
  fetch: FetchInfo;
  limits?: RateLimits;
  /** List unchanged records as actions too (`--verbose`). */
  includeUnchanged?: boolean;
  /** The provider's read costs, to state what the apply of a saved plan spends re-reading. */
  readCost?: FetchCostModel;
  /** The account's size when the fetch did not list it whole but it is known otherwise. */
  accountSizeHint?: number;
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

/**
 * Records by a key, as their positions among all records given: one for almost every key;
 * several only when records share a code but not a match key. A position is a number, so the
 * maps of 100,000 records hold no object per record.
 */
type Slots = number | number[];

/**
 * `planChanges` fed remote customers as they arrive (a page at a time while the next page is
 * on its way), so each is compared while at hand and only what the plan needs is kept of it:
 * its id and code, and the update when it differs. Every desired record is given first. Same
 * result as `planChanges` on the whole set, which is defined by it; still pure: it is handed
 * data and returns data.
 */
export class Planner {
  readonly #options: Omit<PlanOptions, 'fetch'>;
  readonly #matchKey: string;
  readonly #provider: ProviderInfo;
  readonly #identity: string;
  /** Fields a machine wrote: never changed by an update. */
  readonly #exact: ReadonlySet<string>;
  readonly #ignore: ReadonlySet<string>;
  /** The records given, by position. */
  readonly #records: readonly DesiredInput[];
  /** The id of the first remote customer a record matches; `#more` the others, a conflict. */
  readonly #first: (string | undefined)[] = [];
  readonly #more = new Map<number, string[]>();
  /** Against its first match, worked out on arrival so the remote record need not be kept. */
  readonly #outcome = new Map<number, UpdateAction>();
  /** Records that repeat an earlier one's identity: conflicts from the start, matched by none. */
  readonly #repeats = new Map<number, PlanAction>();
  /** Records by desired code, and (records without one) by match-key value. */
  readonly #byCode = new Map<string, Slots>();
  readonly #byKey = new Map<string, Slots>();
  /** Every remote customer seen (id and code), in order: the remote-only ones are among them. */
  readonly #remoteIds: string[] = [];
  readonly #remoteCodes: string[] = [];
  /**
   * Where nothing can be created: the listed customers no identity in the files claimed, by
   * their other natural key (an email), so that a record that matches nobody can name the
   * customer it probably means (a mistyped DID). Only those: a file that names every customer
   * keeps nothing here.
   */
  readonly #unclaimed: Map<string, { id: string; identity: string; value: string }> | undefined;

  /** First sources by identity, for records not found through #byCode (see `#earlierSource`). */
  readonly #seenKeys = new Map<string, string>();
  /** Normalises a listed customer; undefined when customers come normalised. */
  readonly #normalize: ((customer: RemoteCustomer) => RemoteCustomer) | undefined;

  /**
   * `normalize`: customers come as listed, and are normalised only where it can matter (see
   * `#match`); without it they come normalised.
   */
  constructor(
    desired: readonly DesiredInput[],
    options: Omit<PlanOptions, 'fetch'>,
    { normalize }: { normalize?: (customer: RemoteCustomer) => RemoteCustomer } = {},
  ) {
    this.#normalize = normalize;
    this.#options = options;
    this.#provider = providerInfo(options.provider);
    this.#identity = this.#provider.fields.identity;
    this.#exact = new Set(this.#provider.fields.exactKeys);
    this.#matchKey = options.matchKey ?? this.#identity;
    this.#ignore = new Set(options.ignore ?? []);
    this.#unclaimed =
      !this.#provider.canCreate && this.#matchKey === this.#identity ? new Map() : undefined;
    this.#records = desired;
    this.#index();
  }

  #record(at: number): DesiredInput {
    const d = this.#records[at];
    if (d === undefined) throw new Error(`no desired record at ${at}`);
    return d;
  }

  /**
   * The source of an earlier record with this identity. A record keyed by its own code (nearly
   * all, when matching by code) is found through #byCode instead, which saves a second
   * 100,000-entry map; `atIdentity` is what #byCode holds at the identity, when the caller has
   * looked it up already (a lookup in a map that size is most of what adding a record costs).
   */
  #earlierSource(identity: string, atIdentity: Slots | undefined | null): string | undefined {
    const seen = this.#seenKeys.get(identity);
    if (seen !== undefined || this.#matchKey !== this.#identity) return seen;
    const slots = atIdentity === null ? this.#byCode.get(identity) : atIdentity;
    if (slots === undefined) return undefined;
    for (const at of typeof slots === 'number' ? [slots] : slots)
      if (this.#record(at).key === identity) return this.#record(at).source;
    return undefined;
  }

  /** Indexes the desired records by code (or match key); repeats are conflicts from the start. */
  #index(): void {
    const byOwnCode = this.#matchKey === this.#identity;
    for (let at = 0; at < this.#records.length; at++) {
      this.#first.push(undefined);
      const d = this.#record(at);
      const identity = this.#identityOf(d.key);
      const code = this.#codeOf(at);
      const atCode = code === undefined ? undefined : this.#byCode.get(code);
      const earlier = this.#earlierSource(identity, code === identity ? atCode : null);
      if (earlier !== undefined) {
        this.#repeats.set(at, conflict(d, `also defined at ${earlier}`, []));
        continue;
      }
      if (!byOwnCode || code !== identity) this.#seenKeys.set(identity, d.source);
      if (code === undefined) push(this.#byKey, identity, at);
      else if (atCode === undefined) this.#byCode.set(code, at);
      else if (typeof atCode === 'number') this.#byCode.set(code, [atCode, at]);
      else atCode.push(at);
    }
  }

  /** Remote customers, in the order the provider lists them (normalised, unless `normalize`). */
  add(remote: Iterable<RemoteCustomer>): void {
    const byKey = this.#matchKey !== this.#identity || this.#byKey.size > 0;
    for (const listed of remote) {
      // Matched by another key, every customer's data is read: normalised once, first.
      const r = byKey ? this.#normalized(listed) : listed;
      this.#remoteIds.push(r.id);
      const own = this.#identityOfListed(r);
      const claimed = this.#byCode.get(own);
      // The record's copy of the code, when one claims it: the listed one can then go.
      this.#remoteCodes.push(
        claimed === undefined
          ? own
          : (this.#codeOf(typeof claimed === 'number' ? claimed : (claimed[0] ?? -1)) ?? own),
      );
      this.#matchAll(claimed, r);
      if (claimed === undefined && this.#unclaimed !== undefined)
        this.#noteUnclaimed(this.#normalized(r), own);
      if (!byKey) continue;
      const key =
        this.#matchKey === this.#identity
          ? own
          : identityKey(this.#provider.fields, this.#matchKey, getField(r, this.#matchKey));
      if (key !== undefined) this.#matchAll(this.#byKey.get(key), r);
    }
  }

  finish(fetch: FetchInfo): Plan {
    const options = this.#options;
    // Which record claimed each customer, by its position: its source is wanted only for the
    // rare second claim.
    const claimedBy = new Map<string, number>();
    // Customers a file names but the plan cannot settle: in conflict, so not "remote only".
    const inConflict = new Set<string>();
    const actions: PlanAction[] = [];
    let unchanged = 0;
    for (let at = 0; at < this.#records.length; at++) {
      const repeat = this.#repeats.get(at);
      if (repeat !== undefined) {
        actions.push(repeat);
        continue;
      }
      const id = this.#first[at];
      const more = this.#more.get(at);
      if (id !== undefined && more !== undefined) {
        const d = this.#record(at);
        const code = this.#codeOf(at);
        const ids = [id, ...more];
        for (const each of ids) inConflict.add(each);
        const what =
          code !== undefined
            ? `${this.#provider.fields.identityLabel} ${code}`
            : `${this.#matchKey} ${d.key}`;
        actions.push(
          conflict(d, `${ids.length} customers in ${options.provider} have ${what}`, ids),
        );
        continue;
      }
      if (id === undefined && !this.#provider.canCreate) {
        // Refused like a conflict: nothing is done for it, the others go ahead, and the run
        // exits 1 while any remains, since the file names a customer that does not exist.
        const d = this.#record(at);
        const reason = `cannot be created: ${this.#provider.displayName} ${this.#provider.createdElsewhere ?? 'does not create customers through its API'}`;
        const meant = this.#meant(d);
        if (meant !== undefined) inConflict.add(meant.id);
        actions.push(
          meant === undefined
            ? conflict(d, reason, [])
            : conflict(
                d,
                `${reason}; the customer with its ${this.#secondKey} ${meant.value} has ${this.#provider.fields.identityLabel} ${meant.identity}: correct the ${this.#provider.fields.identityLabel}, or match by ${this.#secondKey}`,
                [meant.id],
              ),
        );
        continue;
      }
      if (id === undefined) {
        const d = this.#record(at);
        const data = withoutIgnored(d.data, this.#ignore);
        actions.push({
          type: 'create',
          key: d.key,
          source: d.source,
          payload: this.#provider.createPayload?.(data, d.key) ?? data,
        });
        continue;
      }
      const owner = claimedBy.get(id);
      if (owner !== undefined) {
        const d = this.#record(at);
        const source = this.#record(owner).source;
        actions.push(conflict(d, `matches the same remote customer (id ${id}) as ${source}`, [id]));
        continue;
      }
      claimedBy.set(id, at);
      const outcome = this.#outcome.get(at);
      // An identifier a machine wrote (a DID, an id) is never changed by an update: one that
      // differs says the file and the match disagree about which customer this is.
      const clash = outcome?.changes.find(
        (c) => c.new !== undefined && c.old !== undefined && this.#exact.has(c.field),
      );
      if (clash !== undefined) {
        inConflict.add(id);
        actions.push(
          conflict(
            this.#record(at),
            `${clash.field}: the file says ${JSON.stringify(clash.new)}, but the customer it matches in ${this.#provider.displayName} has ${JSON.stringify(clash.old)}`,
            [id],
          ),
        );
        continue;
      }
      if (outcome === undefined) {
        unchanged += 1;
        if (options.includeUnchanged === true) {
          const d = this.#record(at);
          actions.push({ type: 'unchanged', key: d.key, remoteId: id, source: d.source });
        }
      } else {
        actions.push(outcome);
      }
    }

    let remoteOnly: number | null = null;
    if (fetch.strategy === 'list') {
      const rest: number[] = [];
      for (const [i, id] of this.#remoteIds.entries())
        if (!claimedBy.has(id) && !inConflict.has(id)) rest.push(i);
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
      ...(options.livemode === undefined ? {} : { livemode: options.livemode }),
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
        minSeconds: leastSeconds(writes, options.limits ?? this.#provider.limits),
        savedPlanCheck: savedPlanCheck(
          writes,
          fetch.accountSize ?? options.accountSizeHint,
          options.readCost,
        ),
      },
      actions,
    };
  }

  #matchAll(slots: Slots | undefined, r: RemoteCustomer): void {
    if (slots === undefined) return;
    if (typeof slots === 'number') this.#match(slots, r);
    else for (const at of slots) this.#match(at, r);
  }

  /**
   * A customer as listed that already holds every value its record sets (most of them) is
   * unchanged without being normalised: an update could only write the values it holds, and a
   * plan that proposed it would propose it again after it was applied (a record without a
   * country against a customer whose country reads its phone differently). Any other customer
   * is normalised and compared as the record was.
   */
  #match(at: number, r: RemoteCustomer): void {
    if (this.#first[at] === undefined) {
      this.#first[at] = r.id;
      const d = this.#record(at);
      // A first match has no outcome yet: one is set only when the customer differs.
      if (this.#normalize !== undefined && holdsAll(d, r, this.#ignore, this.#provider.fields))
        return;
      const outcome = diff(d, this.#normalized(r), this.#ignore, this.#provider);
      if (outcome !== undefined) this.#outcome.set(at, outcome);
      return;
    }
    // A second match makes it a conflict: the comparison with the first is moot.
    const more = this.#more.get(at);
    if (more === undefined) this.#more.set(at, [r.id]);
    else more.push(r.id);
    this.#outcome.delete(at);
  }

  #normalized(r: RemoteCustomer): RemoteCustomer {
    return this.#normalize === undefined ? r : this.#normalize(r);
  }

  /**
   * A listed customer's identity, normalised as its record's was: the identity alone, so a
   * customer is matched without normalising the rest of it.
   */
  #identityOfListed(r: RemoteCustomer): string {
    const listed = textOf(r[this.#identity]);
    if (listed === undefined || this.#normalize === undefined) return listed ?? '';
    // An identity normalising would empty is still the customer's identity.
    return this.#provider.normalizeIdentity(listed) || listed;
  }

  /** The other natural key of a customer: what a person would match by without identities. */
  get #secondKey(): string {
    return this.#provider.fields.matchKeyExample;
  }

  #noteUnclaimed(r: RemoteCustomer, identity: string): void {
    const value = getField(r, this.#secondKey);
    const key = identityKey(this.#provider.fields, this.#secondKey, value);
    if (key !== undefined && !this.#unclaimed?.has(key))
      this.#unclaimed?.set(key, { id: r.id, identity, value: textOf(value) ?? key });
  }

  /** The unclaimed customer a record that matches nobody probably means, by its second key. */
  #meant(d: DesiredInput): { id: string; identity: string; value: string } | undefined {
    if (this.#unclaimed === undefined || this.#unclaimed.size === 0) return undefined;
    const key = identityKey(
      this.#provider.fields,
      this.#secondKey,
      getField(d.data, this.#secondKey),
    );
    return key === undefined ? undefined : this.#unclaimed.get(key);
  }

  #codeOf(at: number): string | undefined {
    return textOf(this.#record(at).data[this.#identity]);
  }

  #identityOf(key: string): string {
    // An identifier a machine wrote is its own identity (see `identityKey`): asked per record.
    if (this.#exact.has(this.#matchKey)) return key;
    return identityKey(this.#provider.fields, this.#matchKey, key) ?? key;
  }
}

function push(map: Map<string, Slots>, key: string, at: number): void {
  const slots = map.get(key);
  if (slots === undefined) map.set(key, at);
  else if (typeof slots === 'number') map.set(key, [slots, at]);
  else slots.push(at);
}

function conflict(d: DesiredInput, reason: string, remoteIds: string[]): PlanAction {
  return { type: 'conflict', key: d.key, reason, remoteIds, sources: [d.source] };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
