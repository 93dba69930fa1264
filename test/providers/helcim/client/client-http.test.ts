/** The client against a tiny `node:http` server: headers, paging, errors, timeouts, creates. */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { after, describe, it } from 'node:test';
import { RemoteError } from '../../../../src/core/errors.js';
import type { HelcimEvent } from '../../../../src/providers/helcim/client/caller.js';
import {
  HelcimClient,
  type HelcimClientOptions,
} from '../../../../src/providers/helcim/client/client.js';
import { sendJson, startTestServer, wireCustomer, type TestServer } from './helpers.js';

const TOKEN = 'tok_http_test_secret_9f8e7d';

type Step = (res: ServerResponse, body: string) => boolean | void;

/** A fake Helcim: a store, plus scripted misbehaviour for chosen requests. */
async function fakeHelcim(count = 0) {
  const store: Record<string, unknown>[] = [];
  for (let i = 1; i <= count; i++) store.push(wireCustomer({ id: i, customerCode: `C${i}` }));
  const script: Step[] = [];
  const server: TestServer = await startTestServer((req, res) => {
    const step = script.shift();
    if (step?.(res, req.bodyText) === true) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.headers['api-token'] !== TOKEN) {
      return sendJson(res, 401, { errors: `Unauthorized: ${String(req.headers['api-token'])}` });
    }
    if (req.method === 'GET' && url.pathname === '/v2/customers') {
      const code = url.searchParams.get('customerCode');
      if (code !== null) {
        // Sloppy on purpose: a prefix match the client must filter.
        return sendJson(
          res,
          200,
          store.filter((c) => String(c['customerCode']).startsWith(code)),
        );
      }
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      return sendJson(res, 200, store.slice((page - 1) * limit, page * limit));
    }
    if (req.method === 'POST' && url.pathname === '/v2/customers') {
      const body: unknown = JSON.parse(req.bodyText);
      const code =
        typeof body === 'object' && body !== null && 'customerCode' in body
          ? body.customerCode
          : '';
      if (store.some((c) => c['customerCode'] === code)) {
        return sendJson(res, 400, {
          errors: `A customer with customerCode "${String(code)}" already exists`,
        });
      }
      const created = wireCustomer({
        id: 1000 + store.length,
        customerCode: code,
        contactName: 'New',
      });
      store.push(created);
      return sendJson(res, 200, created);
    }
    const match = /^\/v2\/customers\/(\d+)$/.exec(url.pathname);
    const found = store.find((c) => String(c['id']) === match?.[1]);
    if (found === undefined) return sendJson(res, 404, { errors: 'Invalid customerId' });
    return sendJson(res, 200, found);
  });
  return { server, store, script };
}

function client(server: TestServer, extra: Partial<HelcimClientOptions> = {}): HelcimClient {
  return new HelcimClient({
    baseUrl: server.url,
    token: TOKEN,
    limits: 'off',
    retry: { baseMs: 1, capMs: 5 },
    ...extra,
  });
}

function assertNoToken(error: unknown): void {
  assert.equal(inspect(error, { depth: 10, showHidden: true }).includes(TOKEN), false);
  assert.equal(JSON.stringify(error).includes(TOKEN), false);
  if (error instanceof Error) {
    assert.equal(error.message.includes(TOKEN), false);
    assert.equal(String(error.cause).includes(TOKEN), false);
  }
}

async function rejection(promise: Promise<unknown>): Promise<RemoteError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RemoteError, String(error));
    assertNoToken(error);
    return error;
  }
  assert.fail('resolved');
}

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of cleanup) await close();
});

async function setup(count = 0, extra: Partial<HelcimClientOptions> = {}) {
  const fake = await fakeHelcim(count);
  const c = client(fake.server, extra);
  cleanup.push(
    () => c.close(),
    () => fake.server.close(),
  );
  return { ...fake, client: c };
}

