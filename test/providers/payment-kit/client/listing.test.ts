/**
 * Listings while checkouts shift the pages: every customer that existed when the listing
 * started comes back exactly once, whether the newcomers arrive between page requests
 * (`checkout(n)` from the event hook) or by churn on the injected clock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RemoteCustomer } from '../../../../src/core/customer.js';
import { startPaymentKitEmulator } from '../../../../src/providers/payment-kit/emulator/index.js';
import { Coverage } from '../../../../src/providers/payment-kit/client/listing.js';
import { paymentKitCost } from '../../../../src/providers/payment-kit/info.js';
import { FakeClock } from '../../helcim/client/helpers.js';
import { callsTo, duplicates, rawAll, setup, waitFor } from './helpers.js';

const isPage = (path: string): boolean => path.startsWith('/api/customers?page=');

/** Each of `initial` exactly once, nothing twice, anything else one of `arrived`. */
function assertComplete(
  listed: readonly RemoteCustomer[],
  initial: readonly string[],
  arrived: ReadonlySet<string>,
): void {
  const ids = listed.map((c) => c.id);
  assert.deepEqual(duplicates(ids), []);
  const got = new Set(ids);
  assert.deepEqual(
    initial.filter((id) => !got.has(id)),
    [],
    'missed customers',
  );
  const initialSet = new Set(initial);
  assert.deepEqual(
    ids.filter((id) => !initialSet.has(id) && !arrived.has(id)),
    [],
  );
}

describe('listing while checkouts shift the pages', () => {
  it('one page at a time, 3 checkouts after every page: complete, and one extra call for the tail', async () => {
    const s = await setup({ seed: 298 });
    try {
      const initial = (await rawAll(s.emu)).map((c) => String(c['id']));
      const arrived = new Set<string>();
      const client = s.client({
        concurrency: 1,
        onEvent: (e) => {
          if (e.type === 'response' && isPage(e.path))
            for (const c of s.emu.checkout(3)) arrived.add(c.id);
        },
      });
      const before = callsTo(s.emu, 'GET /api/customers');
      const listed = await client.list();
      assertComplete(listed, initial, arrived);
      // Pages 1-3 at shifts 0, 3, 6 overlap; the last 4 customers were pushed onto page 4.
      assert.equal(callsTo(s.emu, 'GET /api/customers') - before, paymentKitCost.list(298) + 1);
    } finally {
      await s.close();
    }
  });

  it('250 checkouts after page 1 (more than a page): the pages are read again further down', async () => {
    const s = await setup({ seed: 298 });
    try {
      const initial = (await rawAll(s.emu)).map((c) => String(c['id']));
      const arrived = new Set<string>();
      let done = false;
      const client = s.client({
        onEvent: (e) => {
          if (!done && e.type === 'response' && isPage(e.path)) {
            done = true;
            for (const c of s.emu.checkout(250)) arrived.add(c.id);
          }
        },
      });
      const before = callsTo(s.emu, 'GET /api/customers');
      assertComplete(await client.list(), initial, arrived);
      // Page 1, pages 2-3 (newcomers only and 50 known), then pages 4-6 where the rest now is.
      assert.equal(callsTo(s.emu, 'GET /api/customers') - before, 6);
    } finally {
      await s.close();
    }
  });

  it('five pages at once, checkouts of 1 to 7 after every answer, in both modes', async () => {
    const s = await setup({ seed: 1000 });
    try {
      for (const livemode of [true, false]) {
        const initial = (await rawAll(s.emu, livemode)).map((c) => String(c['id']));
        const arrived = new Set<string>();
        let n = 0;
        const client = s.client({
          livemode,
          concurrency: 5,
          onEvent: (e) => {
            if (e.type === 'response' && isPage(e.path))
              for (const c of s.emu.checkout((n++ % 7) + 1, { livemode })) arrived.add(c.id);
          },
        });
        const before = callsTo(s.emu, 'GET /api/customers');
        assertComplete(await client.list(), initial, arrived);
        const calls = callsTo(s.emu, 'GET /api/customers') - before;
        assert.ok(calls > paymentKitCost.list(1000), `re-reads happened (${calls} calls)`);
        assert.ok(client.peakInFlight <= 5);
      }
    } finally {
      await s.close();
    }
  });

  it('under churn on the injected clock (every request takes 50 ms of it)', async () => {
    // Same seed, same ids: the oracle emulator says who existed before any churn.
    const oracle = await startPaymentKitEmulator({ seed: 495 });
    const initial = (await rawAll(oracle)).map((c) => String(c['id']));
    await oracle.close();
    const clock = new FakeClock();
    const s = await setup({ seed: 495, churn: 3000, latencyMs: 50, clock });
    try {
      const client = s.client({ clock, concurrency: 2 });
      let settled = false;
      const listing = client.list().finally(() => {
        settled = true;
      });
      while (!settled) await clock.advance(5);
      const listed = await listing;
      const stats = s.emu.stats();
      assert.ok(stats.checkouts > 10, `churn ran (${stats.checkouts} checkouts)`);
      // Anyone not there before is a churn arrival: the emulator has no other way to add one.
      const arrived = new Set(listed.map((c) => c.id).filter((id) => !initial.includes(id)));
      assert.ok(arrived.size <= stats.liveCustomers - initial.length);
      assertComplete(listed, initial, arrived);
      // The last page (95 customers) overflowed: a listing without re-reads would miss some.
      assert.ok(callsTo(s.emu, 'GET /api/customers') > paymentKitCost.list(495));
    } finally {
      await s.close();
    }
  });
});

