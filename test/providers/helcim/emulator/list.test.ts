import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  arr,
  EXAMPLE_CUSTOMER_KEYS,
  HELCIM_DATE,
  num,
  obj,
  startApi,
  type Api,
} from './helpers.js';

const SEEDED = 250;
let api: Api;
before(async () => {
  api = await startApi({ seed: SEEDED });
});
after(() => api.emulator.close());

async function list(query: string): Promise<Record<string, unknown>[]> {
  const res = await api.get(`/customers${query}`);
  assert.equal(res.status, 200);
  return arr(res.body).map(obj);
}

describe('GET /customers', () => {
  test('is a bare array, 100 by default, in insertion order', async () => {
    const page = await list('');
    assert.equal(page.length, 100);
    const ids = page.map((c) => num(c['id']));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
  });

  test('limit is capped at 100 and pages are 1-based and disjoint', async () => {
    assert.equal((await list('?limit=500')).length, 100);
    const first = await list('?limit=30&page=1');
    const second = await list('?limit=30&page=2');
    assert.equal(first.length, 30);
    assert.equal(second.length, 30);
    assert.equal(num(second[0]?.['id']), num(first[29]?.['id']) + 1);
    assert.deepEqual(await list('?limit=30'), first);
  });

  test('the last page is short and past it is an empty array', async () => {
    assert.equal((await list('?limit=100&page=3')).length, SEEDED - 200);
    const res = await api.get('/customers?limit=100&page=4');
    assert.equal(res.text, '[]');
  });

  test('walking all pages sees every customer once', async () => {
    const seen = new Set<number>();
    for (let page = 1; ; page++) {
      const batch = await list(`?limit=100&page=${page}`);
      for (const c of batch) seen.add(num(c['id']));
      if (batch.length < 100) break;
    }
    assert.equal(seen.size, SEEDED);
  });

  test('customerCode is an exact match', async () => {
    await api.post({ contactName: 'Exact', customerCode: 'EXACT-1' });
    await api.post({ contactName: 'Exact', customerCode: 'EXACT-10' });
    const found = await list('?customerCode=EXACT-1');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.['customerCode'], 'EXACT-1');
    assert.deepEqual(await list('?customerCode=EXACT'), []);
    assert.deepEqual(await list('?customerCode=exact-1'), []);
  });

  test('search is a partial, case-insensitive match on names, code, city, phone and email', async () => {
    const created = obj(
      (
        await api.post({
          contactName: 'Quentin Zyxw',
          businessName: 'Plumbus Corp',
          customerCode: 'SRCH-77',
          cellPhone: '7805550199',
          billingAddress: {
            name: 'Q',
            street1: '1 St',
            postalCode: 'T5J',
            city: 'Fort Vermilionx',
            phone: '7805550177',
            email: 'quentin@zyxw.example',
          },
        })
      ).body,
    );
    for (const term of [
      'zyxw',
      'PLUMBUS',
      'srch-7',
      'vermilionx',
      '5550177',
      '5550199',
      'quentin@',
    ]) {
      const found = await list(`?search=${encodeURIComponent(term)}`);
      assert.deepEqual(
        found.map((c) => c['id']),
        [created['id']],
        term,
      );
    }
    assert.deepEqual(await list('?search=no-such-thing-anywhere'), []);
  });

  test('search pages like the full list', async () => {
    const all = await list('?search=example.com&limit=100');
    const second = await list('?search=example.com&limit=10&page=2');
    assert.deepEqual(second, all.slice(10, 20));
  });

  test('without includeCards=yes every customer answers cards: [], those with cards too', async () => {
    const withCards = await list('?limit=20&includeCards=yes');
    assert.ok(withCards.every((c) => Array.isArray(c['cards'])));
    assert.ok(
      withCards.some((c) => arr(c['cards']).length > 0),
      'some seeded customers have cards',
    );
    for (const query of ['?limit=20', '?limit=20&includeCards=no']) {
      const plain = await list(query);
      assert.equal(plain.length, withCards.length, query);
      for (const [i, customer] of plain.entries()) {
        // Same customer, same keys in the same order; only the cards are emptied.
        assert.deepEqual(customer, { ...withCards[i], cards: [] }, query);
        assert.deepEqual(Object.keys(customer), EXAMPLE_CUSTOMER_KEYS, query);
      }
    }
  });
});

describe('GET /customers/{id}/cards', () => {
  test('answers the array of cards in the documented shape', async () => {
    const withCards = (await list('?limit=20&includeCards=yes')).find(
      (c) => arr(c['cards']).length > 0,
    );
    assert.ok(withCards);
    const res = await api.get(`/customers/${num(withCards['id'])}/cards`);
    assert.equal(res.status, 200);
    const cards = arr(res.body).map(obj);
    assert.deepEqual(cards, withCards['cards']);
    for (const card of cards) {
      assert.deepEqual(Object.keys(card).sort(), [
        'cardExpiry',
        'cardF6L4',
        'cardHolderName',
        'cardToken',
        'dateCreated',
        'dateUpdated',
        'default',
        'id',
      ]);
      assert.equal(typeof card['id'], 'number');
      assert.match(String(card['cardExpiry']), /^(0[1-9]|1[0-2])\d{2}$/);
      assert.match(String(card['cardF6L4']), /^\d{10}$/);
      assert.match(String(card['dateCreated']), HELCIM_DATE);
      assert.equal(typeof card['default'], 'boolean');
    }
    assert.equal(cards.filter((c) => c['default'] === true).length, 1);
  });

  test('a customer without cards answers []', async () => {
    const id = num(obj((await api.post({ contactName: 'No Cards' })).body)['id']);
    assert.equal((await api.get(`/customers/${id}/cards`)).text, '[]');
  });
});

describe('seeding', () => {
  test('the same seed count gives the same customers and cards', async () => {
    const now = () => new Date('2025-01-02T03:04:05Z');
    const pages: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const other = await startApi({ seed: 12, now });
      try {
        pages.push((await other.get('/customers?includeCards=yes')).body);
      } finally {
        await other.emulator.close();
      }
    }
    assert.equal(arr(pages[0]).length, 12);
    assert.deepEqual(pages[0], pages[1]);
  });
});

describe('scale', () => {
  test('100,000 customers seed fast and a deep page answers in O(limit)', async () => {
    const started = performance.now();
    const big = await startApi({ seed: 100_000 });
    try {
      // Generous bounds (the machine may be busy): they catch a quadratic seed or a page that
      // walks the whole list, not a slow minute.
      const seeded = performance.now() - started;
      assert.ok(seeded < 30_000, `seeding 100k customers took ${Math.round(seeded)} ms`);
      const t = performance.now();
      for (const page of [1, 500, 1000]) {
        const res = await big.get(`/customers?limit=100&page=${page}`);
        assert.equal(arr(res.body).length, 100);
      }
      assert.equal(arr((await big.get('/customers?limit=100&page=1001')).body).length, 0);
      const paged = performance.now() - t;
      assert.ok(paged < 10_000, `three pages took ${Math.round(paged)} ms`);
      assert.equal(big.emulator.stats().customers, 100_000);
    } finally {
      await big.emulator.close();
    }
  });
});
