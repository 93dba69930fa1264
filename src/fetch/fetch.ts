import type { RemoteCustomer } from '../core/customer.js';
import { UsageError } from '../core/errors.js';
import type { FetchInfo } from '../plan/types.js';
import type { CustomerRemote, ListOptions } from '../remote/port.js';

export type FetchStrategy = 'list' | 'lookup' | 'auto';
export const FETCH_STRATEGIES: readonly FetchStrategy[] = ['list', 'lookup', 'auto'];

/**
 * With no idea of the account's size, `auto` looks codes up one by one only for a desired set
 * this small: at most a minute of Helcim's budget, however big the account.
 */
export const AUTO_LOOKUP_MAX = 100;

/**
 * How to read what a run needs: `list` every customer, `lookup` the records one by one, or
 * `probe`: list the first page alone, which is the whole account when the account is small, and
 * decide on lookups or the rest of the listing once its size is known to be bigger.
 */
export type ReadDecision = 'list' | 'lookup' | 'probe';

export interface ReadChoice {
  strategy: FetchStrategy;
  /** Records to read (codes to look up, or records to re-read by id). */
  count: number;
  /**
   * The match key when some record can only be found by a listing (it has no code, and is
   * matched by an e-mail, say): lookups read codes and would never see its customer.
   */
  listingNeededFor?: string;
  /** The account's size when known (from this run, or remembered from an earlier listing). */
  accountSizeHint?: number;
}

/** Picks the cheaper way to read, in API calls, before any call is made. */
export function chooseRead(remote: Pick<CustomerRemote, 'cost'>, choice: ReadChoice): ReadDecision {
  if (choice.listingNeededFor !== undefined) {
    if (choice.strategy === 'lookup') {
      // A lookup by code cannot see a customer matched by another key: it would be planned as
      // a create, and a duplicate created. Refused rather than quietly turned into a listing.
      throw new UsageError(
        `--fetch lookup cannot find customers by ${choice.listingNeededFor}: a lookup reads one customerCode at a time, and some records have no code`,
        {
          hint: 'use --fetch list (or auto, the default), or give every record its customerCode (helcim-sync adopt writes them in)',
        },
      );
    }
    return 'list';
  }
  if (choice.strategy !== 'auto') return choice.strategy;
  const lookupCost = remote.cost.lookup(choice.count);
  const hint = choice.accountSizeHint;
  if (hint !== undefined) return lookupCost < remote.cost.list(hint) ? 'lookup' : 'list';
  // One page is all a listing of a small account takes; fewer lookups than that cost less.
  if (lookupCost <= remote.cost.list(0)) return 'lookup';
  // Without a hint, a big desired set lists whatever the account's size: no use probing.
  return choice.count > AUTO_LOOKUP_MAX ? 'list' : 'probe';
}

export interface FetchOptions {
  strategy: FetchStrategy;
  /** The codes of the desired records; lookups need every record to have one. */
  codes: readonly string[];
  /** The match key, when some desired record has no code and only a listing can find it. */
  listingNeededFor?: string;
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
  const codes = [...new Set(options.codes)];
  const normalize = options.normalize ?? ((c: RemoteCustomer) => c);
  const call = options.signal === undefined ? {} : { signal: options.signal };
  return readRemote(
    remote,
    {
      strategy: options.strategy,
      count: codes.length,
      ...(options.listingNeededFor === undefined
        ? {}
        : { listingNeededFor: options.listingNeededFor }),
      ...(options.accountSizeHint === undefined
        ? {}
        : { accountSizeHint: options.accountSizeHint }),
    },
    {
      ...call,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    },
    {
      onPage: (page) => onCustomers(page.map(normalize)),
      lookUp: async () => {
        const found = await remote.findByCodes(codes, call);
        const customers: RemoteCustomer[] = [];
        for (const list of found.values()) for (const c of list) customers.push(normalize(c));
        onCustomers(customers);
        return customers.length;
      },
    },
  );
}

export interface ReadHandlers {
  /** A page of the listing, as it arrives. */
  onPage(customers: readonly RemoteCustomer[]): void;
  /** Reads the records one by one instead; answers how many customers it found. */
  lookUp(): Promise<number>;
}

/**
 * Reads the remote side the way `chooseRead` picks: a listing page by page, lookups, or a probe
 * of the first page that ends as one or the other. A probe whose first page is the whole
 * account is a listing of one call; otherwise it goes on listing when many records are to be
 * read, and switches to lookups (its first page then spent for the account's size) when few are.
 */
export async function readRemote(
  remote: CustomerRemote,
  choice: ReadChoice,
  listOptions: ListOptions,
  handlers: ReadHandlers,
): Promise<FetchInfo> {
  const decision = chooseRead(remote, choice);
  if (decision === 'lookup') {
    const fetched = await handlers.lookUp();
    return { strategy: 'lookup', calls: remote.cost.lookup(choice.count), fetched };
  }
  const pages =
    remote.listPages?.({ ...listOptions, firstPageAlone: decision === 'probe' }) ??
    listAtOnce(remote, listOptions);
  const iterator = pages[Symbol.asyncIterator]();
  let fetched = 0;
  let pagesRead = 0;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      pagesRead += 1;
      if (decision === 'probe' && pagesRead === 1 && choice.count <= AUTO_LOOKUP_MAX) {
        // The first page alone came back; a full one means a bigger account than a page.
        if (next.value.length >= remote.cost.pageSize) {
          await iterator.return?.();
          const found = await handlers.lookUp();
          return {
            strategy: 'lookup',
            calls: 1 + remote.cost.lookup(choice.count),
            fetched: found,
          };
        }
      }
      fetched += next.value.length;
      handlers.onPage(next.value);
    }
  } finally {
    await iterator.return?.();
  }
  return { strategy: 'list', calls: remote.cost.list(fetched), fetched, accountSize: fetched };
}

async function* listAtOnce(
  remote: CustomerRemote,
  options: ListOptions,
): AsyncGenerator<RemoteCustomer[], void, undefined> {
  yield await remote.list(options);
}
