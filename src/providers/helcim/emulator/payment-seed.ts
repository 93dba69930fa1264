/**
 * Bank accounts and PAD agreements for `--seed N`, so that `/bank-accounts` and `/pads` have
 * something to return. Drawn from a generator of their own: the customers and cards of a seed
 * stay exactly what they were before payment details existed.
 *
 * Every third customer, from the second on (index 1, 4, 7, ...), has a bank account; every
 * ninth (1, 10, 19, ...) a second one. Bank accounts in seeding order take turns: an accepted
 * PAD, a pending one, a revoked one, none.
 */
import { mulberry32 } from '../../../core/random.js';
import { ZERO_DATE } from './dates.js';
import { PAD_STATUS } from './payment-types.js';
import type { WireCustomer } from './types.js';
import type { CustomerStore, NewBankAccount, NewPad } from './store.js';

/** Helcim's merchant of the emulated account, in every PAD (the example's is 6 digits). */
const MERCHANT_ID = 200001;
const PAD_CYCLE = ['accepted', 'pending', 'revoked', undefined] as const;

function digits(rand: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(rand() * 10));
  return out;
}

function hex(rand: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += Math.floor(rand() * 16).toString(16);
  return out;
}

export function bankAccountCount(index: number): number {
  if (index % 3 !== 1) return 0;
  return index % 9 === 1 ? 2 : 1;
}

/** Adds the payment details of the seeded `customers` (in seeding order). */
export function seedPaymentDetails(
  store: CustomerStore,
  customers: readonly WireCustomer[],
  date: string,
  seed = 1,
): void {
  // Another stream than the customers' own (seed.ts), so theirs is left as it was.
  const rand = mulberry32((seed * 0x9e3779b1) ^ 0x5eed);
  let turn = 0;
  for (const [index, customer] of customers.entries()) {
    const count = bankAccountCount(index);
    for (let k = 0; k < count; k++) {
      const pad = PAD_CYCLE[turn++ % PAD_CYCLE.length];
      const verified = pad === 'accepted' || pad === 'revoked' || (pad === undefined && k === 0);
      const address = customer.billingAddress;
      const canadian = address === '' || address.country !== 'USA';
      const account: NewBankAccount = {
        dateCreated: date,
        dateUpdated: date,
        dateLastUsed: ZERO_DATE,
        dateVerified: verified ? date : ZERO_DATE,
        bankToken: hex(rand, 22),
        accountType: rand() < 0.7 ? 'CHECKING' : 'SAVINGS',
        accountCorporate: customer.businessName === '' ? 'PERSONAL' : 'CORPORATE',
        verified: verified ? 1 : 0,
        ready: verified ? 1 : 0,
        bankIdNumber: canadian ? `0${digits(rand, 2)}` : '',
        transitNumber: canadian ? digits(rand, 5) : '',
        routingNumber: canadian ? '' : `0${digits(rand, 8)}`,
        bankAccountNumberL4: digits(rand, 4),
        address,
      };
      const stored = store.addBankAccount(customer.id, account);
      if (stored === undefined || pad === undefined) continue;
      const agreed = pad !== 'pending';
      const agreement: NewPad = {
        accepted: agreed ? 1 : 0,
        bankAccountId: stored.id,
        dateAccepted: agreed ? date : ZERO_DATE,
        dateCreated: date,
        dateEarliestDebit: agreed ? date : ZERO_DATE,
        dateRevoked: pad === 'revoked' ? date : ZERO_DATE,
        dateUpdated: date,
        ipAddress: '',
        merchantId: MERCHANT_ID,
        merchantAuthorized: 0,
        type: 1,
        status: PAD_STATUS[pad],
      };
      store.addPad(customer.id, agreement);
    }
  }
}
