/** The Helcim emulator's state file: its shape checked on load. */
import type { SyncError } from '../../../core/errors.js';
import { isPlainObject } from '../../../emulator/http-io.js';
import { readStateObject, STATE_VERSION, unusableState } from '../../../emulator/state-file.js';
import type { StoreSnapshot } from './store.js';
import { WIRE_ADDRESS_KEYS, type WireAddress, type WireCard, type WireCustomer } from './types.js';

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
  return { nextId, nextCode, nextCardId, customers: out };
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
