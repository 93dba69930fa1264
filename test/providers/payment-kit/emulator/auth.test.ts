import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PAYMENT_KIT_TOKEN } from '../../../../src/providers/payment-kit/emulator/index.js';
import { FIXED_NOW, fetchAnswer, obj, signedHeaders, startApi, type Api } from './helpers.js';

describe('auth', () => {
  let api: Api;
  before(async () => {
    api = await startApi({ seed: 1, token: 'blocklet-test-key', now: () => FIXED_NOW });
  });
  after(() => api.emulator.close());

  const nowSeconds = Math.floor(FIXED_NOW.getTime() / 1000);

  test('the default access key is the documented dev key, starting with blocklet-', async () => {
    assert.match(DEFAULT_PAYMENT_KIT_TOKEN, /^blocklet-/);
    const other = await startApi();
    try {
      assert.equal(other.emulator.token, DEFAULT_PAYMENT_KIT_TOKEN);
      assert.equal((await other.get('/api/customers')).status, 200);
    } finally {
      await other.emulator.close();
    }
  });

  test('a bearer access key is accepted, case-insensitive scheme', async () => {
    assert.equal((await api.get('/api/customers')).status, 200);
    const lower = await api.call('GET', '/api/customers', {
      headers: { authorization: 'bearer blocklet-test-key' },
    });
    assert.equal(lower.status, 200);
  });

  test('no credentials, a wrong key, another scheme: 401 {"error"} on every route', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer blocklet-wrong' },
      { authorization: 'Bearer ' },
      { authorization: 'blocklet-test-key' },
      { authorization: 'Basic YmxvY2tsZXQ=' },
      // A wrong key is refused even with well-formed signature headers beside it.
      { authorization: 'Bearer nope', ...signedHeaders(FIXED_NOW) },
    ];
    for (const headers of cases) {
      for (const [method, path] of [
        ['GET', '/api/customers'],
        ['GET', '/api/customers/search?query=a'],
        ['PUT', '/api/customers/cus_x'],
        ['DELETE', '/api/customers'],
        ['GET', '/api/unknown'],
      ] as const) {
        const res = await api.call(method, path, {
          headers,
          body: method === 'PUT' ? {} : undefined,
        });
        assert.equal(res.status, 401, `${JSON.stringify(headers)} ${method} ${path}`);
        assert.equal(typeof obj(res.body)['error'], 'string');
        assert.doesNotMatch(res.text, /blocklet-test-key/);
      }
    }
  });

  test('component-signed requests (as the SDK sends them) are accepted; the DID is optional', async () => {
    const signed = await api.call('GET', '/api/customers', { headers: signedHeaders(FIXED_NOW) });
    assert.equal(signed.status, 200);
    const withDid = await api.call('GET', '/api/customers', {
      headers: signedHeaders(FIXED_NOW, {
        'x-component-did': 'z8iZpog7mcgcgBZzTiXJCWESvmnRrQmnd3XBB',
      }),
    });
    assert.equal(withDid.status, 200);
  });

  test('signature headers that are missing, malformed or expired are a 401', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'x-component-sig': '' }, /without x-component-sig$/],
      [{ 'x-component-sig-exp': '' }, /without x-component-sig-exp/],
      [{ 'x-component-sig-version': '' }, /without x-component-sig-version/],
      [{ 'x-component-sig': 'not-hex' }, /not a hex signature/],
      [{ 'x-component-sig': '0xabc' }, /not a hex signature/],
      [{ 'x-component-sig-iat': 'yesterday' }, /unix seconds/],
      [
        {
          'x-component-sig-exp': String(nowSeconds - 600),
          'x-component-sig-iat': String(nowSeconds - 900),
        },
        /expired/,
      ],
      [{ 'x-component-sig-exp': String(nowSeconds - 1) }, /unix seconds, iat before exp/],
      [{ 'x-component-sig-version': 'v1' }, /must be a number/],
      [{ 'x-component-did': 'not a did' }, /not a DID/],
    ];
    for (const [overrides, message] of cases) {
      const res = await api.call('GET', '/api/customers', {
        headers: signedHeaders(FIXED_NOW, overrides),
      });
      assert.equal(res.status, 401, JSON.stringify(overrides));
      assert.match(String(obj(res.body)['error']), message, JSON.stringify(overrides));
    }
    // The expiry itself is not past: still accepted on its last second.
    const lastSecond = signedHeaders(FIXED_NOW, {
      'x-component-sig-iat': String(nowSeconds - 300),
      'x-component-sig-exp': String(nowSeconds),
    });
    assert.equal((await api.call('GET', '/api/customers', { headers: lastSecond })).status, 200);
  });

  test("the component's own port: /api/... answers signed requests, not bearer keys", async () => {
    const origin = api.emulator.origin;
    const signed = await fetchAnswer(`${origin}/api/customers?livemode=true`, {
      headers: signedHeaders(FIXED_NOW),
    });
    assert.equal(signed.status, 200);
    assert.equal(obj(signed.body)['count'], 1);
    const bearer = await fetchAnswer(`${origin}/api/customers`, {
      headers: { authorization: 'Bearer blocklet-test-key' },
    });
    assert.equal(bearer.status, 404);
    assert.match(String(obj(bearer.body)['error']), /under \/payment\/api/);
    const none = await fetchAnswer(`${origin}/api/customers`);
    assert.equal(none.status, 401);
    assert.equal((await fetchAnswer(`${origin}/elsewhere`)).status, 404);
  });

  test('admin routes need no credentials', async () => {
    const stats = await fetchAnswer(`${api.emulator.origin}/__emulator/stats`);
    assert.equal(stats.status, 200);
  });
});
