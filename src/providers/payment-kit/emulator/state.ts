/**
 * The Payment Kit emulator's state file: `{ version: 1, provider: "payment-kit", nextSeq,
 * customers }`, customers as wire objects one a line. Written and debounced by the Helcim
 * emulator's persister (atomic, mode 0600); read and checked here. A damaged file, another
 * emulator's file or one holding an id or DID twice is refused at start, never emptied.
 */
import type { SyncError } from '../../../core/errors.js';
import { readStateObject, unusableState } from '../../../emulator/state-file.js';
import { isPlainObject } from '../../../emulator/http-io.js';
import { DuplicateCustomerError, type PaymentKitStore, type PkStoreSnapshot } from './store.js';
import type { PkAddress, PkCustomer, PkShipping } from './types.js';

export const PK_STATE_VERSION = 1;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ADDRESS_KEYS = ['country', 'state', 'city', 'line1', 'line2', 'postal_code'];

export async function loadPaymentKitState(
  path: string,
): Promise<Pick<PkStoreSnapshot, 'nextSeq' | 'customers'> | undefined> {
  const raw = await readStateObject(path, PK_STATE_VERSION);
  if (raw === undefined) return undefined;
  const bad = (why: string): SyncError => unusableState(path, why);
  if (raw['provider'] !== 'payment-kit') {
    throw bad('it is not a Payment Kit emulator state (no "provider": "payment-kit")');
  }
  const { nextSeq, customers } = raw;
  if (typeof nextSeq !== 'number' || !Number.isSafeInteger(nextSeq)) throw bad('nextSeq missing');
  if (!Array.isArray(customers)) throw bad('"customers" is not an array');
  const out: PkCustomer[] = [];
  for (const [index, customer] of customers.entries()) {
    if (!isPkCustomer(customer)) throw bad(`customers[${index}] is not a customer object`);
    out.push(customer);
  }
  return { nextSeq, customers: out };
}

/** The store's refusals name no file; at start they mean the state file is unusable. */
export function restorePaymentKitState(
  store: PaymentKitStore,
  snapshot: Pick<PkStoreSnapshot, 'nextSeq' | 'customers'>,
  path: string,
): void {
  try {
    store.restore(snapshot);
  } catch (caught) {
    if (caught instanceof DuplicateCustomerError) {
      throw unusableState(path, `customer ${caught.field} ${caught.value} appears more than once`);
    }
    throw caught;
  }
}

const textOrNull = (value: unknown): boolean => value === null || typeof value === 'string';

function isPkAddress(value: unknown): value is PkAddress {
  return isPlainObject(value) && ADDRESS_KEYS.every((key) => typeof value[key] === 'string');
}

function isPkShipping(value: unknown): value is PkShipping {
  return (
    isPlainObject(value) &&
    typeof value['name'] === 'string' &&
    typeof value['phone'] === 'string' &&
    isPkAddress(value['address'])
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

export function isPkCustomer(value: unknown): value is PkCustomer {
  if (!isPlainObject(value)) return false;
  const { id, livemode, did, balance, delinquent, created_at, updated_at } = value;
  return (
    typeof id === 'string' &&
    id.startsWith('cus_') &&
    typeof livemode === 'boolean' &&
    typeof did === 'string' &&
    did !== '' &&
    ['name', 'email', 'phone', 'description'].every((key) => textOrNull(value[key])) &&
    isPkAddress(value['address']) &&
    (value['shipping'] === null || isPkShipping(value['shipping'])) &&
    typeof balance === 'string' &&
    typeof delinquent === 'boolean' &&
    isStringRecord(value['metadata']) &&
    typeof value['invoice_prefix'] === 'string' &&
    typeof created_at === 'string' &&
    ISO_DATE.test(created_at) &&
    typeof updated_at === 'string' &&
    ISO_DATE.test(updated_at)
  );
}
