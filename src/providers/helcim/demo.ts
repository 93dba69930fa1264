/**
 * Helcim's part of `helcim-sync demo`: an emulated account with five customers and one the
 * examples manage whose phone is out of date, planned and applied from `examples/`.
 */
import { startHelcimEmulator } from './emulator/index.js';
import type { ProviderDemo } from '../types.js';
import { TOKEN_ENV, URL_ENV } from './client/config.js';

/** A customer already in the account that the examples manage, with an outdated phone. */
const OUTDATED = {
  customerCode: 'ACME-0002',
  contactName: 'Grace Hopper',
  cellPhone: '4165550000',
  billingAddress: {
    name: 'Grace Hopper',
    street1: '2 King St W',
    city: 'Toronto',
    province: 'ON',
    country: 'CAN',
    postalCode: 'M5V 2T6',
  },
};

export const helcimDemo: ProviderDemo = {
  async start(examples, paths) {
    const emulator = await startHelcimEmulator({ seed: 5 });
    try {
      const seeded = await fetch(`${emulator.url}/customers`, {
        method: 'POST',
        headers: {
          'api-token': emulator.token,
          accept: 'application/json',
          'content-type': 'application/json',
        },
        body: JSON.stringify(OUTDATED),
      });
      if (!seeded.ok) {
        throw new Error(`the emulator refused the demo's seed customer (${seeded.status})`);
      }
    } catch (error) {
      await emulator.close();
      throw error;
    }
    return {
      env: { [URL_ENV]: emulator.url, [TOKEN_ENV]: emulator.token },
      description: `An emulated Helcim account at ${emulator.url}: 5 customers, and ACME-0002 with an old phone number`,
      args: paths.length > 0 ? paths : [examples],
      shown: paths.length > 0 ? paths.join(' ') : 'examples/',
      showsConflict: false,
      // The re-plan's exit code says it all: Helcim can create, so nothing is left to do.
      verify: () => Promise.resolve(undefined),
      summary() {
        const stats = emulator.stats();
        return `${stats.totalRequests} API calls in all, ${stats.customers} customers in the account`;
      },
      close: () => emulator.close(),
    };
  },
};
