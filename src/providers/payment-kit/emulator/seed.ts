/**
 * Generated customers, for `seed` and for checkouts (churn). Every customer is a pure function
 * of its sequence number, mode and creation date, so the same seed gives the same customers.
 * The mix is deliberate: several countries, unset fields as `null` and as `""`, metadata or none.
 */
import { mulberry32 } from '../../../core/random.js';
import { pick } from '../../../emulator/sample-data.js';
import { customerDid, customerId, invoicePrefix } from './ids.js';
import type { PkAddress, PkCustomer } from './types.js';

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'José', 'Zoë'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Hamilton', 'Ritchie', 'Liskov', 'Núñez', "O'Brien"];
const STREETS = ['Main Street', 'King St W', 'Hauptstraße', 'Rue de Rivoli', 'Chuo-dori'];
/** [country (alpha-2), state, city, postal code, phone prefix] */
const PLACES: readonly [string, string, string, string, string][] = [
  ['US', 'CA', 'San Francisco', '94105', '+1415'],
  ['US', 'NY', 'New York', '10001', '+1212'],
  ['CA', 'ON', 'Toronto', 'M5V 2T6', '+1416'],
  ['GB', '', 'London', 'SW1A 1AA', '+4420'],
  ['DE', 'BE', 'Berlin', '10115', '+4930'],
  ['FR', '', 'Paris', '75001', '+331'],
  ['JP', '13', 'Tokyo', '100-0001', '+813'],
  ['AU', 'NSW', 'Sydney', '2000', '+612'],
  ['CN', 'SH', 'Shanghai', '200000', '+8621'],
];
const BALANCES = ['0', '0', '0', '100.00', '-25.50'];

export function blankAddress(): PkAddress {
  return { country: '', state: '', city: '', line1: '', line2: '', postal_code: '' };
}

function digits(rand: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(rand() * 10));
  return out;
}

/** Plain ASCII for the local part of an address: `José Núñez` to `jose.nunez`. */
function emailLocal(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.');
}

/**
 * Unset as `null` for one customer and `""` for the next one left without that field (those
 * are `period` apart): clients must read both as unset.
 */
function unset(seq: number, period: number): null | '' {
  return Math.floor(seq / period) % 2 === 0 ? null : '';
}

export function generateCustomer(seq: number, livemode: boolean, createdAt: Date): PkCustomer {
  const rand = mulberry32(seq * 7919 + 17);
  const name = `${pick(rand, FIRST)} ${pick(rand, LAST)}`;
  const [country, state, city, postal, dial] = pick(rand, PLACES);
  const phone = `${dial}${digits(rand, 7)}`;
  // Every ninth customer has an address with nothing set (checkout collected none).
  const address: PkAddress =
    seq % 9 === 0
      ? blankAddress()
      : {
          country,
          state,
          city,
          line1: `${1 + Math.floor(rand() * 999)} ${pick(rand, STREETS)}`,
          line2: seq % 4 === 0 ? `Apt ${1 + (seq % 40)}` : '',
          postal_code: postal,
        };
  const metadata: Record<string, string> = {};
  if (seq % 3 === 0) metadata['crm_id'] = `C-${seq}`;
  if (seq % 5 === 0) metadata['source'] = 'checkout';
  const date = createdAt.toISOString();
  return {
    id: customerId(seq),
    livemode,
    did: customerDid(seq),
    name,
    email: seq % 6 === 5 ? unset(seq, 6) : `${emailLocal(name)}.${seq}@example.com`,
    phone: seq % 5 === 4 ? unset(seq, 5) : phone,
    description: seq % 7 === 0 ? 'Imported from the old shop' : unset(seq, 1),
    address,
    shipping: seq % 8 === 0 ? { name, phone, address: { ...address } } : null,
    balance: BALANCES[seq % BALANCES.length] ?? '0',
    delinquent: seq % 11 === 0,
    metadata,
    invoice_prefix: invoicePrefix(seq),
    created_at: date,
    updated_at: date,
  };
}

/** What `seedCustomers` needs of the store: a checkout at a given date. */
export interface SeedTarget {
  create(livemode: boolean, createdAt: Date): PkCustomer;
}

/** Roughly 37 minutes apart, with milliseconds, so dates and their order are not all alike. */
const SPACING_MS = 37 * 60_000;

/**
 * `count` customers in each mode, the newest a little before `now`, oldest first so that
 * sequence numbers (and so ids) follow creation; live and test interleave.
 */
export function seedCustomers(target: SeedTarget, count: number, now: () => Date): void {
  const end = now().getTime();
  const jitter = mulberry32(count);
  for (let i = 0; i < count; i++) {
    const at = end - (count - i) * SPACING_MS + Math.floor(jitter() * 60_000);
    target.create(true, new Date(at));
    target.create(false, new Date(at + 1 + Math.floor(jitter() * 999)));
  }
}
