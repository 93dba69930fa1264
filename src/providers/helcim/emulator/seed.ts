/**
 * Deterministic customers for `--seed N`, some with cards so `includeCards` and `/cards` have
 * something to return, and some with bank accounts and PADs (payment-seed.ts). Same N, same
 * customers (dates aside).
 */
import { mulberry32 } from '../../../core/random.js';
import { formatHelcimDate } from './dates.js';
import type { CustomerStore } from './store.js';
import { seedPaymentDetails } from './payment-seed.js';
import type { WireAddress, WireCard, WireCustomer } from './types.js';
import { PLACES, STREETS, pick } from '../../../emulator/sample-data.js';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'José',
  'Zoë',
];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Hamilton', 'Ritchie', 'Liskov', 'Núñez', "O'Brien"];
const CARD_PREFIXES = ['424242', '545454', '371449', '601100'];

function digits(rand: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(rand() * 10));
  return out;
}

function makeCards(
  rand: () => number,
  store: CustomerStore,
  holder: string,
  count: number,
  date: string,
): WireCard[] {
  const cards: WireCard[] = [];
  for (let i = 0; i < count; i++) {
    const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
    const year = String(26 + Math.floor(rand() * 6));
    cards.push({
      id: store.allocateCardId(),
      cardHolderName: holder,
      cardF6L4: `${pick(rand, CARD_PREFIXES)}${digits(rand, 4)}`,
      cardToken:
        Math.floor(rand() * 2 ** 48)
          .toString(16)
          .padStart(12, '0') + digits(rand, 11),
      cardExpiry: `${month}${year}`,
      dateCreated: date,
      dateUpdated: date,
      default: i === 0,
    });
  }
  return cards;
}

/**
 * Adds `count` customers with generated `CST…` codes; every fourth has one or two cards, every
 * third (from the second) one or two bank accounts, most of those a PAD agreement.
 */
export function seedCustomers(
  store: CustomerStore,
  count: number,
  now: () => Date,
  seed = 1,
): void {
  const rand = mulberry32(seed);
  const date = formatHelcimDate(now());
  const created: WireCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${pick(rand, FIRST)} ${pick(rand, LAST)}`;
    const [city, province, country, postalCode] = pick(rand, PLACES);
    const phone = `${400 + Math.floor(rand() * 500)}555${digits(rand, 4)}`;
    const billing: WireAddress = {
      name,
      street1: `${1 + Math.floor(rand() * 9999)} ${pick(rand, STREETS)}`,
      street2: '',
      city,
      province,
      country,
      postalCode,
      phone,
      email: `customer${i}@example.com`,
    };
    const cardCount = i % 4 === 0 ? 1 + (i % 8 === 0 ? 1 : 0) : 0;
    const customer = store.create(
      {
        contactName: name,
        businessName: i % 3 === 0 ? `${pick(rand, LAST)} & Co` : '',
        cellPhone: i % 5 === 0 ? '' : phone,
        billingAddress: billing,
        shippingAddress: i % 2 === 0 ? { ...billing, street2: `Unit ${i % 400}` } : '',
      },
      () => makeCards(rand, store, name, cardCount, date),
    );
    created.push(customer);
  }
  seedPaymentDetails(store, created, date, seed);
}
