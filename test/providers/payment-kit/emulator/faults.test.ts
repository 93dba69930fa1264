import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPaymentKitEmulator } from '../../../../src/providers/payment-kit/emulator/index.js';
import { FakeClock } from '../../helcim/client/helpers.js';
import { arr, fetchAnswer, obj, startApi, waitFor, withApi, type Api } from './helpers.js';

/** The status, or the name of the network failure when there was no answer. */
async function outcome(
  api: Api,
  method = 'GET',
  path = '/api/customers',
  init: RequestInit = {},
): Promise<string> {
  try {
    const res = await fetch(`${api.emulator.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${api.emulator.token}`,
        'content-type': 'application/json',
      },
      ...init,
    });
    await res.text();
    return String(res.status);
  } catch (caught) {
    return caught instanceof Error ? caught.name : 'error';
  }
}

describe('faults', () => {
  test('500 and 429 answer {"error"} instead of the API and change nothing', async () => {
    await withApi({ faults: '500:1', seed: 1 }, async (api) => {
      const [customer] = api.emulator.checkout(1);
      assert.ok(customer);
      const res = await api.put(customer.id, { name: 'Not saved' });
      assert.deepEqual([res.status, res.body], [500, { error: 'Internal Server Error' }]);
      assert.deepEqual(api.emulator.stats().faults, { '500': 1 });
      assert.deepEqual(api.emulator.stats().requests['PUT /api/customers/{id}'], { '500': 1 });
    });
    await withApi({ faults: { '429': 1 } }, async (api) => {
      const res = await api.get('/api/customers');
      assert.deepEqual([res.status, res.body], [429, { error: 'Too many requests' }]);
      assert.equal(api.emulator.stats().rateLimited, 0);
    });
  });

  test('reset drops the connection without doing the work', async () => {
    await withApi({ faults: 'reset:1' }, async (api) => {
      const [customer] = api.emulator.checkout(1);
      assert.ok(customer);
      const result = await outcome(api, 'PUT', `/api/customers/${customer.id}`, {
        body: '{"name":"R"}',
      });
      assert.equal(result, 'TypeError');
      assert.equal(api.emulator.stats().requests['PUT /api/customers/{id}']?.['reset'], 1);
    });
    await withApi({ seed: 1 }, async (api) => {
      // The same PUT without the fault does change the customer: the check above can fail.
      const [customer] = api.emulator.checkout(1);
      assert.ok(customer);
      assert.equal(obj((await api.put(customer.id, { name: 'R' })).body)['name'], 'R');
    });
  });

  test('lost-response commits the PUT, then drops the connection', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-emulator-lost-'));
    const statePath = join(dir, 'state.json');
    try {
      let id = '';
      await withApi({ faults: 'lost-response:1', statePath }, async (api) => {
        const [customer] = api.emulator.checkout(1);
        assert.ok(customer);
        id = customer.id;
        const result = await outcome(api, 'PUT', `/api/customers/${id}`, {
          body: '{"name":"Lost"}',
        });
        assert.equal(result, 'TypeError');
        assert.deepEqual(api.emulator.stats().faults, { 'lost-response': 1 });
      });
      const saved = obj(JSON.parse(await readFile(statePath, 'utf8')));
      const stored = arr(saved['customers'])
        .map(obj)
        .find((c) => c['id'] === id);
      assert.equal(stored?.['name'], 'Lost');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('hang never answers until the client gives up; close() ends the rest', async () => {
    const api = await startApi({ faults: 'hang:1' });
    const controller = new AbortController();
    const aborted = outcome(api, 'GET', '/api/customers', { signal: controller.signal });
    await waitFor(
      () => api.emulator.stats().requests['GET /api/customers']?.['hang'] === 1,
      'the hang',
    );
    controller.abort();
    assert.equal(await aborted, 'AbortError');
    const pending = outcome(api);
    await waitFor(
      () => api.emulator.stats().requests['GET /api/customers']?.['hang'] === 2,
      'a second hang',
    );
    await api.emulator.close();
    assert.equal(await pending, 'TypeError');
  });

  test('522 is not a Payment Kit fault; unknown kinds and bad probabilities are refused', async () => {
    await assert.rejects(
      startPaymentKitEmulator({ faults: '522:0.1' }),
      /does not apply to the Payment Kit/,
    );
    await assert.rejects(startPaymentKitEmulator({ faults: 'boom:0.1' }), /unknown kind "boom"/);
    await assert.rejects(startPaymentKitEmulator({ faults: { '500': 2 } }), /from 0 to 1/);
  });

  test('the same fault seed repeats the run; admin and blocklet.js are never faulted', async () => {
    const run = async (faultSeed: number): Promise<string[]> => {
      const out: string[] = [];
      await withApi({ faults: '500:0.3,429:0.2', faultSeed }, async (api) => {
        for (let i = 0; i < 30; i++) out.push(await outcome(api));
        assert.equal((await fetchAnswer(`${api.emulator.origin}/__emulator/stats`)).status, 200);
        assert.equal(
          (await fetchAnswer(`${api.emulator.origin}/__blocklet__.js?type=json`)).status,
          200,
        );
      });
      return out;
    };
    const a = await run(7);
    assert.deepEqual(await run(7), a);
    assert.notDeepEqual(await run(8), a);
    assert.ok(a.includes('200') && a.includes('500') && a.includes('429'));
  });
});

describe('rate limit', () => {
  test('off by default: many requests, no 429', async () => {
    await withApi({}, async (api) => {
      const results = await Promise.all(Array.from({ length: 30 }, () => outcome(api)));
      assert.ok(results.every((r) => r === '200'));
      assert.ok(api.emulator.stats().peakInFlight >= 1);
    });
  });

  test('when asked for, the minute window answers 429 {"error"} and follows the injected clock', async () => {
    const clock = new FakeClock();
    await withApi(
      { rateLimit: { concurrent: 5, perMinute: 2, perHour: 100 }, clock },
      async (api) => {
        assert.equal(await outcome(api), '200');
        assert.equal(await outcome(api), '200');
        const refused = await api.get('/api/customers');
        assert.deepEqual([refused.status, refused.body], [429, { error: 'Too many requests' }]);
        assert.equal(api.emulator.stats().rateLimited, 1);
        await clock.advance(60_001);
        assert.equal(await outcome(api), '200');
      },
    );
  });
});
