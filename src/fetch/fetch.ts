import type { RemoteCustomer } from '../core/customer.js';
import type { FetchInfo } from '../plan/types.js';
import type { CustomerRemote, ListOptions } from '../remote/port.js';

export type FetchStrategy = 'list' | 'lookup' | 'auto';
export const FETCH_STRATEGIES: readonly FetchStrategy[] = ['list', 'lookup', 'auto'];

/**
 * With no idea of the account's size, `auto` looks codes up one by one only for a desired set
 * this small: at most a minute of Helcim's budget, however big the account.
 */
export const AUTO_LOOKUP_MAX = 100;

export interface FetchOptions {
  strategy: FetchStrategy;
  /** The codes of the desired records; lookups need every record to have one. */
  codes: readonly string[];
  /** True when some desired record is matched by another key (an email), which only a listing finds. */
  needsListing?: boolean;
  /** The account's size when known (from an earlier listing), to compare the two costs exactly. */
  accountSizeHint?: number;
  /** The same normalisation the desired records went through, so both sides compare alike. */
  normalize?: (customer: RemoteCustomer) => RemoteCustomer;
  signal?: AbortSignal;
  onProgress?: (fetched: number) => void;
}

export interface FetchResult {
  customers: RemoteCustomer[];
  info: FetchInfo;
}

/** Picks the cheaper way to fetch, in API calls, before any call is made. */
export function chooseStrategy(
  remote: Pick<CustomerRemote, 'cost'>,
  options: FetchOptions,
): 'list' | 'lookup' {
  if (options.strategy !== 'auto') return options.strategy;
  if (options.needsListing === true) return 'list';
  const hint = options.accountSizeHint;
  // Without a hint, a big desired set lists whatever its codes: no need to count them.
  if (hint === undefined && options.codes.length > AUTO_LOOKUP_MAX) return 'list';
  const lookupCost = remote.cost.lookup(new Set(options.codes).size);
  if (hint !== undefined) return lookupCost < remote.cost.list(hint) ? 'lookup' : 'list';
  return lookupCost < remote.cost.list(options.codes.length * 100) ? 'lookup' : 'list';
}

/** Fetches the remote customers the cheapest way and normalises them. */
export async function fetchRemote(
  remote: CustomerRemote,
  options: FetchOptions,
): Promise<FetchResult> {
  const customers: RemoteCustomer[] = [];
  const info = await streamRemote(remote, options, (batch) => {
    for (const c of batch) customers.push(c);
  });
  return { customers, info };
}

/**
 * Fetches the remote customers the cheapest way and hands them over normalised, a page at a
 * time when listing: the caller's work on a page (normalising, comparing) then overlaps the
 * request for the next one, and nothing needs to keep the whole account.
 */
export async function streamRemote(
  remote: CustomerRemote,
  options: FetchOptions,
  onCustomers: (customers: readonly RemoteCustomer[]) => void,
): Promise<FetchInfo> {
  const strategy = chooseStrategy(remote, options);
  const normalize = options.normalize ?? ((c: RemoteCustomer) => c);
  const call = options.signal === undefined ? {} : { signal: options.signal };
  if (strategy === 'list') {
    const listOptions = {
      ...call,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    };
    let fetched = 0;
    const pages = remote.listPages?.(listOptions) ?? listAtOnce(remote, listOptions);
    for await (const page of pages) {
      fetched += page.length;
      onCustomers(page.map(normalize));
    }
    return { strategy, calls: remote.cost.list(fetched), fetched };
  }
  const codes = [...new Set(options.codes)];
  const found = await remote.findByCodes(codes, call);
  const customers: RemoteCustomer[] = [];
  for (const list of found.values()) for (const c of list) customers.push(normalize(c));
  onCustomers(customers);
  return { strategy, calls: remote.cost.lookup(codes.length), fetched: customers.length };
}

async function* listAtOnce(
  remote: CustomerRemote,
  options: ListOptions,
): AsyncGenerator<RemoteCustomer[], void, undefined> {
  yield await remote.list(options);
}
