import type { HelcimCustomer } from '../src/providers/helcim/fields.js';
import { mkdirSync, existsSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADDRESS_FIELDS } from '../src/providers/helcim/fields.js';
import { PLACES, STREETS, pick } from '../src/emulator/sample-data.js';
import { mulberry32 } from '../src/core/random.js';

export { mulberry32 };

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Edsger',
  'José',
  'Zoë',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Dijkstra',
  'Núñez',
  "O'Brien",
];

/** `count` valid customers with billing addresses, half with shipping addresses too. */
export function generateCustomers(count: number, seed = 1): HelcimCustomer[] {
  const rand = mulberry32(seed);
  const out: HelcimCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${pick(rand, FIRST)} ${pick(rand, LAST)}`;
    const [city, province, country, postalCode] = pick(rand, PLACES);
    const phone = `${400 + Math.floor(rand() * 500)}555${String(Math.floor(rand() * 10000)).padStart(4, '0')}`;
    const address = {
      name,
      street1: `${1 + Math.floor(rand() * 9999)} ${pick(rand, STREETS)}`,
      city,
      province,
      country,
      postalCode,
      phone,
      email: `customer${i}@example.com`,
    };
    const customer: HelcimCustomer = {
      customerCode: `BENCH${String(i).padStart(7, '0')}`,
      contactName: name,
      cellPhone: phone,
      billingAddress: address,
    };
    if (i % 3 === 0) customer.businessName = `${pick(rand, LAST)} & Co`;
    if (i % 2 === 0) customer.shippingAddress = { ...address, street2: `Unit ${i % 400}` };
    out.push(customer);
  }
  return out;
}

export const CSV_COLUMNS = [
  'customerCode',
  'contactName',
  'businessName',
  'cellPhone',
  ...ADDRESS_FIELDS.map((f) => `billingAddress.${f}`),
  ...ADDRESS_FIELDS.map((f) => `shippingAddress.${f}`),
] as const;

export function csvCell(value: string | undefined): string {
  if (value === undefined) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function getPath(customer: HelcimCustomer, path: string): string | undefined {
  const [head, tail] = path.split('.');
  if (tail === undefined) {
    const v = customer[head as keyof HelcimCustomer];
    return typeof v === 'string' ? v : undefined;
  }
  const address = head === 'billingAddress' ? customer.billingAddress : customer.shippingAddress;
  return address?.[tail as keyof typeof address];
}

function yamlScalar(value: string): string {
  return /^[\w .@&'-]+$/u.test(value) && !/^[-\d\s]/.test(value) && !value.endsWith(' ')
    ? value
    : JSON.stringify(value);
}

export async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) {
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Writes (once, then reuses) the benchmark files for `count` customers; returns their paths. */
export async function benchFiles(
  count: number,
): Promise<{ dir: string; csv: string; yaml: string }> {
  const dir = join(tmpdir(), 'helcim-sync-bench', String(count));
  const csv = join(dir, 'customers.csv');
  const yaml = join(dir, 'customers.yaml');
  if (existsSync(csv) && existsSync(yaml)) return { dir, csv, yaml };
  mkdirSync(dir, { recursive: true });
  const customers = generateCustomers(count);
  await writeLines(
    csv,
    (function* () {
      yield CSV_COLUMNS.join(',') + '\n';
      for (const c of customers)
        yield CSV_COLUMNS.map((col) => csvCell(getPath(c, col))).join(',') + '\n';
    })(),
  );
  await writeLines(
    yaml,
    (function* () {
      yield '# yaml-language-server: $schema=../../schemas/customers.schema.json\ncustomers:\n';
      for (const c of customers) {
        let first = true;
        for (const [key, value] of Object.entries(c)) {
          const lead = first ? '  - ' : '    ';
          first = false;
          if (typeof value === 'string') yield `${lead}${key}: ${yamlScalar(value)}\n`;
          else if (typeof value === 'object' && value !== null) {
            yield `${lead}${key}:\n`;
            for (const [k, v] of Object.entries(value))
              if (typeof v === 'string') yield `      ${k}: ${yamlScalar(v)}\n`;
          }
        }
      }
    })(),
  );
  return { dir, csv, yaml };
}
