import type { RemoteCustomer } from '../core/customer.js';
import type { FetchInfo } from '../plan/types.js';
import type { CustomerRemote } from '../remote/port.js';

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
  const lookupCost = remote.cost.lookup(new Set(options.codes).size);
  if (options.accountSizeHint !== undefined)
    return lookupCost < remote.cost.list(options.accountSizeHint) ? 'lookup' : 'list';
  return options.codes.length <= AUTO_LOOKUP_MAX &&
    lookupCost < remote.cost.list(options.codes.length * 100)
    ? 'lookup'
    : 'list';
}

/** Fetches the remote customers the cheapest way and normalises them. */
export async function fetchRemote(
  remote: CustomerRemote,
  options: FetchOptions,
): Promise<FetchResult> {
  const strategy = chooseStrategy(remote, options);
  const normalize = options.normalize ?? ((c: RemoteCustomer) => c);
  const call = options.signal === undefined ? {} : { signal: options.signal };
  if (strategy === 'list') {
    const listed = await remote.list({
      ...call,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    return {
      customers: listed.map(normalize),
      info: { strategy, calls: remote.cost.list(listed.length), fetched: listed.length },
    };
  }
  const codes = [...new Set(options.codes)];
  const found = await remote.findByCodes(codes, call);
  const customers: RemoteCustomer[] = [];
  for (const list of found.values()) for (const c of list) customers.push(normalize(c));
  return {
    customers,
    info: { strategy, calls: remote.cost.lookup(codes.length), fetched: customers.length },
  };
}
