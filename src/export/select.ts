/**
 * Which remote customers an export holds, fetched the cheapest way and normalised exactly as a
 * plan normalises them, so that planning the export back shows no change.
 *
 * `--search` is applied here, after a listing, rather than sent as Helcim's `search` parameter:
 * the port has no search (a second provider may have none), and what Helcim's search really
 * matches (which fields, letter case, phone punctuation) is unverified, so the same command could
 * export different customers from the real service and the emulator. Filtering here gives one
 * documented meaning everywhere. The price is a full listing (one call per 100 customers).
 */
import type { RemoteCustomer } from '../core/customer.js';
import { ADDRESS_KINDS } from '../core/customer.js';
import { fetchRemote } from '../fetch/fetch.js';
import { normalizeRemote } from '../pipeline.js';
import type { FetchInfo } from '../plan/types.js';
import type { CustomerRemote } from '../remote/port.js';
import type { ExportSelection } from './types.js';

export interface SelectOptions {
  signal?: AbortSignal;
  onProgress?: (fetched: number) => void;
}

export interface Selected {
  /** Normalised, sorted by code. */
  customers: RemoteCustomer[];
  fetch: FetchInfo;
}

/** The fields Helcim documents its `search` parameter to look at, in both addresses. */
function searchable(customer: RemoteCustomer): string[] {
  const fields = [
    customer.contactName,
    customer.businessName,
    customer.customerCode,
    customer.cellPhone,
  ];
  for (const kind of ADDRESS_KINDS) {
    const a = customer[kind];
    if (a !== undefined) fields.push(a.city, a.phone, a.email);
  }
  return fields.filter((f): f is string => f !== undefined && f !== '');
}

/** Case-insensitive substring of a searchable field, as stored or as normalised. */
export function matchesSearch(customer: RemoteCustomer, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === '') return true;
  const normal = normalizeRemote(customer);
  return [...searchable(customer), ...searchable(normal)].some((f) =>
    f.toLowerCase().includes(needle),
  );
}

/** Code-unit order: the same on every machine and locale, so exports diff cleanly. */
export function compareCodes(a: RemoteCustomer, b: RemoteCustomer): number {
  const x = a.customerCode;
  const y = b.customerCode;
  if (x !== y) return x < y ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export async function selectCustomers(
  remote: CustomerRemote,
  selection: ExportSelection,
  options: SelectOptions = {},
): Promise<Selected> {
  const codes = selection.codes ?? [];
  const byCode = codes.length > 0;
  const fetched = await fetchRemote(remote, {
    // Codes alone are looked up one call each when that is cheaper than listing.
    strategy: byCode ? 'auto' : 'list',
    codes,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const wanted = new Set(codes);
  const search = selection.search;
  const customers = fetched.customers
    .filter((c) => !byCode || wanted.has(c.customerCode))
    .filter((c) => search === undefined || matchesSearch(c, search))
    .map(normalizeRemote)
    .sort(compareCodes);
  return { customers, fetch: fetched.info };
}
