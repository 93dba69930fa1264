/**
 * The access key is a secret: HTTPS only (loopback aside), never in an error, an event, or
 * what inspecting the client shows, even when the server echoes it back.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { SyncError, RemoteError } from '../../../../src/core/errors.js';
import {
  PaymentKitClient,
  paymentKitClientFromEnv,
} from '../../../../src/providers/payment-kit/client/client.js';
import {
  checkLivemode,
  resolvePaymentKitUrl,
} from '../../../../src/providers/payment-kit/client/config.js';
import { FakeClock, sendJson, startTestServer } from '../../helcim/client/helpers.js';
import { KEY, setup } from './helpers.js';

/** Everything an error can show: message, hint, stack, cause, and inspect of all of it. */
function everything(error: unknown): string {
  const parts = [inspect(error, { depth: Infinity, showHidden: true })];
  if (error instanceof Error) parts.push(error.message, String(error.stack), String(error.cause));
  if (error instanceof SyncError) parts.push(String(error.hint));
  return parts.join('\n');
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  assert.fail('expected a failure');
}

describe('the access key stays secret', () => {
  it('refuses plain HTTP to a non-loopback host, accepts it on loopback', () => {
    for (const url of ['http://shop.example.com/payment', 'http://10.0.0.1/payment', 'ftp://x/y']) {
      assert.throws(
        () => new PaymentKitClient({ baseUrl: url, accessKey: KEY, livemode: true }),
        (error: unknown) => error instanceof SyncError && error.code === 'ERR_INSECURE_URL',
        url,
      );
    }
    for (const url of ['http://127.0.0.1:9/payment', 'http://localhost:9/', 'http://[::1]:9/p']) {
      assert.equal(resolvePaymentKitUrl(url).origin.startsWith('http://'), true, url);
    }
    assert.deepEqual(resolvePaymentKitUrl('https://shop.example.com/payment/'), {
      origin: 'https://shop.example.com',
      basePath: '/payment',
    });
  });

  it('config errors never repeat the key', () => {
    const attempts: (() => unknown)[] = [
      () => resolvePaymentKitUrl(`https://${KEY}@shop.example.com/payment`),
      () => resolvePaymentKitUrl(`https://user:${KEY}@shop.example.com/payment`),
      () =>
        new PaymentKitClient({ baseUrl: 'https://a.b/p', accessKey: `${KEY} x`, livemode: true }),
      () =>
        paymentKitClientFromEnv(
          { PAYMENT_KIT_URL: 'http://shop.example.com/p', PAYMENT_KIT_ACCESS_KEY: KEY },
          { livemode: true },
        ),
    ];
    for (const attempt of attempts) {
      const error = (() => {
        try {
          attempt();
        } catch (caught) {
          return caught;
        }
        return assert.fail('expected a config error');
      })();
      assert.ok(error instanceof SyncError);
      assert.equal(everything(error).includes(KEY), false, everything(error));
    }
    assert.throws(
      () => paymentKitClientFromEnv({ PAYMENT_KIT_ACCESS_KEY: KEY }, { livemode: true }),
      /No Payment Kit URL/,
    );
    assert.throws(
      () => paymentKitClientFromEnv({ PAYMENT_KIT_URL: 'https://a.b/p' }, { livemode: true }),
      (error: unknown) => error instanceof SyncError && error.code === 'ERR_MISSING_TOKEN',
    );
    for (const mode of [undefined, 'true', 1, null]) {
      assert.throws(() => checkLivemode(mode), /livemode/);
    }
  });

  it('a server that echoes the key, a 401, a refused connection, a timeout: all redacted', async () => {
    // A server echoing the Authorization header in its error text: the client must strike it.
    const echo = await startTestServer((req, res) =>
      sendJson(res, 400, { error: `bad request with ${req.headers.authorization}` }),
    );
    const s = await setup({ seed: 3 });
    const clock = new FakeClock();
    const hang = await setup({ faults: 'hang:1' });
    try {
      const events: unknown[] = [];
      const onEvent = (event: unknown): void => void events.push(event);
      const base = echo.url.replace(/\/v2$/, '/payment');
      const echoed = new PaymentKitClient({
        baseUrl: base,
        accessKey: KEY,
        livemode: true,
        onEvent,
      });
      const errors = [
        await failure(() => echoed.get('cus_1')),
        await failure(() => s.client({ accessKey: `${KEY}-wrong`, onEvent }).list()),
        await failure(() => s.client({ accessKey: `${KEY}-wrong`, onEvent }).update('cus_1', {})),
      ];
      // Nothing listens on the echo server's port once closed: connection refused.
      const refused = new PaymentKitClient({
        baseUrl: base,
        accessKey: KEY,
        livemode: true,
        onEvent,
        retry: { maxAttempts: 1 },
      });
      await echo.close();
      errors.push(await failure(() => refused.get('cus_1')));
      const slow = hang.client({ clock, timeoutMs: 1000, retry: { maxAttempts: 1 }, onEvent });
      const timedOut = failure(() => slow.get('cus_1'));
      while (clock.pending === 0) await new Promise((resolve) => setImmediate(resolve));
      await clock.advance(1000);
      errors.push(await timedOut);
      assert.deepEqual(
        errors.map((e) => (e instanceof RemoteError ? e.code : String(e))),
        [
          'ERR_REMOTE_HTTP',
          'ERR_REMOTE_AUTH',
          'ERR_REMOTE_AUTH',
          'ERR_REMOTE_NETWORK',
          'ERR_REMOTE_TIMEOUT',
        ],
      );
      assert.match(everything(errors[0]), /bad request with Bearer \[REDACTED\]/);
      for (const error of errors)
        assert.equal(everything(error).includes(KEY), false, everything(error));
      assert.ok(events.length > 0);
      assert.equal(JSON.stringify(events).includes(KEY), false);
      for (const client of [echoed, refused, slow]) {
        assert.equal(inspect(client, { depth: Infinity, showHidden: true }).includes(KEY), false);
        assert.equal(JSON.stringify(client).includes(KEY), false);
      }
      await Promise.all([echoed.close(), refused.close()]);
    } finally {
      await s.close();
      await hang.close();
    }
  });

  it('sends the key as a bearer token and livemode on every call, the PUT included', async () => {
    const server = await startTestServer((req, res) =>
      sendJson(res, 200, {
        id: 'cus_1',
        did: 'z1abc',
        livemode: false,
        name: null,
        email: '',
        address: { country: '', state: '', city: '', line1: '', line2: '', postal_code: '' },
        metadata: null,
      }),
    );
    try {
      const client = new PaymentKitClient({
        baseUrl: server.url.replace(/\/v2$/, '/shop/payment'),
        accessKey: KEY,
        livemode: false,
      });
      const got = await client.get('cus_1');
      assert.deepEqual(got, { id: 'cus_1', did: 'z1abc' });
      await client.update('cus_1', { ...got, name: 'A', address: { city: 'Paris' } });
      await client.close();
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.url}`),
        [
          'GET /shop/payment/api/customers/cus_1?livemode=false',
          'PUT /shop/payment/api/customers/cus_1?livemode=false',
        ],
      );
      for (const r of server.requests) assert.equal(r.headers.authorization, `Bearer ${KEY}`);
      assert.deepEqual(JSON.parse(server.requests[1]?.body ?? ''), {
        name: 'A',
        address: { country: '', state: '', city: 'Paris', line1: '', line2: '', postal_code: '' },
      });
    } finally {
      await server.close();
    }
  });
});
