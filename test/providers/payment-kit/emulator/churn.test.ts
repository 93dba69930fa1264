import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../helcim/client/helpers.js';
import { ids, obj, startApi } from './helpers.js';

describe('checkouts shift the pages of a listing (the emulator side)', () => {
  test('a checkout between two page requests pushes page 1 onto page 2 and grows count', async () => {
    let wall = new Date('2025-03-01T12:00:00.000Z');
    const api = await startApi({ seed: 25, now: () => wall });
    try {
      const page1 = obj((await api.get('/api/customers?pageSize=10&page=1')).body);
      assert.equal(page1['count'], 25);
      const first = ids(page1);
      wall = new Date('2025-03-01T12:00:01.000Z');
      const [bought] = api.emulator.checkout(1);
      assert.ok(bought);
      assert.equal(bought.livemode, true);
      assert.equal(bought.created_at, '2025-03-01T12:00:01.000Z');

      const page2 = obj((await api.get('/api/customers?pageSize=10&page=2')).body);
      assert.equal(page2['count'], 26, 'count tells the client the set changed');
      // The last customer of page 1 is now the first of page 2: read twice if not deduplicated.
      assert.equal(ids(page2)[0], first[9]);
      const page3 = obj((await api.get('/api/customers?pageSize=10&page=3')).body);
      const seen = [...first, ...ids(page2), ...ids(page3)];
      assert.equal(seen.length, 26);
      assert.equal(new Set(seen).size, 25, 'one customer twice');
      assert.ok(!seen.includes(bought.id), 'the newcomer is on page 1, already read');
      assert.deepEqual(ids((await api.get('/api/customers?pageSize=10')).body)[0], bought.id);
      // The test set did not move.
      assert.equal(obj((await api.get('/api/customers?livemode=false')).body)['count'], 25);
    } finally {
      await api.emulator.close();
    }
  });

  test('checkout(n) adds n newest first in the mode asked; they are searchable and gettable', async () => {
    const api = await startApi({ seed: 3 });
    try {
      const added = api.emulator.checkout(4, { livemode: false });
      assert.equal(added.length, 4);
      assert.ok(added.every((c) => !c.livemode));
      const test = ids((await api.get('/api/customers?livemode=false')).body);
      assert.deepEqual(test.slice(0, 4), added.map((c) => c.id).reverse());
      const [last] = added.slice(-1);
      assert.ok(last);
      assert.equal((await api.get(`/api/customers/${last.did}?livemode=false`)).status, 200);
      assert.throws(() => api.emulator.checkout(-1), /whole number/);
      assert.equal(api.emulator.stats().checkouts, 4);
    } finally {
      await api.emulator.close();
    }
  });
});

describe('a checkout by a known buyer', () => {
  test('checkout(1, { customer }) creates that customer: its DID, name and metadata, the rest of the address blank', async () => {
    const api = await startApi({ seed: 2 });
    try {
      const [ada] = api.emulator.checkout(1, {
        livemode: false,
        customer: {
          did: 'z1KnownBuyer000000000000000000000',
          name: 'Ada King',
          address: { country: 'GB', city: 'London' },
          metadata: { source: 'checkout' },
        },
      });
      assert.ok(ada);
      const got = obj(
        (await api.get('/api/customers/z1KnownBuyer000000000000000000000?livemode=false')).body,
      );
      assert.equal(got['id'], ada.id);
      assert.equal(got['name'], 'Ada King');
      assert.deepEqual(got['metadata'], { source: 'checkout' });
      assert.deepEqual(got['address'], {
        country: 'GB',
        state: '',
        city: 'London',
        line1: '',
        line2: '',
        postal_code: '',
      });
    } finally {
      await api.emulator.close();
    }
  });

  test("a checkout with a DID that is already a customer's is refused, in either mode", async () => {
    const api = await startApi({});
    try {
      const customer = { did: 'z1KnownBuyer000000000000000000000' };
      api.emulator.checkout(1, { livemode: true, customer });
      assert.throws(
        () => api.emulator.checkout(1, { livemode: false, customer }),
        /the DID z1KnownBuyer0+ is already a customer's/,
      );
      assert.throws(
        () => api.emulator.checkout(2, { customer: { did: 'z1Other' } }),
        /one customer/,
      );
      assert.equal(api.emulator.stats().customers, 1);
    } finally {
      await api.emulator.close();
    }
  });
});

describe('churn on the injected clock', () => {
  test('N a minute in each mode, driven by the clock, never by wall time', async () => {
    const clock = new FakeClock();
    const api = await startApi({ churn: 6, clock });
    try {
      assert.equal(api.emulator.stats().customers, 0);
      await clock.advance(9_999);
      assert.equal(api.emulator.stats().customers, 0, 'nothing before the first tick');
      await clock.advance(1);
      assert.deepEqual(
        [api.emulator.stats().liveCustomers, api.emulator.stats().testCustomers],
        [1, 1],
      );
      await clock.advance(50_000);
      const stats = api.emulator.stats();
      assert.deepEqual([stats.liveCustomers, stats.testCustomers, stats.checkouts], [6, 6, 12]);
      // A listing between ticks sees the newest first.
      const before = ids((await api.get('/api/customers?pageSize=3')).body);
      await clock.advance(10_000);
      const after = ids((await api.get('/api/customers?pageSize=3')).body);
      assert.deepEqual(after.slice(1), before.slice(0, 2));
    } finally {
      await api.emulator.close();
    }
    await clock.advance(600_000);
    assert.equal(clock.pending, 0, 'close() stops churn');
  });

  test('timeScale shortens the minute; churn 0 schedules nothing', async () => {
    const clock = new FakeClock();
    const api = await startApi({ churn: 60, timeScale: 10, clock });
    try {
      await clock.advance(100);
      assert.equal(api.emulator.stats().liveCustomers, 1);
    } finally {
      await api.emulator.close();
    }
    const quiet = new FakeClock();
    const still = await startApi({ clock: quiet });
    try {
      assert.equal(quiet.pending, 0);
    } finally {
      await still.emulator.close();
    }
    await assert.rejects(startApi({ churn: -1 }), /churn must be 0 or more/);
  });
});
