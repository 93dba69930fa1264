import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFaultSpec, startEmulator } from '../../../../src/emulator/index.js';
import { arr, obj, startApi, withApi, type Api } from './helpers.js';

/** The status, or the name of the network failure when there was no answer. */
async function outcome(api: Api, path = '/customers', init: RequestInit = {}): Promise<string> {
  try {
    const res = await fetch(`${api.emulator.url}${path}`, {
      headers: { 'api-token': api.emulator.token, 'content-type': 'application/json' },
      ...init,
    });
    await res.text();
    return String(res.status);
  } catch (caught) {
    return caught instanceof Error ? caught.name : 'error';
  }
}

describe('faults', () => {
  test("500 and 522 answer instead of the API; 522 is an HTML page like Cloudflare's", async () => {
    await withApi({ faults: '500:1' }, async (api) => {
      const res = await api.get('/customers');
      assert.equal(res.status, 500);
      assert.ok('errors' in obj(res.body));
      assert.ok(res.headers.has('minute-limit-remaining'));
      assert.deepEqual(api.emulator.stats().faults, { '500': 1 });
    });
    await withApi({ faults: { '522': 1 } }, async (api) => {
      const res = await api.post({ contactName: 'Not Saved' });
      assert.equal(res.status, 522);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(api.emulator.stats().customers, 0);
    });
  });

  test('429 fault answers a rate-limit error without the windows being full', async () => {
    await withApi(
      { faults: '429:1', rateLimit: { concurrent: 5, perMinute: 100, perHour: 3000 } },
      async (api) => {
        const res = await api.get('/customers');
        assert.equal(res.status, 429);
        assert.equal(res.headers.get('minute-limit-remaining'), '99');
        assert.equal(api.emulator.stats().rateLimited, 0);
        assert.equal(api.emulator.stats().faults['429'], 1);
      },
    );
  });

  test('reset destroys the connection without an answer and without doing the work', async () => {
    await withApi({ faults: 'reset:1' }, async (api) => {
      const result = await outcome(api, '/customers', {
        method: 'POST',
        body: '{"contactName":"R"}',
      });
      assert.equal(result, 'TypeError'); // fetch failed: socket closed
      const stats = api.emulator.stats();
      assert.equal(stats.customers, 0);
      assert.deepEqual(stats.requests['POST /v2/customers'], { reset: 1 });
    });
  });

  test('lost-response commits the write, then drops the connection', async () => {
    await withApi({ faults: 'lost-response:1' }, async (api) => {
      const result = await outcome(api, '/customers', {
        method: 'POST',
        body: '{"contactName":"Lost","customerCode":"LOST-1"}',
      });
      assert.equal(result, 'TypeError');
      assert.equal(api.emulator.stats().customers, 1);
      assert.equal(
        await outcome(api, '/customers?customerCode=LOST-1'),
        'TypeError',
        'GETs are dropped too',
      );
      assert.deepEqual(api.emulator.stats().faults, { 'lost-response': 2 });
    });
  });

  test('hang never answers; the client abort ends it, and close() does not wait for it', async () => {
    const api = await startApi({ faults: 'hang:1' });
    const aborted = await outcome(api, '/customers', { signal: AbortSignal.timeout(150) });
    assert.match(aborted, /TimeoutError|AbortError/);
    // A hang the client never gives up on: close() must end it.
    const pending = outcome(api, '/customers');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await api.emulator.close();
    // Generous (a busy machine): a close() that waited for the hang would never end.
    const closing = performance.now() - started;
    assert.ok(closing < 10_000, `close() took ${Math.round(closing)} ms`);
    assert.equal(await pending, 'TypeError');
  });

  test('admin endpoints are never faulted', async () => {
    await withApi({ faults: '500:1' }, async (api) => {
      const res = await fetch(api.emulator.url.replace(/\/v2$/, '/__emulator/stats'));
      assert.equal(res.status, 200);
    });
  });

  test('the same fault seed gives the same run; another seed another run', async () => {
    const run = async (faultSeed: number): Promise<string[]> => {
      const out: string[] = [];
      await withApi({ faults: '500:0.3,522:0.2,429:0.1', faultSeed }, async (api) => {
        for (let i = 0; i < 30; i++) out.push(await outcome(api));
      });
      return out;
    };
    const a = await run(7);
    assert.deepEqual(await run(7), a);
    assert.notDeepEqual(await run(8), a);
    assert.ok(a.includes('200') && a.includes('500') && a.includes('522'));
  });

  test('a hung request holds its in-flight slot until the client goes away', async () => {
    const api = await startApi({
      faults: 'hang:1',
      rateLimit: { concurrent: 1, perMinute: 100, perHour: 3000 },
    });
    try {
      const controller = new AbortController();
      const hung = outcome(api, '/customers', { signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await outcome(api), '429');
      controller.abort();
      await hung;
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(api.emulator.stats().peakInFlight, 1);
      assert.equal(api.emulator.stats().requests['GET /v2/customers']?.['hang'], 1);
    } finally {
      await api.emulator.close();
    }
  });
});

describe('parseFaultSpec', () => {
  test('reads kind:probability pairs', () => {
    assert.deepEqual(parseFaultSpec('500:0.1, reset:0.05,lost-response:0.02'), {
      '500': 0.1,
      reset: 0.05,
      'lost-response': 0.02,
    });
    assert.deepEqual(parseFaultSpec(''), {});
  });

  test('refuses bad specs with a clear message', () => {
    const cases: [string, RegExp][] = [
      ['boom:0.1', /unknown kind "boom"/],
      ['500', /not KIND:PROBABILITY/],
      ['500:abc', /from 0 to 1/],
      ['500:1.5', /from 0 to 1/],
      ['500:-0.1', /from 0 to 1/],
      ['500:0.6,522:0.6', /over 1/],
      ['500:0.1,500:0.2', /twice/],
      ['500:0.1:3', /not KIND:PROBABILITY/],
    ];
    for (const [spec, message] of cases) assert.throws(() => parseFaultSpec(spec), message, spec);
  });

  test('startEmulator refuses a bad spec object', async () => {
    await assert.rejects(startEmulator({ faults: { '500': 2 } }), /from 0 to 1/);
    await assert.rejects(startEmulator({ faults: 'hang:x' }), /invalid fault spec/);
  });

  test('lists stay arrays under faults that answer', async () => {
    await withApi({ faults: '500:0' }, async (api) => {
      assert.deepEqual(arr((await api.get('/customers')).body), []);
    });
  });
});
