/** What the planner is fed: desired records as it takes them, listed customers normalised alike. */
import type { CustomerData, RemoteCustomer } from '../core/customer.js';
import type { DesiredCustomer } from '../desired/index.js';
import { formatSource } from '../load/types.js';
import type { ProviderInfo } from '../providers/types.js';
import type { DesiredInput } from './types.js';

export function toDesiredInput(
  customer: Pick<DesiredCustomer, 'key' | 'data' | 'place' | 'clear'>,
): DesiredInput {
  return {
    key: customer.key,
    data: customer.data,
    source: formatSource(customer.place),
    ...(customer.clear === undefined || customer.clear.length === 0
      ? {}
      : { clear: customer.clear }),
  };
}

/**
 * The provider's normalisation of desired records, applied to fetched customers so both sides
 * compare alike.
 */
export function remoteNormalizer(provider: ProviderInfo): (c: RemoteCustomer) => RemoteCustomer {
  const identity = provider.fields.identity;
  return (customer) => {
    const data = provider.normalize(customer);
    // A stored record is rarely changed by normalising, but its id and dates make the
    // normaliser copy it: keeping the copy and the original (`raw`) of each of 100,000
    // listed customers doubled what the listing holds while the desired state loads.
    if (data === customer || sameData(data, customer)) return customer;
    // The normalised data is a fresh object: completing it, instead of spreading it into
    // another, saves an object per record, which counts on 100,000-record listings.
    const out: RemoteCustomer = Object.assign(data, { id: customer.id });
    // An identity normalising made empty is still the customer's identity.
    if (out[identity] === undefined && customer[identity] !== undefined)
      out[identity] = customer[identity];
    out.raw = customer.raw ?? customer;
    if (customer.createdAt !== undefined) out.createdAt = customer.createdAt;
    if (customer.updatedAt !== undefined) out.updatedAt = customer.updatedAt;
    return out;
  };
}

/** Keys of a `RemoteCustomer` that are not its data. */
const REMOTE_KEYS: ReadonlySet<string> = new Set(['id', 'createdAt', 'updatedAt', 'raw']);

/**
 * True when `data` holds exactly the customer's data keys, each with the very same value: a
 * normaliser shares the groups it leaves unchanged, so this compares no nested values.
 */
function sameData(data: CustomerData, customer: RemoteCustomer): boolean {
  let count = 0;
  for (const key in data) {
    if (data[key] !== customer[key]) return false;
    count++;
  }
  // A key counted above (data may hold `id`: Payment Kit's is a field) is the customer's too.
  for (const key in customer) if (!REMOTE_KEYS.has(key) || key in data) count--;
  return count === 0;
}
