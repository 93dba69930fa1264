/** What export produces and the choices it takes. */

export const EXPORT_FORMATS = ['yaml', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * What may be said about a customer's stored cards in an export: how many, and the default
 * card's last four digits. Never a token, never the first six digits, never the expiry.
 */
export interface CardSummary {
  count: number;
  defaultLast4?: string;
}

/**
 * The cards part of `--include-payment-details`: `--include-cards`' count and last four digits,
 * and the default card's expiry (`MM/YY`). Still never a token or the first six digits.
 */
export interface PaymentCardSummary extends CardSummary {
  defaultExpiry?: string;
}

export type PadStatus = 'pending' | 'accepted' | 'revoked';

/** A bank account as an export may show it. */
export interface BankAccountSummary {
  /** Absent for a type other than these two. */
  type?: 'checking' | 'savings';
  /** The last four digits of the account number. */
  last4?: string;
  verified: boolean;
  /** The status of its newest PAD agreement; absent when it has none. */
  pad?: PadStatus;
}

/**
 * What `--include-payment-details` may say about a customer: never a token, a full card or
 * account number, an institution, transit or routing number. Built from the provider's answers
 * as they arrive (payment-details.ts); nothing else of them is kept.
 */
export interface PaymentSummary {
  cards: PaymentCardSummary;
  bankAccounts: BankAccountSummary[];
  /** PADs whose bank account is not among the customer's accounts any more. */
  padsWithoutAccount: PadStatus[];
}

/** Which remote customers to export. Both filters narrow: a customer must pass each one given. */
export interface ExportSelection {
  /** Exact customer codes (`--code`, repeatable). */
  codes?: readonly string[];
  /** Case-insensitive text (`--search`), matched the way Helcim's `search` parameter is documented. */
  search?: string;
}
