import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ISO_DATE, listOf, obj, startApi } from './helpers.js';

let clock = new Date('2025-03-01T12:00:00.000Z');
const now = (): Date => clock;

describe('one customer', () => {
  test('GET by id and by DID; the other mode and unknown keys are 404 Customer not found', async () => {
    const api = await startApi({ seed: 4, now });
    try {
      const [live] = await api.all(true);
      const [test] = await api.all(false);
      assert.ok(live && test);
      const byId = await api.get(`/api/customers/${String(live['id'])}`);
      assert.equal(byId.status, 200);
      assert.deepEqual(byId.body, live);
      assert.deepEqual(
        (await api.get(`/api/customers/${String(live['did'])}?livemode=true`)).body,
        live,
      );
      assert.deepEqual(
        (await api.get(`/api/customers/${String(test['did'])}?livemode=false`)).body,
        test,
      );
      for (const path of [
        `/api/customers/${String(live['id'])}?livemode=false`,
        `/api/customers/${String(test['id'])}`,
        `/api/customers/${String(test['did'])}?livemode=true`,
        '/api/customers/cus_000000000000000000000000',
        '/api/customers/%E0%A4%A',
      ]) {
        const res = await api.get(path);
        assert.equal(res.status, 404, path);
        assert.deepEqual(res.body, { error: 'Customer not found' }, path);
      }
    } finally {
      await api.emulator.close();
    }
  });

  test('overdue invoices: { customer, invoices: [], summary: {} }, 404 for unknown', async () => {
    const api = await startApi({ seed: 2, now });
    try {
      const [customer] = await api.all(true);
      assert.ok(customer);
      const res = await api.get(`/api/customers/${String(customer['id'])}/overdue/invoices`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { customer, invoices: [], summary: {} });
      const byDid = await api.get(`/api/customers/${String(customer['did'])}/overdue/invoices`);
      assert.equal(byDid.status, 200);
      const other = await api.get(
        `/api/customers/${String(customer['id'])}/overdue/invoices?livemode=false`,
      );
      assert.deepEqual([other.status, other.body], [404, { error: 'Customer not found' }]);
    } finally {
      await api.emulator.close();
    }
  });

  test('PUT is partial: fields left out keep their values; address and metadata are replaced', async () => {
    const api = await startApi({ seed: 12, now });
    try {
      const all = await api.all(true);
      const before = all.find(
        (c) => Object.keys(obj(c['metadata'])).length > 0 && obj(c['address'])['line1'] !== '',
      );
      assert.ok(before, 'a seeded customer with metadata and an address');
      const id = String(before['id']);
      clock = new Date('2025-03-02T08:30:15.250Z');
      const res = await api.put(id, {
        email: 'john.new.doe@example.com',
        address: { country: 'CA', city: 'Toronto' },
        metadata: { internal_id: 'user-456' },
      });
      assert.equal(res.status, 200);
      const after = obj(res.body);
      assert.deepEqual(after, {
        ...before,
        email: 'john.new.doe@example.com',
        address: {
          country: 'CA',
          state: '',
          city: 'Toronto',
          line1: '',
          line2: '',
          postal_code: '',
        },
        metadata: { internal_id: 'user-456' },
        updated_at: '2025-03-02T08:30:15.250Z',
      });
      assert.deepEqual((await api.get(`/api/customers/${id}`)).body, after);

      // Fields can be cleared with "", metadata emptied with {}.
      const cleared = obj((await api.put(id, { phone: '', description: '', metadata: {} })).body);
      assert.equal(cleared['phone'], '');
      assert.deepEqual(cleared['metadata'], {});
      assert.equal(cleared['name'], before['name']);

      // Shipping and description are writable too; shipping is replaced whole.
      const shipped = obj(
        (await api.put(id, { shipping: { name: 'Dock 4', address: { country: 'US' } } })).body,
      );
      assert.deepEqual(shipped['shipping'], {
        name: 'Dock 4',
        phone: '',
        address: { country: 'US', state: '', city: '', line1: '', line2: '', postal_code: '' },
      });
    } finally {
      await api.emulator.close();
    }
  });

  test('updated_at moves only when a value changes; the answer is the stored customer', async () => {
    const api = await startApi({ seed: 3, now });
    try {
      const [customer] = await api.all(true);
      assert.ok(customer);
      const id = String(customer['id']);
      clock = new Date('2025-04-01T00:00:00.000Z');
      const same = obj(
        (await api.put(id, { name: customer['name'], metadata: customer['metadata'] })).body,
      );
      assert.equal(same['updated_at'], customer['updated_at']);
      assert.deepEqual(obj((await api.put(id, {})).body), customer);
      const changed = obj((await api.put(id, { name: 'Renamed' })).body);
      assert.equal(changed['updated_at'], '2025-04-01T00:00:00.000Z');
      assert.match(String(changed['updated_at']), ISO_DATE);
      assert.equal(changed['created_at'], customer['created_at']);
    } finally {
      await api.emulator.close();
    }
  });

  test('PUT addresses a customer by id in its mode only: DID, other mode, unknown are 404', async () => {
    const api = await startApi({ seed: 2, now });
    try {
      const [customer] = await api.all(true);
      assert.ok(customer);
      for (const [key, livemode] of [
        [String(customer['did']), true],
        [String(customer['id']), false],
        ['cus_nope', true],
      ] as const) {
        const res = await api.put(key, { name: 'X' }, livemode);
        assert.deepEqual([res.status, res.body], [404, { error: 'Customer not found' }], key);
      }
      assert.deepEqual((await api.get(`/api/customers/${String(customer['id'])}`)).body, customer);
    } finally {
      await api.emulator.close();
    }
  });

  test('no create and no delete: 405 with Allow, nothing changes', async () => {
    const api = await startApi({ seed: 2, now });
    try {
      const [customer] = await api.all(true);
      assert.ok(customer);
      const id = String(customer['id']);
      const cases: [string, string, string][] = [
        ['POST', '/api/customers', 'GET'],
        ['DELETE', '/api/customers', 'GET'],
        ['POST', `/api/customers/${id}`, 'GET, PUT'],
        ['DELETE', `/api/customers/${id}`, 'GET, PUT'],
        ['PATCH', `/api/customers/${id}`, 'GET, PUT'],
        ['POST', '/api/customers/search', 'GET'],
        ['PUT', '/api/customers', 'GET'],
        ['POST', `/api/customers/${id}/overdue/invoices`, 'GET'],
      ];
      for (const [method, path, allow] of cases) {
        const res = await api.call(method, path, {
          body: { name: 'New', email: 'new@example.com' },
        });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
        assert.deepEqual(res.body, { error: 'Method Not Allowed' });
      }
      assert.equal(api.emulator.stats().customers, 4);
      assert.deepEqual((await api.get(`/api/customers/${id}`)).body, customer);
      const unknown = await api.get('/api/invoices');
      assert.deepEqual([unknown.status, unknown.body], [404, { error: 'Not Found' }]);
      assert.equal(listOf((await api.get('/api/customers')).body).length, 2);
    } finally {
      await api.emulator.close();
    }
  });
});
