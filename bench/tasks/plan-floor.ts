import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { request } from 'undici';
import { EMULATOR_TOKEN } from '../process.js';
import type { Task } from './index.js';

/**
 * The floor of `plan-100k-csv`: only the work no plan can skip. csv-parse of the file, and every
 * page of the account fetched with plain undici and JSON.parse, one after another (a page shorter
 * than 100 is the last, so the next page is known only once this one is in). The two overlap, as
 * they are independent: the floor is the least time the unavoidable work takes, not its sum.
 * `serial` does them one after the other; the scenario takes the faster of the two.
 */
export async function parseCsv(path: string): Promise<number> {
  let rows = 0;
  for await (const _row of createReadStream(path).pipe(parse())) rows++;
  return rows;
}

async function fetchAll(url: string, token: string): Promise<number> {
  let customers = 0;
  for (let page = 1; ; page++) {
    const response = await request(`${url}/customers?limit=100&page=${page}`, {
      headers: { 'api-token': token, accept: 'application/json' },
    });
    const body: unknown = JSON.parse(await response.body.text());
    if (!Array.isArray(body)) throw new Error(`page ${page} is not an array`);
    customers += body.length;
    if (body.length < 100) return customers;
  }
}

/**
 * A floor task: csv-parse of the file and `fetchAll` of the account, overlapped, or with
 * `serial` one after the other, the order the tool itself must keep (the fetch strategy depends
 * on the desired set, and nothing is fetched for an invalid one). Shared with the Payment Kit
 * floor (pk-plan-floor.ts), which lists its own way.
 */
export function floorTask(name: string, fetchAll: (url: string) => Promise<number>): Task {
  return async ([csv, url, mode = 'overlapped']) => {
    if (csv === undefined || url === undefined) throw new Error(`usage: ${name} CSV URL [serial]`);
    if (mode === 'serial') {
      const rows = await parseCsv(csv);
      return { rows, customers: await fetchAll(url) };
    }
    const [rows, customers] = await Promise.all([parseCsv(csv), fetchAll(url)]);
    return { rows, customers };
  };
}

export default floorTask('plan-floor', (url) =>
  fetchAll(url, process.env['HELCIM_API_TOKEN'] ?? EMULATOR_TOKEN),
);
