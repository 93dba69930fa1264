import { providerInfo } from '../providers/index.js';
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
 * `probe`: list page by page while that costs less than the lookups would, and look the records
 * up after all if the account turns out bigger (see `readRemote`).
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
  /** A lower bound of the account's size, remembered from a probe that stopped listing. */
  accountSizeAtLeast?: number;
  /**
   * False where a few records must cost a few calls whatever the account's size (a pull
   * request's plan): `auto` then looks them up rather than trying a listing first.
   */
  probe?: boolean;
}

/** Picks the cheaper way to read, in API calls, before any call is made. */
export function chooseRead(
  remote: Pick<CustomerRemote, 'cost' | 'provider'>,
  choice: ReadChoice,
): ReadDecision {
  if (choice.listingNeededFor !== undefined) {
    if (choice.strategy === 'lookup') {
      // A lookup by code cannot see a customer matched by another key: it would be planned as
      // a create, and a duplicate created. Refused rather than quietly turned into a listing.
      const identity = providerInfo(remote.provider).fields.identity;
      throw new UsageError(
        `--fetch lookup cannot find customers by ${choice.listingNeededFor}: a lookup reads one ${identity} at a time, and some records have no code`,
        {
          hint: `use --fetch list (or auto, the default), or give every record its ${identity} (helcim-sync adopt writes them in)`,
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
  const atLeast = choice.accountSizeAtLeast;
  if (atLeast !== undefined && lookupCost < remote.cost.list(atLeast)) return 'lookup';
  // Without a hint, a big desired set lists whatever the account's size: no use probing.
  if (choice.count > AUTO_LOOKUP_MAX) return 'list';
  return choice.probe === false ? 'lookup' : 'probe';
}

export interface FetchOptions {
  strategy: FetchStrategy;
  /** The codes of the desired records; lookups need every record to have one. */
  codes: readonly string[];
  /** The match key, when some desired record has no code and only a listing can find it. */
  listingNeededFor?: string;
  /** The account's size when known (from an earlier listing), to compare the two costs exactly. */
  accountSizeHint?: number;
  /** See `ReadChoice.accountSizeAtLeast`. */
  accountSizeAtLeast?: number;
  /** See `ReadChoice.probe`. */
  probe?: boolean;
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
      listingNeededFor: options.listingNeededFor,
      accountSizeHint: options.accountSizeHint,
      accountSizeAtLeast: options.accountSizeAtLeast,
      probe: options.probe,
    },
    {
      ...call,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    },
    {
      onPage: (page) => onCustomers(page.map(normalize)),
      lookUp: async () => {
        const found = await remote.findByIdentities(codes, call);
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
 * Reads the remote side the way `chooseRead` picks: a listing page by page, lookups, or a probe.
 * A probe lists page by page while that has cost fewer calls than the lookups would: an account
 * that ends within that budget was listed for less than the lookups; one that does not is big,
 * and the records are looked up after all. Either way at most twice the cheaper of the two,
 * without knowing the account's size (and the first page alone, for a small account). A
 * provider whose first page says the account's size (`onAccountSize`) settles it there: one
 * page plus the cheaper of the rest of the listing and the lookups.
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
  const probing = decision === 'probe';
  const budget = remote.cost.lookup(choice.count);
  let toldSize: number | undefined;
  const pages =
    remote.listPages?.({
      ...listOptions,
      pageByPage: probing,
      onAccountSize: (size) => (toldSize = size),
    }) ?? listAtOnce(remote, listOptions);
  const iterator = pages[Symbol.asyncIterator]();
  // A probe keeps its pages until it knows it is a listing: a probe that turns to lookups must
  // not hand over part of the account.
  const held: (readonly RemoteCustomer[])[] = [];
  let fetched = 0;
  let pagesRead = 0;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      pagesRead += 1;
      fetched += next.value.length;
      if (!probing) {
        handlers.onPage(next.value);
        continue;
      }
      held.push(next.value);
      const last = next.value.length < remote.cost.pageSize;
      // Told the size, the probe knows what the rest of the listing costs and decides now.
      const listingLeft =
        toldSize === undefined ? undefined : remote.cost.list(toldSize) - pagesRead;
      const lookupsCheaper = listingLeft === undefined ? pagesRead >= budget : budget < listingLeft;
      if (!last && lookupsCheaper) {
        await iterator.return?.();
        held.length = 0;
        const found = await handlers.lookUp();
        return {
          strategy: 'lookup',
          calls: pagesRead + remote.cost.lookup(choice.count),
          fetched: found,
          ...(toldSize === undefined ? { accountSizeAtLeast: fetched } : { accountSize: toldSize }),
        };
      }
    }
  } finally {
    await iterator.return?.();
  }
  for (const page of held) handlers.onPage(page);
  return { strategy: 'list', calls: remote.cost.list(fetched), fetched, accountSize: fetched };
}

async function* listAtOnce(
  remote: CustomerRemote,
  options: ListOptions,
): AsyncGenerator<RemoteCustomer[], void, undefined> {
  yield await remote.list(options);
}
