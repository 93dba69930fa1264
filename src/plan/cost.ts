import type { RateLimits } from './types.js';

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
