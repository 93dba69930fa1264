import type { Clock } from '../../src/core/clock.js';

/**
 * A clock the test moves by hand (`clock.t += 60_001`); sleeps return at once, so nothing waits
 * on real time. For tests that step through rate windows one request at a time.
 */
export function handClock(start = 0): Clock & { t: number } {
  const clock = { t: start, now: () => clock.t, sleep: async () => undefined };
  return clock;
}
