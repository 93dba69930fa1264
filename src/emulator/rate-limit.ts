/**
 * Helcim's limits, per merchant account: requests in flight, per rolling minute, per rolling hour.
 *
 * Choice (unverified upstream): a request refused with 429 does not consume budget, as in most
 * limiters (Laravel's throttle, nginx limit_req): otherwise two clients sharing an account spiral,
 * each retry refilling the window for both. `countRejected: true` gives the harsher reading for
 * tests that want it. Every admitted request counts, whatever its answer (400s and 404s too, as
 * recorded from Helcim; 401s as well); a refused one never holds an in-flight slot.
 */
import { HELCIM_RATE_LIMITS } from '../core/rate-limits.js';
import type { RateLimitConfig } from './types.js';

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { ...HELCIM_RATE_LIMITS };
/** Sent in the remaining headers when limits are off, so pacing clients run at full speed. */
export const UNLIMITED_REMAINING = 999_999;

/** Timestamps in a rolling window: a deque (array + head index), amortised O(1) per request. */
class RollingWindow {
  private stamps: number[] = [];
  private head = 0;

  constructor(private readonly lengthMs: number) {}

  count(now: number): number {
    const cutoff = now - this.lengthMs;
    while (this.head < this.stamps.length && (this.stamps[this.head] ?? Infinity) <= cutoff) {
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.stamps.length) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
    return this.stamps.length - this.head;
  }

  add(now: number): void {
    this.stamps.push(now);
  }

  clear(): void {
    this.stamps = [];
    this.head = 0;
  }
}

export interface Admission {
  admitted: boolean;
  /** The budget left once this request is counted. */
  minuteRemaining: number;
  hourRemaining: number;
  /** The budget as it stood when this request arrived, before it was counted. */
  minuteRemainingBefore: number;
  hourRemainingBefore: number;
}

export class RateLimiter {
  private inFlight = 0;
  private peak = 0;
  private readonly minute: RollingWindow;
  private readonly hour: RollingWindow;

  constructor(
    private readonly config: RateLimitConfig | 'off',
    timeScale: number,
  ) {
    this.minute = new RollingWindow(60_000 / timeScale);
    this.hour = new RollingWindow(3_600_000 / timeScale);
  }

  get peakInFlight(): number {
    return this.peak;
  }

  /** Counts the request; when admitted the caller must `release()` once it is answered. */
  admit(now: number): Admission {
    if (this.config === 'off') {
      this.enter();
      return {
        admitted: true,
        minuteRemaining: UNLIMITED_REMAINING,
        hourRemaining: UNLIMITED_REMAINING,
        minuteRemainingBefore: UNLIMITED_REMAINING,
        hourRemainingBefore: UNLIMITED_REMAINING,
      };
    }
    const { concurrent, perMinute, perHour } = this.config;
    const minuteBefore = this.minute.count(now);
    const hourBefore = this.hour.count(now);
    const admitted = this.inFlight < concurrent && minuteBefore < perMinute && hourBefore < perHour;
    if (admitted || this.config.countRejected === true) {
      this.minute.add(now);
      this.hour.add(now);
    }
    if (admitted) this.enter();
    return {
      admitted,
      minuteRemaining: Math.max(0, perMinute - this.minute.count(now)),
      hourRemaining: Math.max(0, perHour - this.hour.count(now)),
      minuteRemainingBefore: Math.max(0, perMinute - minuteBefore),
      hourRemainingBefore: Math.max(0, perHour - hourBefore),
    };
  }

  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Forgets the windows and the peak; requests still in flight stay counted. */
  reset(): void {
    this.minute.clear();
    this.hour.clear();
    this.peak = this.inFlight;
  }

  private enter(): void {
    this.inFlight++;
    if (this.inFlight > this.peak) this.peak = this.inFlight;
  }
}

/** `C/M/H` (e.g. `5/100/3000`) or `off`. */
export { parseRateLimit } from '../core/rate-limits.js';
