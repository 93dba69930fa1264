/**
 * The emulator's customers: live and test kept apart, each mode in an array sorted by creation
 * (oldest first, so a checkout appends), read newest first. Ids and DIDs are in maps across both
 * modes: a DID belongs to one customer. Records are replaced, never mutated, so a state save in
 * progress always sees whole customers.
 */
import { blankAddress, generateCustomer } from './seed.js';
import type { CheckoutDetails, PkAddress, PkCustomer, PkShipping } from './types.js';

/** A validated PUT body: present keys are the fields to set. */
export interface CustomerPatch {
  name?: string;
  email?: string;
  phone?: string;
  description?: string;
  address?: PkAddress;
  shipping?: PkShipping;
  metadata?: Record<string, string>;
}

export interface ListQuery {
  livemode: boolean;
  page: number;
  pageSize: number;
  did?: string;
  /** Case-insensitive substring of name, email, DID or phone; `""` matches all. */
  search?: string;
}

export interface PkStoreSnapshot {
  provider: 'payment-kit';
  nextSeq: number;
  customers: PkCustomer[];
}

/** Two records with one id or DID: only a damaged state file can bring this. */
export class DuplicateCustomerError extends Error {
  constructor(
    readonly field: 'id' | 'did',
    readonly value: string,
  ) {
    super(`customer ${field} ${value} appears more than once`);
    this.name = 'DuplicateCustomerError';
  }
}

function withDetails(generated: PkCustomer, details: CheckoutDetails): PkCustomer {
  const { address, ...fields } = details;
  return {
    ...generated,
    ...fields,
    ...(address === undefined ? {} : { address: { ...blankAddress(), ...address } }),
  };
}

interface Entry {
  customer: PkCustomer;
  /** Insertion order: breaks ties between equal `created_at` (a frozen test clock). */
  order: number;
}

export class PaymentKitStore {
  private live: Entry[] = [];
  private test: Entry[] = [];
  private byId = new Map<string, Entry>();
  private byDid = new Map<string, Entry>();
  private nextSeq = 1;
  private nextOrder = 0;
  /** Bumped on every change; the state file saves when it moved. */
  version = 0;

  get size(): number {
    return this.live.length + this.test.length;
  }

  count(livemode: boolean): number {
    return this.mode(livemode).length;
  }

  /**
   * A new customer, as a checkout creates one; its id and DID follow the sequence unless
   * `details` names a DID. Fields in `details` replace the generated ones.
   */
  create(livemode: boolean, createdAt: Date, details: CheckoutDetails = {}): PkCustomer {
    if (details.did !== undefined && this.byDid.has(details.did)) {
      throw new DuplicateCustomerError('did', details.did);
    }
    let customer: PkCustomer;
    do {
      // A restored file may hold an id the sequence would give again: skip past it.
      customer = withDetails(generateCustomer(this.nextSeq++, livemode, createdAt), details);
    } while (this.byId.has(customer.id) || this.byDid.has(customer.did));
    this.insert(customer);
    return customer;
  }

  /** By id or DID, in this mode only: the other mode's customers do not exist here. */
  find(key: string, livemode: boolean): PkCustomer | undefined {
    const entry = this.byId.get(key) ?? this.byDid.get(key);
    return entry?.customer.livemode === livemode ? entry.customer : undefined;
  }

  findById(id: string, livemode: boolean): PkCustomer | undefined {
    const entry = this.byId.get(id);
    return entry?.customer.livemode === livemode ? entry.customer : undefined;
  }

  /** One page, newest first, and the number of all matches. */
  list(query: ListQuery): { count: number; list: PkCustomer[] } {
    const skip = (query.page - 1) * query.pageSize;
    if (query.did !== undefined) {
      const one = this.byDid.get(query.did)?.customer;
      const all = one?.livemode === query.livemode && matches(one, query.search) ? [one] : [];
      return { count: all.length, list: all.slice(skip, skip + query.pageSize) };
    }
    const entries = this.mode(query.livemode);
    if (query.search === undefined || query.search === '') {
      const end = Math.max(0, entries.length - skip);
      const start = Math.max(0, end - query.pageSize);
      const list = entries.slice(start, end).reverse();
      return { count: entries.length, list: list.map((e) => e.customer) };
    }
    const needle = query.search.toLowerCase();
    const list: PkCustomer[] = [];
    let count = 0;
    for (let i = entries.length - 1; i >= 0; i--) {
      const customer = entries[i]?.customer;
      if (customer === undefined || !matches(customer, needle)) continue;
      if (count >= skip && list.length < query.pageSize) list.push(customer);
      count++;
    }
    return { count, list };
  }

  /** Fields absent from `patch` keep their values; `updated_at` moves only on a real change. */
  update(id: string, livemode: boolean, patch: CustomerPatch, now: Date): PkCustomer | undefined {
    const entry = this.byId.get(id);
    if (entry === undefined || entry.customer.livemode !== livemode) return undefined;
    const old = entry.customer;
    const next: PkCustomer = { ...old, ...patch };
    if (canonical(next) === canonical(old)) return old;
    entry.customer = { ...next, updated_at: now.toISOString() };
    this.version++;
    return entry.customer;
  }

  clear(): void {
    this.live = [];
    this.test = [];
    this.byId.clear();
    this.byDid.clear();
    this.nextSeq = 1;
    this.nextOrder = 0;
    this.version++;
  }

  snapshot(): PkStoreSnapshot {
    const customers = [...this.live, ...this.test].map((e) => e.customer);
    return { provider: 'payment-kit', nextSeq: this.nextSeq, customers };
  }

  /** Throws DuplicateCustomerError; the caller has checked each customer's shape. */
  restore(snapshot: Pick<PkStoreSnapshot, 'nextSeq' | 'customers'>): void {
    this.clear();
    for (const customer of snapshot.customers) this.insert(customer);
    this.nextSeq = Math.max(1, snapshot.nextSeq);
  }

  private mode(livemode: boolean): Entry[] {
    return livemode ? this.live : this.test;
  }

  private insert(customer: PkCustomer): void {
    if (this.byId.has(customer.id)) throw new DuplicateCustomerError('id', customer.id);
    if (this.byDid.has(customer.did)) throw new DuplicateCustomerError('did', customer.did);
    const entry: Entry = { customer, order: this.nextOrder++ };
    const entries = this.mode(customer.livemode);
    // After every customer created at or before it: usually the end, so an append.
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = entries[mid];
      if (other !== undefined && other.customer.created_at <= customer.created_at) low = mid + 1;
      else high = mid;
    }
    if (low === entries.length) entries.push(entry);
    else entries.splice(low, 0, entry);
    this.byId.set(customer.id, entry);
    this.byDid.set(customer.did, entry);
    this.version++;
  }
}

/** JSON with sorted object keys: metadata `{a, b}` and `{b, a}` are the same value. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}

/** `needle` is lowercased by the caller (or empty/undefined: everything matches). */
function matches(customer: PkCustomer, needle: string | undefined): boolean {
  if (needle === undefined || needle === '') return true;
  const lower = needle.toLowerCase();
  return [customer.name, customer.email, customer.did, customer.phone].some(
    (field) => field !== null && field !== '' && field.toLowerCase().includes(lower),
  );
}
