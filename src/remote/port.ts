import type { CustomerData, RemoteCustomer } from '../core/customer.js';

/**
 * The remote side as the planner and apply see it. The Helcim client implements it over HTTP;
 * tests may implement it in memory. Nothing in here is Helcim-specific: a second provider
 * implements the same port.
 */
export interface CallOptions {
  /** Cancels the call, a request already on the wire included. */
  signal?: AbortSignal;
  /**
   * Stops waiting (for rate-limit budget, or before another try) but never cuts a request that
   * is on the wire: what Ctrl-C during apply needs, so that no write is left in doubt by it.
   */
  stopWaiting?: AbortSignal;
}

export interface ListOptions extends CallOptions {
  /** Called after every page with the number of customers fetched so far. */
  onProgress?: (fetched: number) => void;
  /**
   * Request each page only once the caller asks for it (no page ahead): a caller that may stop
   * listing part way, to look records up instead, then never pays for a page it did not use.
   */
  pageByPage?: boolean;
  /**
   * Told the account's size as soon as an answer says it (Payment Kit's first page carries
   * `count`; Helcim's pages do not): a caller deciding between a listing and lookups decides
   * on the first page instead of listing until the lookups' cost is spent.
   */
  onAccountSize?: (size: number) => void;
}

/** What a way of fetching costs, in API calls, before any call is made. */
export interface FetchCostModel {
  /** Calls to list an account of `accountSize` customers completely. */
  list(accountSize: number): number;
  /** Calls to look up `codeCount` customer codes one by one. */
  lookup(codeCount: number): number;
  /** Customers in one page of a listing: a shorter page is the last. */
  readonly pageSize: number;
}

export interface CustomerRemote {
  /** A short name for messages: `helcim`, `memory`. */
  readonly provider: string;
  readonly cost: FetchCostModel;
  /** For a provider whose accounts hold live and test customers apart: the set it reads. */
  readonly livemode?: boolean;
  /** Every customer in the account, with the fewest calls the provider allows. */
  list(options?: ListOptions): Promise<RemoteCustomer[]>;
  /**
   * The same listing, page by page as the pages arrive, for callers that work on one page while
   * the next is fetched. Optional: without it, callers use `list`.
   */
  listPages?(options?: ListOptions): AsyncIterable<RemoteCustomer[]>;
  /**
   * The customers whose identity (the provider's lookup field: Helcim's customerCode, Payment
   * Kit's DID) is exactly `value`: normally zero or one; more is a conflict.
   */
  findByIdentity(value: string, options?: CallOptions): Promise<RemoteCustomer[]>;
  /** `findByIdentity` for many values at once, paced; the map has an entry for every value. */
  findByIdentities(
    values: readonly string[],
    options?: CallOptions,
  ): Promise<Map<string, RemoteCustomer[]>>;
  get(id: string, options?: CallOptions): Promise<RemoteCustomer>;
  /**
   * Creates a customer; happens at most once even when the answer is lost on the way back
   * (the client looks the identity up before it tries again), so the identity is required.
   * Absent for a provider whose customers are created elsewhere (Payment Kit: at checkout).
   */
  create?(data: CustomerData, options?: CallOptions): Promise<RemoteCustomer>;
  /** Partial update: fields left out keep their stored values. */
  update(id: string, patch: CustomerData, options?: CallOptions): Promise<RemoteCustomer>;
}
