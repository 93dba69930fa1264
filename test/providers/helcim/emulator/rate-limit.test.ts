import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { handClock } from '../../../support/hand-clock.js';
import { parseRateLimit } from '../../../../src/emulator/index.js';
import { RateLimiter } from '../../../../src/emulator/rate-limit.js';
import { startApi } from './helpers.js';
import { FakeClock } from '../client/helpers.js';

function remaining(headers: Headers): [number, number] {
  return [
    Number(headers.get('minute-limit-remaining')),
    Number(headers.get('hour-limit-remaining')),
  ];
}

describe('rate limits', () => {
  test('the 6th concurrent request is refused at once with 429', async () => {
    // Latency on an injected clock that stands still: five requests are held in flight for as
    // long as the test wants, whatever the machine's load.
    const clock = new FakeClock();
    const api = await startApi({
      rateLimit: { concurrent: 5, perMinute: 100, perHour: 3000 },
      latencyMs: 300,
      clock,
    });
    try {
      const held = Array.from({ length: 5 }, () => api.get('/customers'));
      // Generous: the requests only have to arrive, however busy the machine is.
      for (let i = 0; i < 6000 && clock.pending < 5; i++) await delay(5);
      assert.equal(clock.pending, 5, 'five requests in flight');
      const refused = await api.get('/customers');
      assert.equal(refused.status, 429);
      assert.equal(clock.now(), 0, 'answered without waiting for a slot');
      assert.equal(refused.headers.get('retry-after'), null);
      assert.ok('errors' in Object(refused.body));
      await clock.advance(300);
      const answered = await Promise.all(held);
      assert.deepEqual(
        answered.map((a) => a.status),
        [200, 200, 200, 200, 200],
      );
      assert.equal(api.emulator.stats().peakInFlight, 5);
      assert.equal(api.emulator.stats().rateLimited, 1);
      // Slots come back once the answers are out.
      const again = api.get('/customers');
      await clock.advance(300);
      assert.equal((await again).status, 200);
    } finally {
      await api.emulator.close();
    }
  });

  test('the minute window counts down in headers, answers 429 past it, and recovers', async () => {
    // timeScale 120: a "minute" is 500 ms, of an injected clock that moves only when told.
    const clock = new FakeClock();
    const api = await startApi({
      rateLimit: { concurrent: 5, perMinute: 10, perHour: 1000 },
      timeScale: 120,
      clock,
    });
    try {
      const seen: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await api.get(i % 2 === 0 ? '/customers' : '/customers/1');
        assert.notEqual(res.status, 429);
        seen.push(remaining(res.headers)[0]);
      }
      assert.deepEqual(seen, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      const limited = await api.get('/customers');
      assert.equal(limited.status, 429);
      assert.deepEqual(remaining(limited.headers), [0, 990]);
      assert.equal(limited.headers.get('retry-after'), null);
      // 401s are limited (and carry headers) like the rest.
      const unauth = await api.call('GET', '/customers', undefined, { 'api-token': 'nope' });
      assert.equal(unauth.status, 429);
      await clock.advance(499);
      assert.equal((await api.get('/customers')).status, 429, 'the minute is not over');
      await clock.advance(1);
      const recovered = await api.get('/customers');
      assert.equal(recovered.status, 200);
      assert.equal(remaining(recovered.headers)[0], 9);
    } finally {
      await api.emulator.close();
    }
  });

  test('the hour window limits too', async () => {
    const api = await startApi({ rateLimit: { concurrent: 5, perMinute: 1000, perHour: 4 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await api.get('/customers')).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    } finally {
      await api.emulator.close();
    }
  });

  test('rateLimit off: never 429, headers still sent with a large number', async () => {
    const api = await startApi({ rateLimit: 'off', latencyMs: 50 });
    try {
      const all = await Promise.all(Array.from({ length: 20 }, () => api.get('/customers')));
      assert.ok(all.every((r) => r.status === 200));
      assert.deepEqual(remaining(all[0]?.headers ?? new Headers()), [999_999, 999_999]);
    } finally {
      await api.emulator.close();
    }
  });
});

describe('the emulator on an injected clock', () => {
  test('the minute window follows the clock, not the wall', async () => {
    const clock = handClock(1_000);
    const api = await startApi({
      clock,
      latencyMs: 10_000, // the fake sleep returns at once: no real wait
      rateLimit: { concurrent: 5, perMinute: 2, perHour: 100 },
    });
    try {
      assert.equal((await api.get('/customers')).status, 200);
      assert.equal((await api.get('/customers')).status, 200);
      assert.equal((await api.get('/customers')).status, 429);
      clock.t += 60_001;
      const res = await api.get('/customers');
      assert.equal(res.status, 200);
      assert.deepEqual(remaining(res.headers), [1, 97]);
    } finally {
      await api.emulator.close();
    }
  });
});

describe('RateLimiter with an injected clock', () => {
  test('windows roll; refused requests do not count against them (the default reading)', () => {
    const clock = handClock();
    const limiter = new RateLimiter({ concurrent: 1000, perMinute: 100, perHour: 3000 }, 1);
    for (let i = 0; i < 100; i++) {
      assert.equal(limiter.admit(clock.now()).admitted, true);
      limiter.release();
      clock.t += 100;
    }
    // t = 10 s: the minute is full.
    for (let i = 0; i < 50; i++) assert.equal(limiter.admit(clock.now()).admitted, false);
    clock.t = 60_000; // the first stamp (t = 0) has left the window
    const admission = limiter.admit(clock.now());
    assert.equal(admission.admitted, true);
    assert.equal(admission.minuteRemaining, 0);
    assert.equal(admission.hourRemaining, 3000 - 101);
  });

  test('countRejected: refused requests refill the window (the harsher reading)', () => {
    const clock = handClock();
    const limiter = new RateLimiter(
      { concurrent: 1000, perMinute: 100, perHour: 3000, countRejected: true },
      1,
    );
    for (let i = 0; i < 100; i++) {
      limiter.admit(clock.now());
      limiter.release();
      clock.t += 100;
    }
    assert.equal(limiter.admit(clock.now()).admitted, false); // t = 10 s, counted
    clock.t = 60_000;
    assert.equal(limiter.admit(clock.now()).admitted, false); // the refused one filled the gap
    clock.t = 70_100;
    const admission = limiter.admit(clock.now());
    assert.equal(admission.admitted, true);
    assert.equal(admission.minuteRemaining, 100 - 2);
    assert.equal(admission.hourRemaining, 3000 - 103);
  });

  test('the hour window stays cheap with thousands of requests', () => {
    const clock = handClock();
    const limiter = new RateLimiter({ concurrent: 5, perMinute: 1_000_000, perHour: 3000 }, 1);
    const started = performance.now();
    let admitted = 0;
    for (let i = 0; i < 200_000; i++) {
      if (limiter.admit(clock.now()).admitted) {
        admitted++;
        limiter.release();
      }
      clock.t += 100;
    }
    // 200k requests over 20000 s: the hour window holds at most 36000 stamps at a time.
    assert.ok(admitted > 0);
    // Generous (a busy machine): a window that rescanned its stamps would take minutes.
    const took = performance.now() - started;
    assert.ok(took < 10_000, `200k admissions took ${Math.round(took)} ms`);
  });
});

describe('parseRateLimit', () => {
  test('reads C/M/H and off, refuses anything else', () => {
    assert.deepEqual(parseRateLimit('5/100/3000'), {
      concurrent: 5,
      perMinute: 100,
      perHour: 3000,
    });
    assert.equal(parseRateLimit('off'), 'off');
    for (const bad of ['5/100', '0/1/1', 'a/b/c', '5/100/3000/1', '-1/2/3', '']) {
      assert.throws(() => parseRateLimit(bad), /invalid rate limit/, bad);
    }
  });
});
