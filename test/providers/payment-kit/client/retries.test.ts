/**
 * The Helcim client's fault tests, repeated for this one through the port. A scripted proxy in
 * front of the emulator answers chosen requests with a failure, or forwards one and then loses
 * its answer, so each kind of fault is met exactly where a test wants it; everything else reaches
 * the emulator as sent. Retry delays are 1-5 ms and nothing is timed: only what was sent counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { groupOf, type RemoteCustomer } from '../../../../src/core/customer.js';
import { RemoteError } from '../../../../src/core/errors.js';
import type { PaymentKitEmulatorHandle } from '../../../../src/providers/payment-kit/emulator/types.js';
import type { PaymentKitClientOptions } from '../../../../src/providers/payment-kit/client/options.js';
import { sendJson, startTestServer, type TestServer } from '../../helcim/client/helpers.js';
import { callsTo, duplicates, rawAll, setup, waitFor, type Setup } from './helpers.js';

const SEED = 230;
const LOOKUP = 'GET /api/customers/{id}';
const WRITE = 'PUT /api/customers/{id}';
/** Six tries in all (the default), a few milliseconds apart. */
const RETRY = { baseMs: 1, capMs: 5, random: () => 0 };

/** What the proxy does with the next request: fail it, or forward it and lose the answer. */
type Fault = '500' | '502' | '503' | '522' | '429' | 'reset' | 'lost-response';

const TEXTS: Record<string, string> = {
  '500': 'Internal Server Error',
  '502': 'Bad Gateway',
  '503': 'Service Unavailable',
  '429': 'Too many requests',
};

interface Proxy {
  url: string;
  /** Faults for the next requests, in the order they arrive. */
  script: Fault[];
  server: TestServer;
}

