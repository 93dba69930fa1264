/**
 * Payment Kit datasets for the benchmarks: a desired CSV (with the config that selects Payment
 * Kit, test mode) and an emulator state file holding the same customers, every 100th with
 * another name, so a plan finds exactly 1% to update. Deterministic; written once into the
 * temporary folder, then reused. Helcim's datasets (generate.ts, remote-state.ts) are separate
 * and unchanged: the existing scenarios' figures depend on them.
 *
 * The customers are the Payment Kit emulator's own generated ones (`generateCustomer`): unset
 * fields as `null` or `""`, blank addresses, metadata or none, several countries; the desired
 * rows are written from them, so they match by construction.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStateAtomic } from '../src/emulator/state-file.js';
import { PAYMENT_KIT_ADDRESS_KEYS } from '../src/providers/payment-kit/fields.js';
import { generateCustomer } from '../src/providers/payment-kit/emulator/seed.js';
import { PK_STATE_VERSION } from '../src/providers/payment-kit/emulator/state.js';
import type { PkCustomer } from '../src/providers/payment-kit/emulator/types.js';
import { csvCell, writeLines } from './generate.js';
import { DIFFER_EVERY } from './remote-state.js';

/** Bumped whenever the generated data changes, so no stale file from an older run is reused. */
const DATA_VERSION = 1;
const ROOT = join(tmpdir(), 'helcim-sync-bench', `payment-kit-v${DATA_VERSION}`);
/** Fixed, so the state file's dates (and the listing's order, newest first) never vary. */
const FIRST_CREATED = Date.UTC(2024, 0, 1);
/** The metadata keys the generated customers carry (`crm_id`, `source`): the CSV's columns. */
const METADATA_KEYS = ['crm_id', 'source'] as const;

export const PK_CSV_COLUMNS = [
  'did',
  'name',
  'email',
  'phone',
  'description',
  ...PAYMENT_KIT_ADDRESS_KEYS.map((key) => `address.${key}`),
  ...METADATA_KEYS.map((key) => `metadata.${key}`),
] as const;

/**
 * The `i`th generated customer (0-based), in test mode (the config's `livemode: false`), a
 * minute after the one before.
 */
function pkCustomer(i: number): PkCustomer {
  return generateCustomer(i + 1, false, new Date(FIRST_CREATED + i * 60_000));
}

function text(value: string | null | undefined): string | undefined {
  return value === null || value === '' ? undefined : value;
}

function row(c: PkCustomer): string {
  const cells: (string | undefined)[] = [
    c.did,
    text(c.name),
    text(c.email),
    text(c.phone),
    text(c.description),
    ...PAYMENT_KIT_ADDRESS_KEYS.map((key) => text(c.address[key])),
    ...METADATA_KEYS.map((key) => c.metadata[key]),
  ];
  return cells.map(csvCell).join(',') + '\n';
}

/** The config a Payment Kit plan of these files needs: the provider and the (test) mode. */
export const PK_CONFIG = 'provider: payment-kit\nlivemode: false\n';

/**
 * The desired CSV of the first `count` generated customers, and a config next to it; written
 * once, then reused.
 */
export async function pkBenchFiles(count: number): Promise<{ csv: string; config: string }> {
  const dir = join(ROOT, String(count));
  const csv = join(dir, 'customers.csv');
  const config = join(dir, 'helcim-sync.yaml');
  if (existsSync(csv) && existsSync(config)) return { csv, config };
  mkdirSync(dir, { recursive: true });
  writeFileSync(config, PK_CONFIG);
  await writeLines(
    csv,
    (function* () {
      yield PK_CSV_COLUMNS.join(',') + '\n';
      for (let i = 0; i < count; i++) yield row(pkCustomer(i));
    })(),
  );
  return { csv, config };
}

/**
 * The state of a test-mode account holding the first `count` generated customers, every
 * `every`th (from the first) renamed: `differing(desired, every)` of the first `desired` differ.
 * Written once, then reused; runs that write use a `scratchCopy`.
 */
export async function pkRemoteStateFile(count: number, every = DIFFER_EVERY): Promise<string> {
  const dir = join(ROOT, 'remote');
  const path = join(dir, `account-${count}-${every}.json`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const customers: PkCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const c = pkCustomer(i);
    customers.push(i % every === 0 ? { ...c, name: `${c.name ?? ''} Sr` } : c);
  }
  await writeStateAtomic(
    path,
    { provider: 'payment-kit', nextSeq: count + 1, customers },
    PK_STATE_VERSION,
  );
  return path;
}
