/** Retries, backoff, timeouts and the concurrency bound, timed by an injected clock only. */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { RemoteError } from '../../../../src/core/errors.js';
import type { PaymentKitEvent } from '../../../../src/providers/payment-kit/client/options.js';
import { PaymentKitClient } from '../../../../src/providers/payment-kit/client/client.js';
import { FakeClock, sendJson, settle, startTestServer } from '../../helcim/client/helpers.js';
import { KEY } from './helpers.js';

const CUSTOMER = { id: 'cus_1', did: 'z1abc', livemode: true, metadata: {} };
/** CUSTOMER as the port hands it out. */
const CANONICAL = { id: 'cus_1', did: 'z1abc' };

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) await settle();
  assert.ok(done(), 'condition reached');
}

describe('retries and the concurrency bound', () => {
  it('retries 429, 500 and 503 after the policy delay on the injected clock, for GET and PUT', async () => {
    const answers = [429, 500, 503];
    const server = await startTestServer((_req, res) => {
      const status = answers.shift();
      if (status === undefined) sendJson(res, 200, CUSTOMER);
      else sendJson(res, status, { error: `failure ${status}` });
    });
    const clock = new FakeClock();
    const events: PaymentKitEvent[] = [];
    const client = new PaymentKitClient({
      baseUrl: server.url,
      accessKey: KEY,
      livemode: true,
      clock,
      random: () => 0.5,
      retry: { baseMs: 100, capMs: 1000 },
      onEvent: (e) => events.push(e),
    });
    try {
      let done = false;
      const got = client.get('cus_1').finally(() => (done = true));
      const waits: number[] = [];
      for (let i = 0; i < 3; i++) {
        await until(() => clock.pending > 0 && events.at(-1)?.type === 'retry');
        const wait = events.at(-1)?.waitMs ?? 0;
        waits.push(wait);
        // Nothing is sent again before the delay has passed on the injected clock.
        const sent = server.requests.length;
        await clock.advance(wait - 1);
        assert.equal(server.requests.length, sent);
        await clock.advance(1);
      }
      await until(() => done);
      assert.deepEqual(await got, CANONICAL);
      // Equal jitter with random 0.5: 3/4 of each doubling step.
      assert.deepEqual(waits, [75, 150, 300]);
      answers.push(503);
      const put = client.update('cus_1', { name: 'x' });
      await until(() => clock.pending > 0 && events.at(-1)?.type === 'retry');
      await clock.advance(75);
      assert.deepEqual(await put, CANONICAL);
      assert.deepEqual(
        server.requests.slice(-2).map((r) => r.method),
        ['PUT', 'PUT'],
      );
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('gives up after the policy and reports the last status and its error text', async () => {
    const server = await startTestServer((_req, res) =>
      sendJson(res, 502, { error: 'upstream down' }),
    );
    const client = new PaymentKitClient({
      baseUrl: server.url,
      accessKey: KEY,
      livemode: true,
      retry: (attempt) => (attempt < 3 ? 0 : undefined),
    });
    try {
      await assert.rejects(client.get('cus_1'), (error: unknown) => {
        assert.ok(error instanceof RemoteError);
        assert.deepEqual([error.code, error.status], ['ERR_REMOTE_HTTP', 502]);
        assert.match(error.message, /upstream down/);
        return true;
      });
      assert.equal(server.requests.length, 3);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('times out a silent attempt on the injected clock and tries again', async () => {
    let first = true;
    const held: ServerResponse[] = [];
    const server = await startTestServer((_req, res) => {
      if (first) {
        first = false;
        held.push(res);
        return;
      }
      sendJson(res, 200, CUSTOMER);
    });
    const clock = new FakeClock();
    const client = new PaymentKitClient({
      baseUrl: server.url,
      accessKey: KEY,
      livemode: true,
      clock,
      timeoutMs: 5000,
      retry: { baseMs: 10, random: () => 0 },
    });
    try {
      let done = false;
      const got = client.get('cus_1').finally(() => (done = true));
      await until(() => held.length === 1);
      await clock.advance(4999);
      assert.equal(server.requests.length, 1, 'no timeout before 5000 ms of the clock');
      await clock.advance(1);
      await until(() => clock.pending > 0);
      await clock.advance(10);
      await until(() => done);
      assert.deepEqual(await got, CANONICAL);
      assert.equal(server.requests.length, 2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('never has more requests in flight than the concurrency (default 5, or as set)', async () => {
    for (const concurrency of [undefined, 2]) {
      let inFlight = 0;
      let peak = 0;
      const waiting: (() => void)[] = [];
      const server = await startTestServer((_req, res) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        waiting.push(() => {
          inFlight--;
          sendJson(res, 200, CUSTOMER);
        });
      });
      const client = new PaymentKitClient({
        baseUrl: server.url,
        accessKey: KEY,
        livemode: true,
        ...(concurrency === undefined ? {} : { concurrency }),
      });
      try {
        let done = 0;
        const all = Array.from({ length: 12 }, () => client.get('cus_1').finally(() => done++));
        while (done < 12) {
          await settle();
          waiting.splice(0).forEach((answer) => answer());
        }
        await Promise.all(all);
        assert.equal(peak, concurrency ?? 5);
        assert.equal(client.peakInFlight, concurrency ?? 5);
      } finally {
        await client.close();
        await server.close();
      }
    }
  });
});