async function faultyProxy(emu: PaymentKitEmulatorHandle): Promise<Proxy> {
  const script: Fault[] = [];
  const server = await startTestServer(async (req, res) => {
    const fault = script.shift();
    if (fault === 'reset') {
      res.socket?.destroy();
      return;
    }
    if (fault === '522') {
      // Cloudflare's page, not JSON: the status alone says what happened.
      res.writeHead(522, { 'content-type': 'text/html' });
      res.end('<html><body>Error 522: Connection timed out</body></html>');
      return;
    }
    if (fault !== undefined && fault !== 'lost-response') {
      sendJson(res, Number(fault), { error: TEXTS[fault] ?? fault });
      return;
    }
    const method = req.method ?? 'GET';
    const answer = await fetch(`${emu.origin}${req.url ?? '/'}`, {
      method,
      headers: {
        authorization: req.headers.authorization ?? '',
        'content-type': 'application/json',
      },
      ...(method === 'GET' ? {} : { body: req.bodyText }),
    });
    const body = await answer.text();
    // Lost after the emulator did the work: what a PUT's retry has to be safe against.
    if (fault === 'lost-response') {
      res.socket?.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(body);
  });
  return { url: server.url.replace(/\/v2$/, emu.mountPoint), script, server };
}

function rejection(error: unknown, code: string, status?: number): true {
  assert.ok(error instanceof RemoteError, String(error));
  assert.equal(error.code, code);
  assert.equal(error.status, status);
  return true;
}

describe('Payment Kit client: retries through the port', () => {
  let s: Setup;
  let proxy: Proxy;
  let wire: Record<string, unknown>[];
  const client = (options: Partial<PaymentKitClientOptions> = {}) =>
    s.client({ baseUrl: proxy.url, livemode: false, retry: RETRY, ...options });
  const retries = (): number => s.events.filter((e) => e.type === 'retry').length;

  before(async () => {
    s = await setup({ seed: SEED });
    proxy = await faultyProxy(s.emu);
    wire = await rawAll(s.emu, false);
  });
  after(async () => {
    await s.close();
    await proxy.server.close();
  });

  it('retries a GET after 500, 522, 503, a reset and a lost answer, then answers right', async () => {
    const target = wire[0];
    assert.ok(target);
    const pk = client();
    const direct = await pk.get(String(target['id']));
    const before = { sent: proxy.server.requests.length, retries: retries() };
    const reached = callsTo(s.emu, LOOKUP);
    proxy.script.push('500', '522', '503', 'reset', 'lost-response');
    assert.deepEqual(await pk.get(String(target['id'])), direct);
    assert.equal(proxy.server.requests.length - before.sent, 6);
    assert.equal(retries() - before.retries, 5);
    // The lost answer's request got through; the others never reached the emulator.
    assert.equal(callsTo(s.emu, LOOKUP) - reached, 2);

    proxy.script.push('reset', '500', 'lost-response');
    assert.deepEqual(await pk.findByIdentity(String(target['did'])), [direct]);
  });

  it('lists every customer exactly once when pages fail on the way', async () => {
    const pk = client();
    proxy.script.push('500', 'reset', 'lost-response', '522', '429');
    const listed = await pk.list();
    assert.equal(listed.length, SEED);
    assert.deepEqual(duplicates(listed.map((c) => c.id)), []);
    assert.deepEqual(listed.map((c) => c.id).sort(), wire.map((c) => String(c['id'])).sort());
  });

  it('retries a PUT after 500, 522, a reset and a lost answer: the result is that of one PUT', async () => {
    const target = wire[1];
    assert.ok(target);
    const pk = client();
    const id = String(target['id']);
    const stored = await pk.get(id);
    const metadata = { ...groupOf(stored['metadata']), synced: 'yes' };
    const reached = callsTo(s.emu, WRITE);
    proxy.script.push('500', '522', 'reset', 'lost-response');
    const updated = await pk.update(id, {
      name: 'Retried Put',
      address: { country: 'CA', city: 'Calgary' },
      metadata,
    });
    // Sent twice (the lost answer's PUT was carried out), ending as one.
    assert.equal(callsTo(s.emu, WRITE) - reached, 2);
    assert.equal(updated['name'], 'Retried Put');
    assert.deepEqual(updated['address'], { country: 'CA', city: 'Calgary' });
    assert.deepEqual(updated['metadata'], metadata);
    assert.equal(updated['did'], stored['did']);
    const direct = await s.client({ livemode: false }).get(id);
    assert.deepEqual(direct, updated);
  });

  it('retries 429 longer than other failures, for GET and PUT', async () => {
    const target = wire[2];
    assert.ok(target);
    const id = String(target['id']);
    const pk = client();
    const stored = await pk.get(id);
    // Nine 429s: more than the six tries of other failures, within the ten of rate limits.
    proxy.script.push(...Array.from({ length: 9 }, (): Fault => '429'));
    assert.deepEqual(await pk.get(id), stored);
    proxy.script.push('429', '429', '429');
    const updated = await pk.update(id, { description: 'after 429s' });
    assert.equal(updated['description'], 'after 429s');
  });

  it('gives up after the retry budget with a typed error carrying the status and the error text', async () => {
    const id = String(wire[3]?.['id']);
    const pk = client();
    const stored = await pk.get(id);
    const cases: { faults: Fault[]; run: () => Promise<unknown>; check: (e: unknown) => void }[] = [
      {
        faults: Array.from({ length: 6 }, (): Fault => '500'),
        run: () => pk.get(id),
        check: (e) => {
          rejection(e, 'ERR_REMOTE_HTTP', 500);
          assert.ok(e instanceof RemoteError);
          assert.match(e.message, /Payment Kit answered 500 to GET .*Internal Server Error/);
          assert.deepEqual(e.problems, [{ message: 'Internal Server Error' }]);
        },
      },
      {
        faults: Array.from({ length: 6 }, (): Fault => '503'),
        run: () => pk.update(id, { name: 'never' }),
        check: (e) => {
          rejection(e, 'ERR_REMOTE_HTTP', 503);
          assert.ok(e instanceof RemoteError);
          assert.equal(e.method, 'PUT');
          assert.deepEqual(e.problems, [{ message: 'Service Unavailable' }]);
        },
      },
      {
        faults: Array.from({ length: 6 }, (): Fault => '522'),
        run: () => pk.findByIdentity(String(wire[3]?.['did'])),
        check: (e) => {
          rejection(e, 'ERR_REMOTE_HTTP', 522);
          assert.ok(e instanceof RemoteError);
          assert.deepEqual(e.problems, []);
        },
      },
      {
        faults: Array.from({ length: 10 }, (): Fault => '429'),
        run: () => pk.get(id),
        check: (e) => {
          rejection(e, 'ERR_REMOTE_RATE_LIMITED', 429);
          assert.ok(e instanceof RemoteError);
          assert.match(e.message, /Too many requests/);
          assert.match(e.hint ?? '', /slow down/);
        },
      },
      {
        faults: Array.from({ length: 6 }, (): Fault => 'reset'),
        run: () => pk.update(id, { name: 'never' }),
        check: (e) => rejection(e, 'ERR_REMOTE_NETWORK', undefined),
      },
    ];
    const writes = callsTo(s.emu, WRITE);
    for (const { faults, run, check } of cases) {
      const sent = proxy.server.requests.length;
      proxy.script.push(...faults);
      await assert.rejects(run(), (error: unknown) => {
        check(error);
        return true;
      });
      assert.equal(proxy.server.requests.length - sent, faults.length, faults[0]);
      assert.equal(proxy.script.length, 0);
    }
    // None of the PUTs that gave up reached the emulator: the stored customer is as it was.
    assert.equal(callsTo(s.emu, WRITE), writes);
    assert.deepEqual(await s.client({ livemode: false }).get(id), stored);
  });

  it('stops waiting for another try when asked, a request on the wire aside', async () => {
    const id = String(wire[4]?.['id']);
    // A minute between tries: only the abort can end these calls in time.
    const slow = client({ retry: { baseMs: 60_000, capMs: 60_000, random: () => 0 } });
    for (const which of ['signal', 'stopWaiting'] as const) {
      for (const run of [
        (o: { signal?: AbortSignal; stopWaiting?: AbortSignal }) => slow.get(id, o),
        (o: { signal?: AbortSignal; stopWaiting?: AbortSignal }) =>
          slow.update(id, { description: 'never' }, o),
      ]) {
        const controller = new AbortController();
        const sent = proxy.server.requests.length;
        const before = retries();
        proxy.script.push('500');
        const pending = run({ [which]: controller.signal });
        // Aborted once the back-off has begun: the retry event comes just before the wait.
        await waitFor(() => retries() > before);
        controller.abort();
        await assert.rejects(pending, (error: unknown) => rejection(error, 'ERR_ABORTED'));
        assert.equal(proxy.server.requests.length - sent, 1, which);
      }
    }
  });

  it('looks up many DIDs through failures: every entry right', async () => {
    const pk = client();
    const targets = wire.slice(10, 40);
    const dids = targets.map((c) => String(c['did']));
    proxy.script.push('500', 'reset', '429', 'lost-response', '522', '503', '500', 'reset');
    const found = await pk.findByIdentities([...dids, 'z1NobodyHasThisDid']);
    assert.equal(found.size, dids.length + 1);
    for (const [i, did] of dids.entries()) {
      const got: RemoteCustomer[] | undefined = found.get(did);
      assert.deepEqual(
        got?.map((c) => c.id),
        [String(targets[i]?.['id'])],
      );
    }
    assert.deepEqual(found.get('z1NobodyHasThisDid'), []);
  });
});
