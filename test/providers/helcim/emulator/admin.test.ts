import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatBaseUrl,
  startEmulator,
  type EmulatorStats,
} from '../../../../src/emulator/index.js';
import { obj, startApi } from './helpers.js';

function adminUrl(url: string, path: string): string {
  return url.replace(/\/v2$/, `/__emulator/${path}`);
}

describe('admin endpoints and handle', () => {
  test('stats count requests by route template and status, faults, peak and customers', async () => {
    const api = await startApi({ seed: 2 });
    try {
      await api.post({ contactName: 'S' });
      await api.post({});
      await api.get('/customers/28000001');
      await api.get('/customers/123');
      await api.get('/customers/28000001/cards');
      await api.call('GET', '/customers', undefined, { 'api-token': 'bad' });
      await api.call('DELETE', '/customers');
      const res = await fetch(adminUrl(api.emulator.url, 'stats'));
      assert.equal(res.status, 200);
      const stats: unknown = await res.json();
      const expected: EmulatorStats = {
        version: 1,
        requests: {
          'POST /v2/customers': { '200': 1, '400': 1 },
          'GET /v2/customers/{id}': { '200': 1, '404': 1 },
          'GET /v2/customers/{id}/cards': { '200': 1 },
          'GET /v2/customers': { '401': 1 },
          'DELETE /v2/customers': { '405': 1 },
        },
        totalRequests: 7,
        peakInFlight: 1,
        customers: 3,
        faults: {},
        rateLimited: 0,
        duplicateCodes: 0,
      };
      assert.deepEqual(stats, expected);
      assert.deepEqual(api.emulator.stats(), expected);
    } finally {
      await api.emulator.close();
    }
  });

  test('POST /__emulator/reset empties customers, stats and rate windows; admin is never limited', async () => {
    const api = await startApi({
      seed: 5,
      rateLimit: { concurrent: 5, perMinute: 2, perHour: 100 },
    });
    try {
      await api.get('/customers');
      await api.get('/customers');
      assert.equal((await api.get('/customers')).status, 429);
      for (let i = 0; i < 5; i++) {
        assert.equal((await fetch(adminUrl(api.emulator.url, 'stats'))).status, 200);
      }
      const reset = await fetch(adminUrl(api.emulator.url, 'reset'), { method: 'POST' });
      assert.equal(reset.status, 200);
      const stats = api.emulator.stats();
      assert.equal(stats.customers, 0);
      assert.equal(stats.totalRequests, 0);
      assert.equal(stats.rateLimited, 0);
      const after = await api.get('/customers');
      assert.equal(after.status, 200);
      assert.equal(after.text, '[]');
      assert.equal(after.headers.get('minute-limit-remaining'), '1');
      // Fresh counters: the first generated code is the first one again.
      assert.equal(
        obj((await api.post({ contactName: 'After Reset' })).body)['customerCode'],
        'CST1001',
      );
      assert.equal((await fetch(adminUrl(api.emulator.url, 'reset'))).status, 405);
      assert.equal((await fetch(adminUrl(api.emulator.url, 'nope'))).status, 404);
    } finally {
      await api.emulator.close();
    }
  });

  test('the handle: url with /v2, the dev token by default, and IPv6 hosts in brackets', async () => {
    const emulator = await startEmulator();
    try {
      assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      assert.equal(emulator.token, 'helcim-sync-dev-token');
    } finally {
      await emulator.close();
    }
    assert.equal(formatBaseUrl('::1', 8080), 'http://[::1]:8080/v2');
    assert.equal(formatBaseUrl('localhost', 80), 'http://localhost:80/v2');
    let v6;
    try {
      v6 = await startEmulator({ host: '::1' });
    } catch {
      return; // no IPv6 loopback on this machine
    }
    try {
      assert.match(v6.url, /^http:\/\/\[::1\]:\d+\/v2$/);
      const res = await fetch(`${v6.url}/customers`, { headers: { 'api-token': v6.token } });
      assert.equal(res.status, 200);
    } finally {
      await v6.close();
    }
  });

  test('close() is idempotent and ends idle keep-alive connections', async () => {
    const api = await startApi();
    await api.get('/customers');
    await Promise.all([api.emulator.close(), api.emulator.close()]);
    await api.emulator.close();
  });

  test('bad options are refused', async () => {
    await assert.rejects(startEmulator({ token: '' }), /token/);
    await assert.rejects(startEmulator({ timeScale: 0 }), /timeScale/);
    await assert.rejects(startEmulator({ seed: -1 }), /seed/);
    await assert.rejects(startEmulator({ latencyMs: -5 }), /latency/);
    await assert.rejects(
      startEmulator({ statePath: '/nonexistent-dir-for-emulator-test/state.json' }),
      /cannot write the emulator state/,
    );
  });

  test('a busy port is a clear ERR_EMULATOR error', async () => {
    const first = await startEmulator();
    try {
      const port = Number(new URL(first.url).port);
      await assert.rejects(startEmulator({ port }), (caught: unknown) => {
        assert.ok(caught instanceof Error);
        assert.match(caught.message, /cannot listen on 127\.0\.0\.1:\d+/);
        assert.equal(obj(caught)['code'], 'ERR_EMULATOR');
        return true;
      });
    } finally {
      await first.close();
    }
  });
});
