/**
 * A server carries out a request it has received even when the client stops waiting for the
 * answer: the create that "lands late" after a client's timeout, which is how a blind retry
 * makes a duplicate. The emulator must behave so, or tests could never catch that duplicate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startEmulator } from '../../../../src/emulator/index.js';
import { FakeClock } from '../client/helpers.js';

test('a create whose client gave up during the server latency is still committed', async () => {
  const clock = new FakeClock();
  const emulator = await startEmulator({ rateLimit: 'off', clock, latencyMs: 1000 });
  try {
    const body = JSON.stringify({ customerCode: 'LATE-1', contactName: 'Late Lander' });
    const req = request(`${emulator.url}/customers`, {
      method: 'POST',
      headers: {
        'api-token': emulator.token,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    req.on('error', () => undefined);
    req.end(body);
    // The server is working on it (its latency timer is set); the client hangs up.
    for (let i = 0; i < 200 && clock.pending === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(clock.pending, 1, 'the request reached the server');
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(emulator.stats().customers, 1, 'the create was carried out');
  } finally {
    await emulator.close();
  }
});
