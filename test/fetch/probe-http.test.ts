import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { HelcimClient } from '../../src/providers/helcim/client/client.js';
import { fetchRemote } from '../../src/fetch/fetch.js';

const handles: EmulatorHandle[] = [];
after(async () => {
  for (const h of handles) await h.close();
});

async function account(seed: number): Promise<{ emulator: EmulatorHandle; client: HelcimClient }> {
  const emulator = await startEmulator({ seed, rateLimit: 'off' });
  handles.push(emulator);
  return {
    emulator,
    client: new HelcimClient({ baseUrl: emulator.url, token: emulator.token, limits: 'off' }),
  };
}

function listCalls(emulator: EmulatorHandle): number {
  const counts = emulator.stats().requests['GET /v2/customers'] ?? {};
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

test('against Helcim, a probe that turns to lookups never requested a page it did not use', async () => {
  const { emulator, client } = await account(1000);
  try {
    const result = await fetchRemote(client, {
      strategy: 'auto',
      codes: ['CST1001', 'CST1002', 'NOPE'],
    });
    assert.equal(result.info.strategy, 'lookup');
    assert.equal(result.info.calls, 6);
    // Three pages and three lookups, all on the list route: no fourth page requested in advance.
    assert.equal(listCalls(emulator), 6);
    assert.equal(result.customers.length, 2);
  } finally {
    await client.close();
  }
});

test('against Helcim, a probe of a 30-customer account lists it in one call', async () => {
  const { emulator, client } = await account(30);
  try {
    const result = await fetchRemote(client, {
      strategy: 'auto',
      codes: Array.from({ length: 100 }, (_, i) => `NEW-${i}`),
    });
    assert.deepEqual(result.info, { strategy: 'list', calls: 1, fetched: 30, accountSize: 30 });
    assert.equal(listCalls(emulator), 1);
  } finally {
    await client.close();
  }
});
