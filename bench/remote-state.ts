/**
 * Emulator state files for the benchmarks: the generated customers as Helcim stores them, so an
 * emulator started with `--state` holds an account that matches the generated desired files
 * (instantly, without 100,000 POSTs). A chosen share of them differs, to give the plan updates.
 */
import type { HelcimCustomer } from '../src/providers/helcim/fields.js';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADDRESS_FIELDS, type Address } from '../src/providers/helcim/fields.js';
import { ZERO_DATE } from '../src/providers/helcim/emulator/dates.js';
import { writeStateAtomic } from '../src/emulator/state-file.js';
import { blankWireAddress } from '../src/providers/helcim/emulator/validate.js';
import type { WireAddress, WireCustomer } from '../src/providers/helcim/emulator/types.js';
import { normalizeCustomer } from '../src/providers/helcim/normalize/index.js';
import { generateCustomers } from './generate.js';

const FIRST_ID = 28_000_001;
const CREATED = '2025-04-10 14:33:08';

/** By default every 100th remote customer has another contact name: 1% of them differ. */
export const DIFFER_EVERY = 100;

/** How many of the first `desired` generated customers differ in an account made with `every`. */
export function differing(desired: number, every = DIFFER_EVERY): number {
  return Math.ceil(desired / every);
}

function wireAddress(address: Address | undefined): WireAddress | '' {
  if (address === undefined) return '';
  const out = blankWireAddress();
  for (const field of ADDRESS_FIELDS) out[field] = address[field] ?? '';
  return out;
}

/** A customer as the emulator stores and answers it: `""` for unset values, `cellphone`. */
export function toWire(data: HelcimCustomer, id: number, code: string): WireCustomer {
  return {
    id,
    customerCode: code,
    businessName: data.businessName ?? '',
    contactName: data.contactName ?? '',
    dateCreated: CREATED,
    dateUpdated: ZERO_DATE,
    cellphone: data.cellPhone ?? '',
    billingAddress: wireAddress(data.billingAddress),
    shippingAddress: wireAddress(data.shippingAddress),
    cards: [],
  };
}

/**
 * The customers of the account `remoteStateFile(count, every)` holds, as data: the first `count`
 * generated customers, normalised, every `every`th with another contact name. A desired file
 * written from these matches that account exactly.
 */
export function accountCustomers(count: number, every = DIFFER_EVERY): HelcimCustomer[] {
  return generateCustomers(count).map((generated, i) => {
    const data = normalizeCustomer(generated);
    if (i % every === 0) data.contactName = `${data.contactName ?? ''} Sr`;
    return data;
  });
}

/**
 * The state of an account holding the first `count` generated customers, already normalised the
 * way the desired files will be (so only the deliberate 1% differ). Written once, then reused.
 */
export async function remoteStateFile(count: number, every = DIFFER_EVERY): Promise<string> {
  const dir = join(tmpdir(), 'helcim-sync-bench', 'remote');
  const path = join(dir, `account-${count}-${every}.json`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const customers = accountCustomers(count, every).map((data, i) =>
    toWire(data, FIRST_ID + i, data.customerCode ?? `BENCH${i}`),
  );
  await writeStateAtomic(path, {
    nextId: FIRST_ID + count,
    nextCode: 1001,
    nextCardId: 5_100_001,
    customers,
  });
  return path;
}

/**
 * A private copy of a state file, for a run that writes (the emulator saves into its file); the
 * caller removes it once the emulator has stopped.
 */
export function scratchCopy(statePath: string, tag: string): string {
  const dir = join(tmpdir(), 'helcim-sync-bench', 'scratch');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${tag}-${process.pid}.json`);
  copyFileSync(statePath, path);
  return path;
}
