/**
 * Payment Kit's part of `helcim-sync demo`: an emulated account (test mode) where Ada Lovelace
 * checked out as "Ada King", and `examples/payment-kit/customers.yaml`, which renames her, sets
 * a metadata key and names Grace Hopper, who never checked out: she cannot be created.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { PAYMENT_KIT_KEY_ENV, PAYMENT_KIT_URL_ENV } from './client/config.js';
import { startPaymentKitEmulator } from './emulator/index.js';
import type { ProviderDemo } from '../types.js';

const ADA = 'z1ExampleDidOfAdaLovelace000000000';
const GRACE = 'z1ExampleDidOfGraceHopper00000000';
/** Generated customers in each mode, besides Ada. */
const OTHERS = 3;

export const paymentKitDemo: ProviderDemo = {
  async start(examples, paths) {
    const emulator = await startPaymentKitEmulator({ seed: OTHERS });
    emulator.checkout(1, {
      livemode: false,
      customer: {
        did: ADA,
        name: 'Ada King',
        email: 'ada@example.com',
        phone: null,
        description: null,
        address: { country: 'GB', city: 'London' },
        // Set at checkout, in no file: the apply must keep it.
        metadata: { source: 'checkout' },
      },
    });
    const folder = join(examples, 'payment-kit');
    const own = paths.length === 0;
    const get = async (did: string): Promise<unknown> => {
      const res = await fetch(`${emulator.url}/api/customers/${did}?livemode=false`, {
        headers: { authorization: `Bearer ${emulator.token}`, accept: 'application/json' },
      });
      return res.status === 404 ? undefined : res.json();
    };
    return {
      env: { [PAYMENT_KIT_URL_ENV]: emulator.url, [PAYMENT_KIT_KEY_ENV]: emulator.token },
      description: `An emulated Payment Kit account at ${emulator.url}, test mode: ${OTHERS + 1} customers; Ada Lovelace checked out as "Ada King"`,
      args: own
        ? [join(folder, 'customers.yaml'), '--config', join(folder, 'helcim-sync.yaml')]
        : paths,
      shown: own
        ? 'examples/payment-kit/customers.yaml --config examples/payment-kit/helcim-sync.yaml'
        : paths.join(' '),
      showsConflict: own,
      async verify() {
        if (!own) return undefined;
        const ada = await get(ADA);
        const expected = { name: 'Ada Lovelace', metadata: { source: 'checkout', plan: 'pro' } };
        const got =
          typeof ada === 'object' && ada !== null && 'name' in ada && 'metadata' in ada
            ? { name: ada.name, metadata: ada.metadata }
            : undefined;
        if (!isDeepStrictEqual(got, expected)) {
          return `Ada Lovelace's customer is ${JSON.stringify(got)}, not ${JSON.stringify(expected)}`;
        }
        if ((await get(GRACE)) !== undefined) return 'a customer with Grace Hopper’s DID exists';
        const stats = emulator.stats();
        if (stats.testCustomers !== OTHERS + 1) {
          return `${stats.testCustomers} test customers, not ${OTHERS + 1}`;
        }
        return undefined;
      },
      summary() {
        const stats = emulator.stats();
        return `${stats.totalRequests} API calls in all, ${stats.testCustomers} customers in test mode`;
      },
      close: () => emulator.close(),
    };
  },
};
