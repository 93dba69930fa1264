/**
 * `--include-payment-details`: what an export may say about a customer's stored cards, bank
 * accounts and PAD agreements. The provider's answers are cut down to a `PaymentSummary` as each
 * one arrives, in the function that asked for it, so nothing sensitive (a token, a full card or
 * account number, an institution, transit or routing number) reaches the writer or a message.
 *
 * The reads cost calls, on top of the export's own: the cards by the cheaper way (one listing of
 * the account with its cards, a call per 100 customers, or one read per customer exported), one
 * read per customer for the bank accounts, and one more for the PADs of each customer with a bank
 * account (a PAD belongs to a bank account; deleting an account revokes its PADs).
 */
import type { RemoteCustomer } from '../core/customer.js';
import type { FetchInfo } from '../plan/types.js';
import type { CallOptions, CustomerRemote } from '../remote/port.js';
import {
  canListCards,
  cardsByListing,
  defaultCard,
  summarizeCards,
  type CardLike,
  type CardLister,
} from './cards.js';
import { READS_AT_ONCE, eachAtMost } from './each-at-most.js';
import type { BankAccountSummary, PadStatus, PaymentCardSummary, PaymentSummary } from './types.js';

/** The one part of a provider's bank account the summary reads. */
export interface BankAccountLike {
  id: string;
  accountType?: string;
  last4?: string;
  verified: boolean;
}

/** The one part of a provider's PAD agreement the summary reads. */
export interface PadLike {
  id: string;
  bankAccountId?: string;
  status: PadStatus;
  createdAt?: string;
}

/** A remote that can read a customer's payment details (the Helcim client can). */
export interface PaymentDetailsReader extends CardLister {
  getCards(customerId: string, options?: CallOptions): Promise<CardLike[]>;
  getBankAccounts(customerId: string, options?: CallOptions): Promise<BankAccountLike[]>;
  getPads(customerId: string, options?: CallOptions): Promise<PadLike[]>;
}

export function canReadPaymentDetails<T extends CustomerRemote>(
  remote: T,
): remote is T & PaymentDetailsReader {
  return (
    canListCards(remote) &&
    'getCards' in remote &&
    typeof remote.getCards === 'function' &&
    'getBankAccounts' in remote &&
    typeof remote.getBankAccounts === 'function' &&
    'getPads' in remote &&
    typeof remote.getPads === 'function'
  );
}

const EXPIRY = /^(0[1-9]|1[0-2])(\d{2})$/;
const FOUR_DIGITS = /^\d{4}$/;
const ACCOUNT_TYPES: Readonly<Record<string, BankAccountSummary['type']>> = {
  CHECKING: 'checking',
  SAVINGS: 'savings',
};

export function summarizePaymentCards(cards: readonly CardLike[]): PaymentCardSummary {
  const summary: PaymentCardSummary = summarizeCards(cards);
  const expiry = EXPIRY.exec(defaultCard(cards)?.cardExpiry ?? '');
  if (expiry !== null) summary.defaultExpiry = `${expiry[1]}/${expiry[2]}`;
  return summary;
}

/** Newest first: by creation date, then by id (a later agreement has a higher one). */
function newestFirst(a: PadLike, b: PadLike): number {
  const byDate = (b.createdAt ?? '').localeCompare(a.createdAt ?? '');
  if (byDate !== 0) return byDate;
  const [x, y] = [Number(a.id), Number(b.id)];
  return Number.isFinite(x) && Number.isFinite(y) ? y - x : b.id.localeCompare(a.id);
}

/**
 * Each account's type (checking or savings, else none), last four digits (only when they are
 * four digits), verified, and the status of its newest PAD; the PADs of no listed account apart.
 * Only fixed words and four digits come out, whatever the provider sent.
 */
export function summarizeBankAccounts(
  accounts: readonly BankAccountLike[],
  pads: readonly PadLike[],
): Pick<PaymentSummary, 'bankAccounts' | 'padsWithoutAccount'> {
  const sorted = [...pads].sort(newestFirst);
  const ids = new Set(accounts.map((a) => a.id));
  const bankAccounts = accounts.map((account) => {
    const summary: BankAccountSummary = { verified: account.verified === true };
    const type = ACCOUNT_TYPES[account.accountType?.trim().toUpperCase() ?? ''];
    if (type !== undefined) summary.type = type;
    if (account.last4 !== undefined && FOUR_DIGITS.test(account.last4))
      summary.last4 = account.last4;
    const pad = sorted.find((p) => p.bankAccountId === account.id);
    if (pad !== undefined) summary.pad = padStatus(pad.status);
    return summary;
  });
  const padsWithoutAccount = sorted
    .filter((p) => p.bankAccountId === undefined || !ids.has(p.bankAccountId))
    .map((p) => padStatus(p.status));
  return { bankAccounts, padsWithoutAccount };
}

