import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXED_NOW, ids, listOf, obj, startApi, type Api } from './helpers.js';

describe('GET /api/customers and /api/customers/search', () => {
  let api: Api;
  before(async () => {
    api = await startApi({ seed: 45, now: () => FIXED_NOW });
  });
  after(() => api.emulator.close());

  test('newest first by created_at; pages cover every customer once; count is the total', async () => {
    const all = await api.all(true);
    assert.equal(all.length, 45);
    assert.equal(new Set(all.map((c) => c['id'])).size, 45);
    const dates = all.map((c) => String(c['created_at']));
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.ok(dates[0] !== dates[44], 'dates differ');
    const page2 = obj((await api.get('/api/customers?page=2&pageSize=20')).body);
    assert.equal(page2['count'], 45);
    assert.deepEqual(page2['paging'], { page: 2, pageSize: 20 });
    assert.deepEqual(
      ids(page2),
      all.slice(20, 40).map((c) => c['id']),
    );
    const page3 = obj((await api.get('/api/customers?page=3&pageSize=20')).body);
    assert.deepEqual(
      ids(page3),
      all.slice(40).map((c) => c['id']),
    );
    const beyond = obj((await api.get('/api/customers?page=9')).body);
    assert.equal(beyond['count'], 45);
    assert.deepEqual(beyond['list'], []);
  });

  test('pageSize defaults to 20 and is clamped into 1..100; page below 1 is 1', async () => {
    const cases: [string, number, number][] = [
      ['', 1, 20],
      ['?pageSize=0', 1, 1],
      ['?pageSize=-4', 1, 1],
      ['?pageSize=1000', 1, 100],
      ['?pageSize=100', 1, 100],
      ['?pageSize=7&page=0', 1, 7],
      ['?page=-3', 1, 20],
      ['?page=&pageSize=', 1, 20],
    ];
    for (const [query, page, pageSize] of cases) {
      const body = obj((await api.get(`/api/customers${query}`)).body);
      assert.deepEqual(body['paging'], { page, pageSize }, query);
      assert.equal(listOf(body).length, Math.min(45, pageSize), query);
    }
  });

  test('page and pageSize that are not whole numbers, or sent twice, are a 400', async () => {
    for (const query of ['page=abc', 'pageSize=2.5', 'page=1e3', 'page=1&page=2', 'pageSize[]=5']) {
      const res = await api.get(`/api/customers?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(typeof obj(res.body)['error'], 'string', query);
    }
  });

  test('live and test are separate sets; livemode defaults to true; other values are a 400', async () => {
    const live = await api.all(true);
    const test = await api.all(false);
    assert.equal(test.length, 45);
    assert.ok(live.every((c) => c['livemode'] === true));
    assert.ok(test.every((c) => c['livemode'] === false));
    const liveIds = new Set(live.map((c) => c['id']));
    assert.ok(test.every((c) => !liveIds.has(c['id'])));
    assert.deepEqual(
      ids((await api.get('/api/customers')).body),
      live.slice(0, 20).map((c) => c['id']),
    );
    for (const bad of ['yes', '1', 'TRUE', '']) {
      assert.equal((await api.get(`/api/customers?livemode=${bad}`)).status, 400, bad);
    }
  });

  test('did filters by exact DID within the mode', async () => {
    const [first] = await api.all(false);
    assert.ok(first);
    const did = String(first['did']);
    const found = obj((await api.get(`/api/customers?did=${did}&livemode=false`)).body);
    assert.equal(found['count'], 1);
    assert.deepEqual(ids(found), [first['id']]);
    const otherMode = obj((await api.get(`/api/customers?did=${did}&livemode=true`)).body);
    assert.equal(otherMode['count'], 0);
    const partial = obj(
      (await api.get(`/api/customers?did=${did.slice(0, -1)}&livemode=false`)).body,
    );
    assert.equal(partial['count'], 0);
    assert.equal((await api.get('/api/customers?did=')).status, 400);
  });

  test('qs-style arrays (the SDK sends order[0][0]=updated_at) are read without harm', async () => {
    const res = await api.get(
      '/api/customers?pageSize=5&order%5B0%5D%5B0%5D=updated_at&order%5B0%5D%5B1%5D=DESC&livemode=true',
    );
    assert.equal(res.status, 200);
    assert.deepEqual(obj(res.body)['paging'], { page: 1, pageSize: 5 });
    const junk = await api.get('/api/customers?a[b][c][d][e][f][g]=1&%E0%A4%A=2&__proto__[x]=1&=3');
    assert.equal(junk.status, 200);
  });

  test('search: case-insensitive substring of name, email, DID and phone; paged like list', async () => {
    const all = await api.all(true);
    const sample = all.find((c) => typeof c['email'] === 'string' && c['email'] !== '');
    assert.ok(sample);
    const byEmail = obj(
      (await api.get(`/api/customers/search?query=${String(sample['email']).toUpperCase()}`)).body,
    );
    assert.deepEqual(ids(byEmail), [sample['id']]);
    const did = String(sample['did']);
    const byDid = obj((await api.get(`/api/customers/search?query=${did.slice(5, 20)}`)).body);
    assert.ok(ids(byDid).includes(String(sample['id'])));
    const withPhone = all.find((c) => typeof c['phone'] === 'string' && c['phone'] !== '');
    assert.ok(withPhone);
    const phone = String(withPhone['phone']).slice(-7);
    const byPhone = obj((await api.get(`/api/customers/search?query=${phone}`)).body);
    assert.ok(ids(byPhone).includes(String(withPhone['id'])));

    const name = String(all[0]?.['name']).split(' ')[0] ?? '';
    const needle = name.toLowerCase();
    const expected = all.filter((c) =>
      ['name', 'email', 'did', 'phone'].some((key) =>
        String(c[key] ?? '')
          .toLowerCase()
          .includes(needle),
      ),
    );
    assert.ok(expected.length >= 2, 'the seed repeats first names');
    const byName = obj(
      (
        await api.get(
          `/api/customers/search?query=${encodeURIComponent(name.toLowerCase())}&pageSize=2`,
        )
      ).body,
    );
    assert.equal(byName['count'], expected.length);
    assert.deepEqual(byName['paging'], { page: 1, pageSize: 2 });
    assert.deepEqual(
      ids(byName),
      expected.slice(0, 2).map((c) => c['id']),
    );

    const everything = obj((await api.get('/api/customers/search?query=&pageSize=100')).body);
    assert.equal(everything['count'], 45);
    assert.equal(obj((await api.get('/api/customers/search')).body)['count'], 45);
    const none = obj((await api.get('/api/customers/search?query=no-such-customer-anywhere')).body);
    assert.deepEqual([none['count'], none['list']], [0, []]);
    const testOnly = obj(
      (await api.get(`/api/customers/search?query=${String(sample['email'])}&livemode=false`)).body,
    );
    assert.equal(testOnly['count'], 0);
    assert.equal((await api.get('/api/customers/search?query=a&query=b')).status, 400);
  });
});
