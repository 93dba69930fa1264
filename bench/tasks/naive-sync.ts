import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import pLimit from 'p-limit';
import { request } from 'undici';
import { EMULATOR_TOKEN } from '../process.js';
import type { Task } from './index.js';

/**
 * The peer of `api-calls`: a naive sync script. For every record of the CSV it looks the code up,
 * then PUTs the record when found or POSTs it when not, changed or not. Its calls are counted by
 * the emulator like the tool's.
 */
function body(header: string[], row: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [i, column] of header.entries()) {
    const value = row[i];
    if (value === undefined || value === '') continue;
    const [head, tail] = column.split('.');
    if (head === undefined) continue;
    if (tail === undefined) out[head] = value;
    else {
      const address = out[head];
      if (typeof address === 'object' && address !== null)
        Object.assign(address, { [tail]: value });
      else out[head] = { [tail]: value };
    }
  }
  return out;
}

const task: Task = async ([csv, url]) => {
  if (csv === undefined || url === undefined) throw new Error('usage: naive-sync CSV URL');
  const headers = {
    'api-token': process.env['HELCIM_API_TOKEN'] ?? EMULATOR_TOKEN,
    accept: 'application/json',
    'content-type': 'application/json',
  };
  const [header = [], ...rows]: string[][] = parse(readFileSync(csv));
  const limit = pLimit(5);
  let failed = 0;
  await Promise.all(
    rows.map((row) =>
      limit(async () => {
        const record = body(header, row);
        const code = String(record['customerCode'] ?? '');
        const found = await request(`${url}/customers?customerCode=${encodeURIComponent(code)}`, {
          headers,
        });
        const list: unknown = await found.body.json();
        const first: unknown = Array.isArray(list) ? list[0] : undefined;
        const id =
          typeof first === 'object' && first !== null && 'id' in first ? first.id : undefined;
        const write = await request(
          id === undefined ? `${url}/customers` : `${url}/customers/${String(id)}`,
          { method: id === undefined ? 'POST' : 'PUT', headers, body: JSON.stringify(record) },
        );
        await write.body.dump();
        if (write.statusCode !== 200) failed++;
      }),
    ),
  );
  return { records: rows.length, failed };
};
export default task;
