import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomerData } from '../../src/core/customer.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { HelcimClient } from '../../src/providers/helcim/client/index.js';
import { runCli, runInProcess, type CliRun } from '../support/cli.js';

export interface Account {
  emulator: EmulatorHandle;
  env: NodeJS.ProcessEnv;
  dir: string;
  run(args: string[]): Promise<CliRun>;
  close(): Promise<void>;
}

/**
 * An in-process emulator holding `customers` (plus `seed` generated ones), and a scratch dir.
 * `runs`: how `run` runs the CLI: the built binary spawned, or its dispatcher in this process
 * (`runInProcess`), for tests of what the commands do.
 */
export async function startAccount(
  customers: readonly (CustomerData & { customerCode: string })[],
  seed = 0,
  runs: 'spawned' | 'in-process' = 'spawned',
): Promise<Account> {
  const emulator = await startEmulator({ port: 0, seed, rateLimit: 'off' });
  const client = new HelcimClient({ baseUrl: emulator.url, token: emulator.token, limits: 'off' });
  try {
    for (const c of customers) await client.create(c);
  } finally {
    await client.close();
  }
  const env = { HELCIM_API_URL: emulator.url, HELCIM_API_TOKEN: emulator.token };
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-export-'));
  return {
    emulator,
    env,
    dir,
    // validate takes no remote options; every other command here talks to the emulator.
    run: (args) =>
      (runs === 'spawned' ? runCli : runInProcess)(
        args[0] === 'validate' ? args : [...args, '--rate-limit', 'off'],
        { env, cwd: dir },
      ),
    close: async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Customers whose values trip up YAML, CSV, spreadsheets and normalisation. */
export const ODD_CUSTOMERS: (CustomerData & { customerCode: string })[] = [
  {
    customerCode: 'B-002',
    contactName: 'Hash # Tag',
    businessName: "=cmd|' /C calc'!A0",
    cellPhone: '(403) 555-0101',
    billingAddress: {
      name: 'Key: Value',
      street1: '  12   Main St ',
      city: 'Montréal',
      province: 'QC',
      country: 'CAN',
      postalCode: 'h2x 1y4',
      email: 'Key@Example.COM',
    },
  },
  {
    customerCode: '0007',
    contactName: 'José Núñez 😀',
    businessName: 'yes',
    billingAddress: { name: '+1 Plus', street1: '@home', postalCode: '00123' },
    shippingAddress: {
      name: '-5 Dash',
      street1: '"Quoted", with comma',
      street2: '',
      postalCode: '2025-01-01',
      phone: '4035550199',
    },
  },
  {
    customerCode: 'A-001',
    contactName: 'null',
    businessName: "O'Brien: #1 'Shop'",
    billingAddress: {
      name: 'true',
      street1: '1 Rue',
      street2: 'Suite 5',
      city: 'Québec',
      province: 'QC',
      country: 'CAN',
      postalCode: 'G1R 4P5',
    },
  },
];
