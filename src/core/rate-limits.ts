import { UsageError } from './errors.js';

/** An account's request limits: in flight at once, per rolling minute, per rolling hour. */
export interface RateLimits {
  concurrent: number;
  perMinute: number;
  perHour: number;
}

/** Helcim's published limits, shared by every token of a merchant account. */
export const HELCIM_RATE_LIMITS: Readonly<RateLimits> = {
  concurrent: 5,
  perMinute: 100,
  perHour: 3000,
};

/** Reads `C/M/H` (`5/100/3000`) or `off`. */
export function parseRateLimit(text: string): RateLimits | 'off' {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'off') return 'off';
  const match = /^(\d+)\/(\d+)\/(\d+)$/.exec(trimmed);
  const [concurrent, perMinute, perHour] = (match?.slice(1) ?? []).map(Number);
  if (
    concurrent === undefined ||
    perMinute === undefined ||
    perHour === undefined ||
    concurrent < 1 ||
    perMinute < 1 ||
    perHour < 1
  ) {
    throw new UsageError(
      `invalid rate limit "${text}": expected CONCURRENT/PER_MINUTE/PER_HOUR with positive integers, or "off"`,
      { hint: "e.g. --rate-limit 5/100/3000 (Helcim's limits) or --rate-limit off" },
    );
  }
  return { concurrent, perMinute, perHour };
}