describe('listPages: the port, page by page', () => {
  it('page by page, 7 checkouts while the caller holds each page: complete, canonical', async () => {
    const s = await setup({ seed: 598 });
    try {
      const initial = (await rawAll(s.emu)).map((c) => String(c['id']));
      const arrived = new Set<string>();
      const listed: RemoteCustomer[] = [];
      const before = callsTo(s.emu, 'GET /api/customers');
      for await (const page of s.client().listPages({ pageByPage: true })) {
        for (const c of page) {
          assert.equal('livemode' in c || 'balance' in c || 'created_at' in c, false);
          listed.push(c);
        }
        // The planner's time on this page: customers check out meanwhile.
        for (const c of s.emu.checkout(7)) arrived.add(c.id);
      }
      assertComplete(listed, initial, arrived);
      // 6 pages, the last holding 98: pushed 35 places down by then, 33 of them spill onto a 7th.
      assert.equal(callsTo(s.emu, 'GET /api/customers') - before, 7);
    } finally {
      await s.close();
    }
  });

  it('asks for no more pages ahead than requests may be in flight', async () => {
    const s = await setup({ seed: 1000 });
    try {
      const client = s.client({ concurrency: 2 });
      const pages = client.listPages()[Symbol.asyncIterator]();
      const before = callsTo(s.emu, 'GET /api/customers');
      await pages.next();
      await waitFor(() => callsTo(s.emu, 'GET /api/customers') - before === 3);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Page 1 and the two after it: the other seven wait until the caller moves on.
      assert.equal(callsTo(s.emu, 'GET /api/customers') - before, 3);
      let count = 1;
      while ((await pages.next()).done !== true) count++;
      assert.equal(count, 10);
      assert.equal(callsTo(s.emu, 'GET /api/customers') - before, 10);
    } finally {
      await s.close();
    }
  });
});

describe('Coverage: the slots of a listing', () => {
  const customers = (ids: readonly string[]): RemoteCustomer[] =>
    ids.map((id) => ({ id, did: `did-${id}` }));
  const range = (from: number, to: number, prefix = 'c'): string[] =>
    Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
  const page = (count: number, ids: readonly string[], pageSize = 10) => ({
    count,
    list: customers(ids),
    pageSize,
  });

  it('a later page answered before its predecessor grew leaves a hole, read again', () => {
    const c = new Coverage(30, 10);
    c.record(1, page(30, range(0, 10)));
    c.record(3, page(30, range(20, 30)));
    // Page 2 answered after 4 newcomers: it holds c6..c15, so c16..c19 are on page 3 now.
    c.record(2, page(34, range(6, 16)));
    assert.deepEqual(c.runs(), [[16, 20]]);
    assert.deepEqual(c.pagesToRead(), [3]);
    const fresh = c.record(3, page(34, [...range(16, 20), ...range(20, 26)]));
    assert.ok(Array.isArray(fresh));
    assert.deepEqual(
      fresh.map((x) => x.id),
      range(16, 20),
    );
    assert.equal(c.complete, true);
  });

  it('refuses what breaks the model: a page ignored, a count that shrank, a short page', () => {
    const ignored = new Coverage(30, 10);
    ignored.record(1, page(30, range(0, 10)));
    assert.match(String(ignored.record(2, page(30, range(0, 10)))), /moved|held/);
    const shrank = new Coverage(30, 10);
    assert.match(String(shrank.record(2, page(29, range(10, 20)))), /went down/);
    const short = new Coverage(30, 10);
    assert.match(String(short.record(2, page(30, range(10, 15)))), /5 customers/);
    const resized = new Coverage(30, 10);
    assert.match(String(resized.record(1, { ...page(30, range(0, 10)), pageSize: 20 })), /20/);
  });

  it('newcomers are handed out once, and one that turns up in a slot is refused', () => {
    const c = new Coverage(30, 10);
    c.record(1, page(30, range(0, 10)));
    // Two newcomers push everyone down by two: page 2 starts with c8 at its own slot.
    const second = c.record(2, page(32, range(8, 18)));
    assert.ok(Array.isArray(second));
    assert.deepEqual(
      second.map((x) => x.id),
      range(10, 18),
    );
    const front = c.record(1, page(32, [...range(0, 2, 'n'), ...range(0, 8)]));
    assert.ok(Array.isArray(front));
    assert.deepEqual(
      front.map((x) => x.id),
      range(0, 2, 'n'),
    );
    assert.deepEqual(c.record(1, page(32, [...range(0, 2, 'n'), ...range(0, 8)])), []);
    assert.equal(
      c.record(3, page(32, ['n1', ...range(19, 28)])),
      'customer n1 moved from position -1 to 18',
    );
  });

  it('tells customers apart beyond the first size of its id table', () => {
    const total = 600_000;
    const c = new Coverage(total, 100);
    let handed = 0;
    for (let p = 1; p <= total / 100; p++) {
      const fresh = c.record(p, page(total, range((p - 1) * 100, p * 100), 100));
      assert.ok(Array.isArray(fresh));
      handed += fresh.length;
    }
    assert.equal(handed, total);
    assert.equal(c.complete, true);
    // Every one is found again where it was, and none of them anywhere else.
    assert.deepEqual(c.record(6000, page(total, range(599_900, 600_000), 100)), []);
    assert.equal(
      c.record(3000, page(total, range(1, 101), 100)),
      'customer c1 moved from position 1 to 299900',
    );
  });
});
