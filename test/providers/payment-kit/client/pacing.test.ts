import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../../../src/core/clock.js';
import { Limiter } from '../../../../src/providers/payment-kit/client/limiter.js';
import { setup } from './helpers.js';

const MINUTE = 60_000;

/** A clock whose sleeps pass at once by moving it on: a wait costs no real time. */
function steppingClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      clock.t += ms;
    },
  };
  return clock;
}

/** The most sends that fall in any `length` ms, by their send times. */
function busiest(sends: readonly number[], length: number): number {
  return Math.max(
    ...sends.map((start) => sends.filter((t) => t >= start && t < start + length).length),
  );
}

describe('Payment Kit pacing with minute and hour windows (--rate-limit C/M/H)', () => {
  it('sends no more than the minute allows, counting each request until a minute after its answer', async () => {
    const clock = steppingClock();
    const limiter = new Limiter(5, [{ limit: 3, lengthMs: MINUTE }], clock);
    const sends: number[] = [];
    for (let i = 0; i < 10; i++) {
      const release = await limiter.acquire();
      sends.push(clock.t);
      clock.t += 10; // the answer takes 10 ms
      release();
    }
    assert.equal(busiest(sends, MINUTE + 10), 3);
    // Each group of three goes as soon as the first of the group before left the window.
    assert.deepEqual(sends.slice(0, 3), [0, 10, 20]);
    const fourth = sends[3] ?? 0;
    assert.ok(fourth >= 10 + MINUTE && fourth < 10 + MINUTE + 1000, `4th sent at ${fourth}`);
  });

  it('keeps the hour too: a minute with room does not let the hour overflow', async () => {
    const clock = steppingClock();
    const limiter = new Limiter(
      5,
      [
        { limit: 100, lengthMs: MINUTE },
        { limit: 4, lengthMs: 60 * MINUTE },
      ],
      clock,
    );
    const sends: number[] = [];
    for (let i = 0; i < 6; i++) {
      const release = await limiter.acquire();
      sends.push(clock.t);
      release();
    }
    assert.equal(busiest(sends, 60 * MINUTE), 4);
    assert.ok((sends[4] ?? 0) >= 60 * MINUTE);
  });

  it('with the window full of requests still in flight, waits for an answer, then for its minute', async () => {
    const clock = steppingClock();
    const limiter = new Limiter(5, [{ limit: 2, lengthMs: MINUTE }], clock);
    const first = await limiter.acquire();
    await limiter.acquire();
    let third = false;
    const waiting = limiter.acquire().then((release) => {
      third = true;
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(third, false, 'a third request went out while two were in flight');
    clock.t = 500;
    first();
    (await waiting)();
    assert.ok(clock.t >= 500 + MINUTE, `sent at ${clock.t}, before the first left the window`);
  });

  it('a request stopped while it waits for a window gives its place back', async () => {
    let now = 0;
    const clock: Clock = {
      now: () => now,
      // Sleeps until aborted: the test ends the wait with the signal alone.
      sleep: (_ms, signal) =>
        new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
    };
    const limiter = new Limiter(1, [{ limit: 1, lengthMs: MINUTE }], clock);
    (await limiter.acquire())();
    const stop = new AbortController();
    const waiting = limiter.acquire(stop.signal);
    stop.abort(new Error('interrupted'));
    await assert.rejects(waiting, /interrupted/);
    now = 2 * MINUTE;
    // The one slot in flight was given back: a new request goes once the minute has passed.
    const release = await limiter.acquire();
    release();
  });

  it('against the emulator limiting 8 a minute, a listing of 15 pages meets no 429', async () => {
    // A minute of 200 ms on both sides, so the test takes about half a second of real time.
    const scale = 300;
    const limits = { concurrent: 5, perMinute: 8, perHour: 10_000 };
    const t = await setup({ seed: 1_500, rateLimit: limits, timeScale: scale });
    try {
      const paced = t.client({
        windows: { ...limits, minuteMs: MINUTE / scale, hourMs: (60 * MINUTE) / scale },
        retry: { maxAttempts: 1, maxRateLimitedAttempts: 1 },
      });
      const customers = await paced.list();
      assert.equal(customers.length, 1_500);
      assert.equal(t.emu.stats().rateLimited, 0);
      // The same listing unpaced is refused: the limit was real.
      const unpaced = t.client({ retry: { maxAttempts: 1, maxRateLimitedAttempts: 1 } });
      await assert.rejects(unpaced.list(), /429|rate/i);
      assert.ok(t.emu.stats().rateLimited > 0);
    } finally {
      await t.close();
    }
  });
});
