/**
 * `--include-cards`: what an export may say about stored cards. The provider hands over whole
 * cards (tokens included); they are cut down to a count and the default card's last four digits
 * here, at once, so nothing sensitive reaches the writer.
 */
import { providerInfo } from '../providers/index.js';
import { textOf } from '../core/customer.js';
import type { RemoteCustomer } from '../core/customer.js';
import type { CustomerRemote, ListOptions } from '../remote/port.js';
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

/** Card summaries by customer code, for the customers exported. */
export async function cardSummaries(
  remote: CardLister & Pick<CustomerRemote, 'provider'>,
  customers: readonly RemoteCustomer[],
  signal?: AbortSignal,
): Promise<Map<string, CardSummary>> {
  const identity = providerInfo(remote.provider).fields.identity;
  const byId = await remote.listCards(signal === undefined ? {} : { signal });
  const out = new Map<string, CardSummary>();
  for (const c of customers) {
    const cards = byId.get(c.id);
    const code = textOf(c[identity]);
    if (cards !== undefined && cards.length > 0 && code !== undefined)
      out.set(code, summarizeCards(cards));
  }
  return out;
}
