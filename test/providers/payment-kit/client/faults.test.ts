/**
 * A fifth of all requests fail (500s, 429s, resets, hangs, answers lost after the write): every
 * list, get, lookup and update still completes with the right answer, since GET and PUT are
 * retried and a PUT sent twice ends the same.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { groupOf, textOf } from '../../../../src/core/customer.js';
import { startPaymentKitEmulator } from '../../../../src/providers/payment-kit/emulator/index.js';
import { duplicates, KEY, rawAll, setup } from './helpers.js';

const FAULTS = '500:0.05,429:0.03,reset:0.05,hang:0.03,lost-response:0.05';
const SEED = 260;

describe('faults', () => {
  it(`lists, gets, finds by DID and email and updates under 21% faults: all complete, all correct`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-client-faults-'));
    const statePath = join(dir, 'state.json');
    const s = await setup({ seed: SEED, faults: FAULTS, faultSeed: 20250301, statePath });
    let closed = false;
    try {
      const retry = { baseMs: 5, capMs: 50, maxAttempts: 12 };
      const live = s.client({ livemode: true, timeoutMs: 1000, retry });
      const test = s.client({ livemode: false, timeoutMs: 1000, retry });
      const listed = { live: await live.list(), test: await test.list() };
      for (const mode of [listed.live, listed.test]) {
        assert.equal(mode.length, SEED);
        assert.deepEqual(duplicates(mode.map((c) => c.id)), []);
      }
      const targets = listed.test.slice(0, 80);
      const got = await Promise.all(targets.map((c) => test.get(c.id)));
      assert.deepEqual(got, targets);
      const withEmail = listed.live.filter((c) => textOf(c['email']) !== undefined).slice(0, 20);
      for (const c of withEmail) {
        assert.deepEqual(await live.findByEmail(textOf(c['email'])?.toUpperCase() ?? ''), [c]);
      }
      const dids = targets.map((c) => textOf(c['did']) ?? '');
      const found = await test.findByIdentities(dids);
      assert.deepEqual(
        dids.map((did) => found.get(did)),
        targets.map((c) => [c]),
      );
      const updated = await Promise.all(
        targets.map((c) =>
          test.update(c.id, {
            name: `Updated ${c.id}`,
            address: { country: 'CA', city: 'Calgary', line1: '1 Main St' },
            metadata: { ...groupOf(c['metadata']), synced: 'yes' },
          }),
        ),
      );
      assert.ok(updated.every((c) => c['name'] === `Updated ${c.id}`));
      const stats = s.emu.stats();
      for (const kind of ['500', '429', 'reset', 'hang', 'lost-response'] as const) {
        assert.ok(
          (stats.faults[kind] ?? 0) > 0,
          `some ${kind} faults (${JSON.stringify(stats.faults)})`,
        );
      }
      process.stderr.write(
        `payment-kit faults: ${stats.totalRequests} requests ${JSON.stringify(stats.faults)}; ` +
          `client retries ${s.events.filter((e) => e.type === 'retry').length}\n`,
      );
      await s.close();
      closed = true;

      // A fault-free emulator on the saved state: what really got stored.
      const clean = await startPaymentKitEmulator({ port: 0, token: KEY, statePath });
      try {
        const stored = new Map((await rawAll(clean, false)).map((c) => [String(c['id']), c]));
        assert.equal(stored.size, SEED);
        for (const c of targets) {
          const after = stored.get(c.id);
          assert.equal(after?.['name'], `Updated ${c.id}`);
          assert.deepEqual(after?.['address'], {
            country: 'CA',
            state: '',
            city: 'Calgary',
            line1: '1 Main St',
            line2: '',
            postal_code: '',
          });
          assert.deepEqual(after?.['metadata'], { ...groupOf(c['metadata']), synced: 'yes' });
        }
        assert.equal((await rawAll(clean, true)).length, SEED);
      } finally {
        await clean.close();
      }
    } finally {
      if (!closed) await s.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
