import {
  ADDRESS_FIELDS,
  ADDRESS_KINDS,
  SCALAR_FIELDS,
  type Address,
  type AddressKind,
  type CustomerData,
} from '../core/customer.js';

/** Reads a dotted field path (`contactName`, `billingAddress.city`) of a customer. */
export function getField(data: CustomerData, path: string): string | undefined {
  const dot = path.indexOf('.');
  if (dot === -1) {
    for (const field of SCALAR_FIELDS) if (field === path) return data[field];
    return undefined;
  }
  const kind = path.slice(0, dot);
  const sub = path.slice(dot + 1);
  for (const k of ADDRESS_KINDS) {
    if (k !== kind) continue;
    const address = data[k];
    for (const f of ADDRESS_FIELDS) if (f === sub) return address?.[f];
  }
  return undefined;
}

/** Every set field of a customer as `[path, value]`, in the canonical field order. */
export function flatten(data: CustomerData): [string, string][] {
  const out: [string, string][] = [];
  for (const field of SCALAR_FIELDS) {
    const value = data[field];
    if (value !== undefined) out.push([field, value]);
  }
  for (const kind of ADDRESS_KINDS) {
    const address = data[kind];
    if (address === undefined) continue;
    for (const f of ADDRESS_FIELDS) {
      const value = address[f];
      if (value !== undefined) out.push([`${kind}.${f}`, value]);
    }
  }
  return out;
}

/**
 * A copy without the ignored paths. `ignore` holds top-level fields (`cellPhone`,
 * `shippingAddress`) or address sub-fields (`billingAddress.phone`).
 */
export function withoutIgnored(data: CustomerData, ignore: ReadonlySet<string>): CustomerData {
  if (ignore.size === 0) return data;
  const out: CustomerData = {};
  for (const field of SCALAR_FIELDS) {
    const value = data[field];
    if (value !== undefined && !ignore.has(field)) out[field] = value;
  }
  for (const kind of ADDRESS_KINDS) {
    const address = data[kind];
    if (address === undefined || ignore.has(kind)) continue;
    const kept = withoutIgnoredAddress(address, kind, ignore);
    if (Object.keys(kept).length > 0) out[kind] = kept;
  }
  return out;
}

function withoutIgnoredAddress(
  address: Address,
  kind: AddressKind,
  ignore: ReadonlySet<string>,
): Address {
  const out: Address = {};
  for (const f of ADDRESS_FIELDS) {
    const value = address[f];
    if (value !== undefined && !ignore.has(`${kind}.${f}`)) out[f] = value;
  }
  return out;
}

/** Stable JSON: keys in canonical order, so equal customers serialise (and hash) equally. */
export function canonicalJson(data: CustomerData): string {
  return JSON.stringify(Object.fromEntries(flatten(data)));
}
