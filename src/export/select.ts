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
import { textOf, type RemoteCustomer } from '../core/customer.js';
import { getField, type FieldList } from '../core/fields.js';
import { providerInfo } from '../providers/index.js';
import type { ProviderInfo } from '../providers/types.js';
import { fetchRemote } from '../fetch/fetch.js';
import { remoteNormalizer } from '../pipeline.js';
import type { FetchInfo } from '../plan/types.js';
import type { CustomerRemote } from '../remote/port.js';
import type { ExportSelection } from './types.js';

export interface SelectOptions {
  signal?: AbortSignal;
  onProgress?: (fetched: number) => void;
}

export interface Selected {
  /** Normalised, sorted by identity. */
  customers: RemoteCustomer[];
  fetch: FetchInfo;
}

/** The text of the provider's searchable fields (Helcim: those its `search` looks at). */
function searchable(list: FieldList, customer: RemoteCustomer): string[] {
  const out: string[] = [];
  for (const path of list.searchPaths) {
    const value = getField(customer, path);
    if (value !== undefined && value !== '') out.push(value);
  }
  return out;
}

/** Case-insensitive substring of a searchable field, as stored or as normalised. */
export function matchesSearch(
  provider: ProviderInfo,
  customer: RemoteCustomer,
  search: string,
): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === '') return true;
  const normal = remoteNormalizer(provider)(customer);
  return [...searchable(provider.fields, customer), ...searchable(provider.fields, normal)].some(
    (f) => f.toLowerCase().includes(needle),
  );
}

/** Code-unit order of the identity: the same on every machine and locale, so exports diff cleanly. */
export function identityOrder(list: FieldList): (a: RemoteCustomer, b: RemoteCustomer) => number {
  return (a, b) => {
    const x = textOf(a[list.identity]) ?? '';
    const y = textOf(b[list.identity]) ?? '';
    if (x !== y) return x < y ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
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
  const provider = providerInfo(remote.provider);
  const list = provider.fields;
  const wanted = new Set(codes);
  const search = selection.search;
  const customers = fetched.customers
    .filter((c) => !byCode || wanted.has(textOf(c[list.identity]) ?? ''))
    .filter((c) => search === undefined || matchesSearch(provider, c, search))
    .map(remoteNormalizer(provider))
    .sort(identityOrder(list));
  return { customers, fetch: fetched.info };
}