function padStatus(status: string): PadStatus {
  return status === 'accepted' || status === 'revoked' ? status : 'pending';
}

/** How the reads will go, and what they cost at most, before any is made. */
export interface PaymentReadPlan {
  customers: number;
  /** `listing`: the account listed with its cards; `per-customer`: one read each. */
  cards: 'listing' | 'per-customer';
  cardCalls: number;
  bankAccountCalls: number;
  /** One per customer with a bank account: at most one per customer. */
  padCallsAtMost: number;
  /** The most the reads can cost. */
  callsAtMost: number;
}

/** The calls the reads made, by what they read. */
export interface PaymentReadCalls {
  cards: number;
  bankAccounts: number;
  pads: number;
  total: number;
}

/**
 * The cheaper way to read the cards: a listing costs a call per page of the whole account (known
 * when the export listed it), one read per customer costs a call each. Without a listing the
 * export looked codes up, which it does only when that is cheaper than listing: so are the reads.
 */
export function planPaymentReads(
  remote: Pick<CustomerRemote, 'cost'>,
  customers: number,
  fetch: Pick<FetchInfo, 'accountSize'>,
): PaymentReadPlan {
  const byListing = cardsByListing(remote, customers, fetch);
  const cardCalls =
    byListing && fetch.accountSize !== undefined ? remote.cost.list(fetch.accountSize) : customers;
  return {
    customers,
    cards: byListing ? 'listing' : 'per-customer',
    cardCalls,
    bankAccountCalls: customers,
    padCallsAtMost: customers,
    callsAtMost: cardCalls + 2 * customers,
  };
}

export interface PaymentReadOptions {
  signal?: AbortSignal;
  /** Told the plan before the first read: a caller can say what it will cost. */
  onPlan?: (plan: PaymentReadPlan) => void;
  /** Customers read at once; the client's pacer bounds the requests in flight anyway. */
  concurrency?: number;
}

export interface PaymentDetails {
  /** By remote customer id. */
  summaries: Map<string, PaymentSummary>;
  plan: PaymentReadPlan;
  calls: PaymentReadCalls;
}

export async function readPaymentDetails(
  remote: PaymentDetailsReader & Pick<CustomerRemote, 'cost'>,
  customers: readonly RemoteCustomer[],
  fetch: Pick<FetchInfo, 'accountSize'>,
  options: PaymentReadOptions = {},
): Promise<PaymentDetails> {
  const plan = planPaymentReads(remote, customers.length, fetch);
  options.onPlan?.(plan);
  const calls: PaymentReadCalls = { cards: 0, bankAccounts: 0, pads: 0, total: 0 };
  const count = (what: 'cards' | 'bankAccounts' | 'pads'): void => {
    calls[what]++;
    calls.total++;
  };
  const signal = options.signal;
  let listed: Map<string, PaymentCardSummary> | undefined;
  if (plan.cards === 'listing') {
    // Whole cards (tokens included) exist only until this statement ends.
    const all = await remote.listCards({
      ...(signal === undefined ? {} : { signal }),
      onProgress: () => count('cards'),
    });
    listed = new Map([...all].map(([id, cards]) => [id, summarizePaymentCards(cards)]));
  }
  const summaries = new Map<string, PaymentSummary>();
  const readOne = async (customer: RemoteCustomer, stop: AbortSignal): Promise<void> => {
    const call: CallOptions = { signal: stop };
    let cards = listed?.get(customer.id);
    // A customer the card listing did not see (created meanwhile) is read on its own.
    if (cards === undefined) {
      count('cards');
      cards = summarizePaymentCards(await remote.getCards(customer.id, call));
    }
    count('bankAccounts');
    const accounts = await remote.getBankAccounts(customer.id, call);
    let pads: readonly PadLike[] = [];
    if (accounts.length > 0) {
      count('pads');
      pads = await remote.getPads(customer.id, call);
    }
    summaries.set(customer.id, { cards, ...summarizeBankAccounts(accounts, pads) });
  };
  await eachAtMost(customers, options.concurrency ?? READS_AT_ONCE, readOne, signal);
  return { summaries, plan, calls };
}
