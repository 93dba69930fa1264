import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
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

  // The timeout fails a close() that leaves the connection open (it would hang at `ended`).
  test(
    'close() is idempotent and ends idle keep-alive connections',
    { timeout: 30_000 },
    async () => {
      const api = await startApi();
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const get = () =>
          new Promise<Socket>((resolve, reject) => {
            const req = request(
              `${api.emulator.url}/customers`,
              { agent, headers: { 'api-token': api.emulator.token } },
              (res) => {
                res.resume();
                res.on('end', () => {
                  if (res.statusCode !== 200 || req.socket === null)
                    reject(new Error(`answered ${res.statusCode}`));
                  else resolve(req.socket);
                });
              },
            );
            req.on('error', reject);
            req.end();
          });
        const socket = await get();
        assert.equal(await get(), socket, 'the connection is kept alive between requests');
        await new Promise((resolve) => setImmediate(resolve));
        const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        assert.equal(socket.destroyed, false, 'an idle keep-alive connection is open');
        // The agent unrefs its idle sockets: this one keeps the test alive until it closes.
        socket.ref();
        await Promise.all([api.emulator.close(), api.emulator.close()]);
        // Nothing answers any more: neither on the kept-alive connection (were it still open, the
        // agent would send this request on it) nor on a new one.
        await assert.rejects(get(), 'a request after close() is answered');
        await ended;
        assert.equal(socket.destroyed, true);
        await api.emulator.close();
      } finally {
        agent.destroy();
      }
    },
  );

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
