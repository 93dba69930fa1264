import { request } from 'undici';
import { PAYMENT_KIT_KEY_ENV } from '../../src/providers/payment-kit/client/config.js';
import { PK_EMULATOR_KEY } from '../process.js';
import { floorTask } from './plan-floor.js';

/**
 * The floor of `pk-plan-100k-csv`: csv-parse of the file (plan-floor.ts) and every page of the
 * test-mode account fetched with plain undici and JSON.parse. Payment Kit's answer carries
 * `count`, so once page 1 is in, the number of pages is known and the rest need not wait for
 * each other: they are read IN_FLIGHT at a time, the bound the contract asks clients to keep
 * (and the tool's default). No checkout runs meanwhile, so no page shifts and none is re-read.
 */
const IN_FLIGHT = 5;
const PAGE_SIZE = 100;

/** One page: the account's `count` and how many customers the page held. */
async function fetchPage(
  url: string,
  key: string,
  page: number,
): Promise<{ count: number; customers: number }> {
  const response = await request(
    `${url}/api/customers?page=${page}&pageSize=${PAGE_SIZE}&livemode=false`,
    { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } },
  );
  const body: unknown = JSON.parse(await response.body.text());
  if (typeof body !== 'object' || body === null || !('count' in body) || !('list' in body))
    throw new Error(`page ${page} is not a listing`);
  const { count, list } = body;
  if (typeof count !== 'number' || !Array.isArray(list))
    throw new Error(`page ${page} has no count or list`);
  return { count, customers: list.length };
}

async function fetchAll(url: string, key: string): Promise<number> {
  const first = await fetchPage(url, key, 1);
  const pages = Math.ceil(first.count / PAGE_SIZE);
  let next = 2;
  let customers = first.customers;
  const worker = async (): Promise<void> => {
    for (let page = next++; page <= pages; page = next++) {
      // Awaited first: `customers += await ...` would add to the value read before the wait.
      const got = await fetchPage(url, key, page);
      customers += got.customers;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return customers;
}

export default floorTask('pk-plan-floor', (url) =>
  fetchAll(url, process.env[PAYMENT_KIT_KEY_ENV] ?? PK_EMULATOR_KEY),
);
