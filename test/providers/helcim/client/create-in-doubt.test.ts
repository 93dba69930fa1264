/**
 * The create that lands late: the server is still working on a POST when the client gives up.
 * A lookup right then finds nothing; sending the POST again would make a duplicate as soon as
 * the first one lands, if Helcim accepts a duplicate code (unverified). So it is not sent again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { RemoteError } from '../../../../src/core/errors.js';
import { HelcimClient } from '../../../../src/providers/helcim/client/client.js';
import { FakeClock, sendJson, settle, startTestServer, wireCustomer } from './helpers.js';

test('a create that timed out and is not found yet is reported in doubt, never sent twice', async () => {
  // A server that accepts duplicate codes and answers POSTs only when told to.
  const stored: Record<string, unknown>[] = [];
  const held: { body: string; res: ServerResponse }[] = [];
  const server = await startTestServer((req, res) => {
    if (req.method === 'POST') {
      held.push({ body: req.bodyText, res });
      return;
    }
    const code = new URL(req.url ?? '', 'http://x').searchParams.get('customerCode');
    sendJson(
      res,
      200,
      stored.filter((c) => c['customerCode'] === code),
    );
  });
  const clock = new FakeClock();
  const client = new HelcimClient({
    baseUrl: server.url,
    token: 'test-token-0123456789',
    limits: 'off',
    clock,
    timeoutMs: 1000,
    retry: { baseMs: 10, capMs: 10 },
  });
  try {
    const creating = client.create({ customerCode: 'LATE-1', contactName: 'Late Lander' });
    const outcome = creating.then(
      () => undefined,
      (error: unknown) => error,
    );
    for (let i = 0; i < 100 && held.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(held.length, 1);
    // The client gives up, waits its backoff and looks the code up: not there (yet).
    for (let i = 0; i < 20; i++) {
      await clock.advance(1000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const error = await outcome;
    assert.ok(error instanceof RemoteError, String(error));
    assert.equal(error.code, 'ERR_REMOTE_AMBIGUOUS');
    assert.match(error.message, /may still be carried out, so it was not sent again/);
    // Then the first POST lands. One customer, whatever the server does with duplicates.
    for (const { body, res } of held) {
      const data: unknown = JSON.parse(body);
      assert.ok(typeof data === 'object' && data !== null);
      stored.push(wireCustomer({ ...data, id: 28000000 + stored.length }));
      res.destroy();
    }
    await settle();
    assert.equal(held.length, 1, 'the POST was sent once');
    assert.equal(stored.length, 1);
  } finally {
    await client.close();
    await server.close();
  }
});