describe('client over HTTP', () => {
  it('sends the three headers and pages until a short page', async () => {
    const { server, client: c } = await setup(250);
    const customers = await c.list();
    assert.equal(customers.length, 250);
    assert.deepEqual(
      server.requests.map((r) => r.url),
      [1, 2, 3].map((page) => `/v2/customers?limit=100&page=${page}`),
    );
    for (const { headers } of server.requests) {
      assert.equal(headers['api-token'], TOKEN);
      assert.equal(headers['accept'], 'application/json');
      assert.equal(headers['content-type'], 'application/json');
    }
  });

  it('a page whose text looks full but parses short ends the listing: the page asked for early is dropped', async () => {
    // The next page is asked for as soon as a page's text holds 100 "customerCode" keys, before
    // it is parsed. Real JSON cannot fool the count; a server repeating a key can.
    const keys = Array.from({ length: 100 }, () => '"customerCode":"A1"').join(',');
    const server = await startTestServer((req, res) => {
      if (req.url?.endsWith('page=1') === true) {
        const text = `[{"id":1,${keys},"contactName":"Ada"}]`;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(text);
        return;
      }
      sendJson(res, 200, [wireCustomer({ id: 2, customerCode: 'LATE' })]);
    });
    const c = client(server);
    cleanup.push(
      () => c.close(),
      () => server.close(),
    );
    const customers = await c.list();
    assert.deepEqual(
      customers.map((x) => x.customerCode),
      ['A1'],
    );
    assert.equal(server.requests[0]?.url, '/v2/customers?limit=100&page=1');
    // Page 2 was asked for (early, from the text), then dropped: its customer is not listed.
    for (let waited = 0; server.requests.length < 2 && waited < 2000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(server.requests[1]?.url, '/v2/customers?limit=100&page=2');
  });

  it('lists 200 customers in 3 calls and none in 1', async () => {
    for (const [count, calls] of [
      [200, 3],
      [0, 1],
    ] as const) {
      const { server, client: c } = await setup(count);
      const progress: number[] = [];
      assert.equal((await c.list({ onProgress: (n) => progress.push(n) })).length, count);
      assert.equal(server.requests.length, calls);
      assert.equal(server.requests.length, c.cost.list(count));
      assert.equal(progress.at(-1), count);
    }
  });

  it('filters lookups to the exact code', async () => {
    const { client: c } = await setup(12);
    assert.deepEqual(
      (await c.findByIdentity('C1')).map((x) => x.customerCode),
      ['C1'],
    );
    const map = await c.findByIdentities(['C1', 'C2', 'C1', 'nope']);
    assert.deepEqual([...map.keys()], ['C1', 'C2', 'nope']);
    assert.deepEqual(map.get('nope'), []);
  });

  it('maps 401 to ERR_REMOTE_AUTH without the token anywhere, even if echoed', async () => {
    const { script, client: c } = await setup();
    script.push((res) => {
      sendJson(res, 401, { errors: `Unauthorized token ${TOKEN}` });
      return true;
    });
    const error = await rejection(c.get('1'));
    assert.equal(error.code, 'ERR_REMOTE_AUTH');
    assert.equal(error.status, 401);
    assert.equal(error.method, 'GET');
    assert.equal(error.path, '/customers/1');
    assert.match(error.problems[0]?.message ?? '', /\[REDACTED\]/);
  });

  it('maps 404 and keeps the problems', async () => {
    const { client: c } = await setup();
    const error = await rejection(c.get('77'));
    assert.equal(error.code, 'ERR_REMOTE_NOT_FOUND');
    assert.deepEqual(error.problems, [{ message: 'Invalid customerId' }]);
  });

  it('refuses malformed bodies with ERR_REMOTE_RESPONSE', async () => {
    const { script, client: c } = await setup(1);
    const raw =
      (status: number, text: string): Step =>
      (res) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(text);
        return true;
      };
    script.push(raw(200, 'not json'));
    assert.equal((await rejection(c.get('1'))).code, 'ERR_REMOTE_RESPONSE');
    script.push(raw(200, '{"errors":{"contactName":"bad"}}'));
    const carried = await rejection(c.get('1'));
    assert.equal(carried.code, 'ERR_REMOTE_RESPONSE');
    assert.deepEqual(carried.problems, [{ field: 'contactName', message: 'bad' }]);
    script.push(raw(200, '{"id":1}'));
    assert.equal((await rejection(c.list())).code, 'ERR_REMOTE_RESPONSE');
    script.push(raw(200, '[{"id":1}]'));
    assert.equal((await rejection(c.findByIdentity('C1'))).code, 'ERR_REMOTE_RESPONSE');
  });

  it('retries GET on 500, 522, resets and timeouts; gives up with the last error', async () => {
    const { script, server, client: c } = await setup(1, { timeoutMs: 150 });
    script.push(
      (res) => (sendJson(res, 500, { errors: 'boom' }), true),
      (res) => (res.writeHead(522, { 'content-type': 'text/html' }), res.end('<html>'), true),
      (res) => (res.socket?.destroy(), true),
      () => true, // hang
    );
    const events: HelcimEvent[] = [];
    const withEvents = client(server, { timeoutMs: 150, onEvent: (e) => events.push(e) });
    cleanup.push(() => withEvents.close());
    assert.equal((await withEvents.get('1')).customerCode, 'C1');
    assert.equal(events.filter((e) => e.type === 'retry').length, 4);
    assert.equal(JSON.stringify(events).includes(TOKEN), false);
    for (let i = 0; i < 6; i++) script.push(() => true);
    const error = await rejection(c.get('1'));
    assert.equal(error.code, 'ERR_REMOTE_TIMEOUT');
  });

  it('reports connection failures as ERR_REMOTE_NETWORK', async () => {
    const { server } = await fakeHelcim();
    await server.close();
    const c = client(server);
    cleanup.push(() => c.close());
    const error = await rejection(c.get('1'));
    assert.equal(error.code, 'ERR_REMOTE_NETWORK');
  });

  it('honours the caller signal, also during a back-off', async () => {
    const { script, client: c } = await setup(1, { retry: { baseMs: 10_000, capMs: 10_000 } });
    script.push((res) => (sendJson(res, 500, { errors: 'x' }), true));
    const controller = new AbortController();
    const pending = c.get('1', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    assert.equal((await rejection(pending)).code, 'ERR_ABORTED');
    const aborted = AbortSignal.abort();
    assert.equal((await rejection(c.list({ signal: aborted }))).code, 'ERR_ABORTED');
  });
});

describe('create happens at most once', () => {
  const data = { customerCode: 'NEW-1', contactName: 'New' };
  const posts = (server: TestServer) => server.requests.filter((r) => r.method === 'POST').length;

  it('answer lost after the write: looks up, finds, does not POST again', async () => {
    const { server, store, script, client: c } = await setup();
    script.push((res, body) => {
      store.push(wireCustomer({ id: 5, ...JSON.parse(body) }));
      res.socket?.destroy();
      return true;
    });
    const created = await c.create(data);
    assert.equal(created.id, '5');
    assert.equal(posts(server), 1);
    assert.equal(store.length, 1);
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['POST', 'GET'],
    );
  });

  it('500 without a write: looks up, finds nothing, POSTs again', async () => {
    const { server, store, script, client: c } = await setup();
    script.push((res) => (sendJson(res, 500, { errors: 'x' }), true));
    await c.create(data);
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['POST', 'GET', 'POST'],
    );
    assert.equal(store.length, 1);
  });

  it('429 was not processed: POSTs again without a lookup', async () => {
    const { server, script, client: c } = await setup();
    script.push((res) => (sendJson(res, 429, { errors: 'Too many requests' }), true));
    await c.create(data);
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['POST', 'POST'],
    );
  });

  it('a duplicate on the first try is ERR_REMOTE_CONFLICT', async () => {
    const { store, client: c } = await setup();
    store.push(wireCustomer({ id: 9, customerCode: 'NEW-1' }));
    const error = await rejection(c.create(data));
    assert.equal(error.code, 'ERR_REMOTE_CONFLICT');
    assert.equal(error.status, 400);
    assert.match(error.problems[0]?.message ?? '', /NEW-1/);
  });

  it('a POST that got no answer and is not found is in doubt: never sent again', async () => {
    const { server, store, script, client: c } = await setup(0, { timeoutMs: 100 });
    script.push(
      () => true, // the POST hangs (and may land later)
      (res) => (sendJson(res, 200, []), true), // the lookup does not see it yet
    );
    const error = await rejection(c.create(data));
    assert.equal(error.code, 'ERR_REMOTE_AMBIGUOUS');
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['POST', 'GET'],
    );
    assert.equal(store.length, 0);
  });

  it('a duplicate after a 500 is that try landing after all: returns it', async () => {
    const { server, store, script, client: c } = await setup();
    script.push(
      (res) => (sendJson(res, 500, { errors: 'x' }), true),
      (res) => {
        // the lookup misses it, then the write lands
        sendJson(res, 200, []);
        store.push(wireCustomer({ id: 7, customerCode: 'NEW-1' }));
        return true;
      },
    );
    const created = await c.create(data);
    assert.equal(created.id, '7');
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['POST', 'GET', 'POST', 'GET'],
    );
  });

  it('a failing check after an ambiguous try is ERR_REMOTE_AMBIGUOUS', async () => {
    const { script, client: c } = await setup(0, {
      retry: { baseMs: 1, capMs: 1, maxAttempts: 2 },
    });
    script.push(
      (res) => (sendJson(res, 500, { errors: 'x' }), true),
      (res) => (sendJson(res, 500, { errors: 'x' }), true),
      (res) => (sendJson(res, 500, { errors: 'x' }), true),
    );
    const error = await rejection(c.create(data));
    assert.equal(error.code, 'ERR_REMOTE_AMBIGUOUS');
  });
});
