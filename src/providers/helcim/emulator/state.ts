/** The Helcim emulator's state file: its shape checked on load. */
import type { SyncError } from '../../../core/errors.js';
import { isPlainObject } from '../../../emulator/http-io.js';
import { readStateObject, STATE_VERSION, unusableState } from '../../../emulator/state-file.js';
import type { StoreSnapshot } from './store.js';
import { WIRE_ADDRESS_KEYS, type WireAddress, type WireCard, type WireCustomer } from './types.js';
import type { WireBankAccount, WirePad } from './payment-types.js';

/**
 * Checks the shape only. Duplicate ids and codes are refused by CustomerStore.restore, which
 * finds them with the maps it builds anyway (turn its errors into `unusableState`).
 */
export async function loadState(path: string): Promise<StoreSnapshot | undefined> {
  const raw = await readStateObject(path, STATE_VERSION);
  if (raw === undefined) return undefined;
  const bad = (why: string): SyncError => unusableState(path, why);
  const { nextId, nextCode, nextCardId, customers } = raw;
  if (
    typeof nextId !== 'number' ||
    typeof nextCode !== 'number' ||
    typeof nextCardId !== 'number'
  ) {
    throw bad('counters missing');
  }
  if (!Array.isArray(customers)) throw bad('"customers" is not an array');
  const out: WireCustomer[] = [];
  for (const [index, customer] of customers.entries()) {
    if (!isWireCustomer(customer)) throw bad(`customers[${index}] is not a customer object`);
    out.push(customer);
  }
  const snapshot: StoreSnapshot = { nextId, nextCode, nextCardId, customers: out };
  // Payment details came later: a file without them is an account without any.
  const owners = new Set(out.map((c) => c.id));
  const bankAccounts = owned(raw['bankAccounts'], 'bankAccounts', isWireBankAccount, owners, bad);
  if (bankAccounts.length > 0) snapshot.bankAccounts = bankAccounts;
  const pads = owned(raw['pads'], 'pads', isWirePad, owners, bad);
  if (pads.length > 0) snapshot.pads = pads;
  return snapshot;
}

/** A list of records that each belong to a customer of the file; absent means none. */
function owned<T extends { customerId: number }>(
  value: unknown,
  name: string,
  is: (item: unknown) => item is T,
  owners: ReadonlySet<number>,
  bad: (why: string) => SyncError,
): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw bad(`"${name}" is not an array`);
  const out: T[] = [];
  for (const [index, item] of value.entries()) {
    if (!is(item)) throw bad(`${name}[${index}] is not the expected object`);
    if (!owners.has(item.customerId)) throw bad(`${name}[${index}] belongs to no customer`);
    out.push(item);
  }
  return out;
}

const isInteger = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value);

function isWireBankAccount(value: unknown): value is WireBankAccount {
  return (
    isPlainObject(value) &&
    ['id', 'customerId', 'verified', 'ready'].every((key) => isInteger(value[key])) &&
    [
      'dateCreated',
      'dateUpdated',
      'dateLastUsed',
      'dateVerified',
      'bankToken',
      'accountType',
      'accountCorporate',
      'bankIdNumber',
      'transitNumber',
      'routingNumber',
      'bankAccountNumberL4',
    ].every((key) => typeof value[key] === 'string') &&
    (value['address'] === '' || isWireAddress(value['address']))
  );
}

function isWirePad(value: unknown): value is WirePad {
  return (
    isPlainObject(value) &&
    [
      'id',
      'accepted',
      'bankAccountId',
      'customerId',
      'merchantId',
      'merchantAuthorized',
      'type',
      'status',
    ].every((key) => isInteger(value[key])) &&
    [
      'dateAccepted',
      'dateCreated',
      'dateEarliestDebit',
      'dateRevoked',
      'dateUpdated',
      'ipAddress',
    ].every((key) => typeof value[key] === 'string')
  );
}

const ADDRESS_KEYS: readonly string[] = WIRE_ADDRESS_KEYS;

function isWireAddress(value: unknown): value is WireAddress {
  return isPlainObject(value) && ADDRESS_KEYS.every((key) => typeof value[key] === 'string');
}

function isWireCard(value: unknown): value is WireCard {
  return (
    isPlainObject(value) &&
    typeof value['id'] === 'number' &&
    ['cardHolderName', 'cardF6L4', 'cardToken', 'cardExpiry', 'dateCreated', 'dateUpdated'].every(
      (key) => typeof value[key] === 'string',
    ) &&
    typeof value['default'] === 'boolean'
  );
}

function isWireCustomer(value: unknown): value is WireCustomer {
  if (!isPlainObject(value)) return false;
  const strings = [
    'customerCode',
    'businessName',
    'contactName',
    'dateCreated',
    'dateUpdated',
    'cellphone',
  ];
  const address = (a: unknown): boolean => a === '' || isWireAddress(a);
  return (
    typeof value['id'] === 'number' &&
    Number.isInteger(value['id']) &&
    strings.every((key) => typeof value[key] === 'string') &&
    address(value['billingAddress']) &&
    address(value['shippingAddress']) &&
    Array.isArray(value['cards']) &&
    value['cards'].every(isWireCard)
  );
}
