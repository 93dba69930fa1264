/**
 * `--include-cards`: what an export may say about stored cards. The provider hands over whole
 * cards (tokens included); they are cut down to a count and the default card's last four digits
 * here, at once, so nothing sensitive reaches the writer.
 */
import { providerInfo } from '../providers/index.js';
import { textOf } from '../core/customer.js';
import type { RemoteCustomer } from '../core/customer.js';
import type { FetchInfo } from '../plan/types.js';
import type { CallOptions, CustomerRemote, ListOptions } from '../remote/port.js';
import { READS_AT_ONCE, eachAtMost } from './each-at-most.js';
import type { CardSummary } from './types.js';

/** The one part of a provider's card the summary reads. */
export interface CardLike {
  cardF6L4?: string;
  /** `MMYY`; only `--include-payment-details` reads it. */
  cardExpiry?: string;
  isDefault: boolean;
}

/** A remote that can list every customer's cards in one pass (the Helcim client can). */
export interface CardLister {
  listCards(options?: ListOptions): Promise<Map<string, CardLike[]>>;
}

export function canListCards<T extends CustomerRemote>(remote: T): remote is T & CardLister {
  return 'listCards' in remote && typeof remote.listCards === 'function';
}

const LAST4 = /(\d{4})$/;

/** The default card, or the only one; none when several and none is marked default. */
export function defaultCard<T extends CardLike>(cards: readonly T[]): T | undefined {
  return cards.find((c) => c.isDefault) ?? (cards.length === 1 ? cards[0] : undefined);
}

export function summarizeCards(cards: readonly CardLike[]): CardSummary {
  const summary: CardSummary = { count: cards.length };
  const chosen = defaultCard(cards);
  const last4 = chosen?.cardF6L4 === undefined ? undefined : LAST4.exec(chosen.cardF6L4)?.[1];
  if (last4 !== undefined) summary.defaultLast4 = last4;
  return summary;
}

/** A remote that reads one customer's cards in one call (the Helcim client can). */
export interface CardReader {
  getCards(customerId: string, options?: CallOptions): Promise<CardLike[]>;
}

function canReadCards<T extends object>(remote: T): remote is T & CardReader {
  return 'getCards' in remote && typeof remote.getCards === 'function';
}

/**
 * Whether listing the account's cards costs fewer calls than reading each customer's: a listing
 * costs a call per page of the whole account (known when the export listed it), a read a call
 * per customer. Without a listing the export looked codes up, which it does only when that was
 * cheaper than listing: so are the reads.
 */
export function cardsByListing(
  remote: Pick<CustomerRemote, 'cost'>,
  customers: number,
  fetch: Pick<FetchInfo, 'accountSize'>,
): boolean {
  const listing = fetch.accountSize === undefined ? undefined : remote.cost.list(fetch.accountSize);
  return customers > 0 && listing !== undefined && listing < customers;
}

/**
 * Card summaries by customer code, for the customers exported, read the cheaper way: with a
 * listing of the account's cards, or one customer at a time (a few codes of a big account).
 */
export async function cardSummaries(
  remote: CardLister & Pick<CustomerRemote, 'provider' | 'cost'>,
  customers: readonly RemoteCustomer[],
  fetch: Pick<FetchInfo, 'accountSize'>,
  signal?: AbortSignal,
): Promise<Map<string, CardSummary>> {
  const identity = providerInfo(remote.provider).fields.identity;
  const out = new Map<string, CardSummary>();
  const note = (customer: RemoteCustomer, cards: readonly CardLike[] | undefined): void => {
    const code = textOf(customer[identity]);
    if (cards !== undefined && cards.length > 0 && code !== undefined)
      out.set(code, summarizeCards(cards));
  };
  if (customers.length === 0) return out;
  if (!canReadCards(remote) || cardsByListing(remote, customers.length, fetch)) {
    const byId = await remote.listCards(signal === undefined ? {} : { signal });
    for (const c of customers) note(c, byId.get(c.id));
    return out;
  }
  await eachAtMost(
    customers,
    READS_AT_ONCE,
    async (c, stop) => note(c, await remote.getCards(c.id, { signal: stop })),
    signal,
  );
  return out;
}
