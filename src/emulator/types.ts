/** What every emulator shares: fault kinds, rate-limit settings and the statistics' shape. */

import type { RateLimits } from '../core/rate-limits.js';

/** The `errors` member in the three shapes Helcim uses. */
export type ErrorBody = string | string[] | Record<string, string>;

export interface RateLimitConfig extends RateLimits {
  /** Whether requests refused with 429 count against the windows (default false; unverified). */
  countRejected?: boolean;
}

/**
 * `reject` refuses a write (POST, PUT) with a 400 and a field error in the provider's own shape,
 * as a record the service finds invalid; reads are never rejected. It comes last, so that adding
 * it left the draws of every earlier seed as they were.
 */
export const FAULT_KINDS = [
  '500',
  '522',
  '429',
  'reset',
  'hang',
  'lost-response',
  'reject',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** Probability (0..1) per kind; the sum must not exceed 1. */
export type FaultSpec = Partial<Record<FaultKind, number>>;

export const STATS_VERSION = 1;

export interface EmulatorStats {
  version: typeof STATS_VERSION;
  /** `"<METHOD> <route template>"` to status (or fault kind when no status was sent) to count. */
  requests: Record<string, Record<string, number>>;
  totalRequests: number;
  peakInFlight: number;
  customers: number;
  faults: Partial<Record<FaultKind, number>>;
  rateLimited: number;
  /**
   * Customers whose customerCode an earlier customer already holds (always 0 with
   * `duplicateCodes: 'reject'`). Added within version 1, as adding a field is compatible: an
   * older emulator leaves it out, which reads as 0.
   */
  duplicateCodes: number;
}
