/**
 * The query parameters the customer routes read. Each reader returns a value or the text of a
 * 400, never throws. Values arrive as strings (qs), so numbers and booleans are parsed here.
 */
import type { QueryObject } from './query.js';

export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Paging {
  page: number;
  pageSize: number;
}

/** A parameter sent once as plain text; `page[]=1` or `page=1&page=2` is a 400. */
function single(query: QueryObject, name: string): Read<string | undefined> {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return { ok: true, value };
  return { ok: false, error: `${name} must be sent once, as a plain value` };
}

/** Whole numbers only; out of range is clamped, junk is refused (a client bug worth seeing). */
function wholeNumber(query: QueryObject, name: string, fallback: number): Read<number> {
  const read = single(query, name);
  if (!read.ok) return read;
  // `page=` is how a form or a careless serialiser says "not given".
  if (read.value === undefined || read.value.trim() === '') return { ok: true, value: fallback };
  const text = read.value.trim();
  const value = Number(text);
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    return { ok: false, error: `${name} must be a whole number, got "${read.value}"` };
  }
  return { ok: true, value };
}

/** `page` from 1 (smaller is 1); `pageSize` default 20, clamped into 1..100. */
export function readPaging(query: QueryObject): Read<Paging> {
  const page = wholeNumber(query, 'page', 1);
  if (!page.ok) return page;
  const pageSize = wholeNumber(query, 'pageSize', DEFAULT_PAGE_SIZE);
  if (!pageSize.ok) return pageSize;
  return {
    ok: true,
    value: {
      page: Math.max(1, page.value),
      pageSize: Math.min(MAX_PAGE_SIZE, Math.max(1, pageSize.value)),
    },
  };
}

/** Default `true`, as the SDK's; only the strings the SDK writes are accepted. */
export function readLivemode(query: QueryObject): Read<boolean> {
  const read = single(query, 'livemode');
  if (!read.ok) return read;
  if (read.value === undefined || read.value === 'true') return { ok: true, value: true };
  if (read.value === 'false') return { ok: true, value: false };
  return { ok: false, error: `livemode must be "true" or "false", got "${read.value}"` };
}

/** The exact-DID filter of the list. An empty one is refused rather than read as "no filter". */
export function readDid(query: QueryObject): Read<string | undefined> {
  const read = single(query, 'did');
  if (!read.ok || read.value === undefined) return read;
  if (read.value === '') return { ok: false, error: 'did must not be empty' };
  return read;
}

/** The search text; missing or empty matches every customer. */
export function readSearch(query: QueryObject): Read<string> {
  const read = single(query, 'query');
  if (!read.ok) return read;
  return { ok: true, value: read.value ?? '' };
}
