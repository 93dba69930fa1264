import type { FetchCostModel } from '../remote/port.js';
import type { RateLimits, SavedPlanCheck } from './types.js';

/**
 * The least time, in seconds, that `calls` requests take under rolling-window limits: the k-th
 * call (from 0) cannot start before floor(k / perMinute) minutes nor floor(k / perHour) hours.
 * Latency is left out, so this is a floor, not an estimate.
 */
export function leastSeconds(calls: number, limits: RateLimits): number {
  if (calls <= 0) return 0;
  const last = calls - 1;
  return Math.max(
    Math.floor(last / limits.perMinute) * 60,
    Math.floor(last / limits.perHour) * 3600,
  );
}

/** `45s`, `12m`, `1h 05m`: for plan output. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * The cheaper way for the apply of a saved plan to re-read the `touched` records before writing:
 * one read each, or one listing of the account when its size is known and that costs less. A
 * tie goes to the reads, which happen right before each write and so leave the least time for
 * a change to slip in.
 */
export function savedPlanCheck(
  touched: number,
  accountSize: number | undefined,
  model: FetchCostModel | undefined,
): SavedPlanCheck {
  const reads = model === undefined ? touched : model.lookup(touched);
  if (touched === 0 || model === undefined || accountSize === undefined)
    return { strategy: 'lookup', calls: reads };
  const listing = model.list(accountSize);
  return listing < reads
    ? { strategy: 'list', calls: listing }
    : { strategy: 'lookup', calls: reads };
}
