/**
 * The Helcim emulator's wire shapes of a customer's payment details besides cards (types.ts):
 * bank accounts and PAD agreements, read-only, as Helcim's developer docs show them.
 */
import type { WireAddress } from './types.js';

/**
 * A stored bank account, keys as in Helcim's example object (developer docs, "The bank account
 * object"). Only the last four digits of the account number exist on the wire; the institution
 * (`bankIdNumber`) and transit numbers (Canada) or the routing number (US) are sent whole, and
 * `bankToken` is what the ACH Payment API charges. Sensitive: the tool never lets them out.
 */
export interface WireBankAccount {
  id: number;
  customerId: number;
  dateCreated: string;
  dateUpdated: string;
  dateLastUsed: string;
  dateVerified: string;
  bankToken: string;
  /** `CHECKING` or `SAVINGS`. */
  accountType: string;
  /** `PERSONAL` or `CORPORATE`. */
  accountCorporate: string;
  /** 0 or 1, a number as in the example. */
  verified: number;
  ready: number;
  /** Institution number (Canada). */
  bankIdNumber: string;
  transitNumber: string;
  /** Routing number (US). */
  routingNumber: string;
  bankAccountNumberL4: string;
  address: WireAddress | '';
}

/**
 * A PAD (pre-authorised debit) agreement on one of the customer's bank accounts, keys as in
 * Helcim's example object. What the numbers of `status` mean is not documented: the emulator uses
 * 0 pending, 1 accepted, 2 revoked (the example's accepted agreement says 1), and keeps
 * `accepted` and the dates consistent with it, which is what clients should read.
 */
export interface WirePad {
  id: number;
  accepted: number;
  bankAccountId: number;
  customerId: number;
  dateAccepted: string;
  dateCreated: string;
  dateEarliestDebit: string;
  dateRevoked: string;
  dateUpdated: string;
  ipAddress: string;
  merchantId: number;
  merchantAuthorized: number;
  type: number;
  status: number;
}

export const PAD_STATUS = { pending: 0, accepted: 1, revoked: 2 } as const;
