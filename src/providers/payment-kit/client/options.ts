/**
 * What a Payment Kit client is built from, the environment variant included, and the small
 * request-shaping helpers the client's methods share.
 */
import type { Dispatcher } from 'undici';
import type { Clock } from '../../../core/clock.js';
import { InputError } from '../../../core/errors.js';
import type { CallEvent } from '../../../remote/http/caller.js';
import type { RetryOptions, RetryPolicy } from '../../../remote/http/retry.js';
import { PAYMENT_KIT_PAGE_SIZE } from '../cost.js';
import { PAYMENT_KIT_KEY_ENV, PAYMENT_KIT_URL_ENV } from './config.js';

/** Progress of the client's calls; paths carry the query but never the key. */
export type PaymentKitEvent = CallEvent;

export const DEFAULT_TIMEOUT_MS = 30_000;
export const PAGE_SIZE = PAYMENT_KIT_PAGE_SIZE;

export interface PaymentKitClientOptions {
  /** The app's origin plus the mount point, e.g. `https://shop.example.com/payment`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; never shown anywhere. */
  accessKey: string;
  /** Live or test customers: required, sent on every call (PUT included). */
  livemode: boolean;
  /** Requests in flight at once; default 5. */
  concurrency?: number;
  /**
   * Requests allowed in any rolling minute and hour, when the account or a proxy in front of it
   * limits them (Payment Kit documents no limit: default none). The window lengths are shorter
   * only against an emulator run with a time scale.
   */
  windows?: { perMinute: number; perHour: number; minuteMs?: number; hourMs?: number };
  /** Default: a keep-alive `Pool` for the origin with `concurrency` connections. */
  dispatcher?: Dispatcher;
  clock?: Clock;
  /** In [0, 1), for retry jitter. */
  random?: () => number;
  /** Per attempt, headers and body together. Default 30 s. */
  timeoutMs?: number;
  /** A policy function, or options for the default exponential one (src/remote/http/retry.ts). */
  retry?: RetryPolicy | RetryOptions;
  onEvent?: (event: PaymentKitEvent) => void;
}

export type PaymentKitEnv = Readonly<Record<string, string | undefined>>;

/** Client options with the URL and key read from the environment only (never from argv). */
export function optionsFromEnv(
  env: PaymentKitEnv,
  options: Omit<PaymentKitClientOptions, 'accessKey' | 'baseUrl'>,
): PaymentKitClientOptions {
  return {
    ...options,
    baseUrl: env[PAYMENT_KIT_URL_ENV] ?? '',
    accessKey: env[PAYMENT_KIT_KEY_ENV] ?? '',
  };
}

/** `page=N&pageSize=100`: always the largest page, so a listing costs the fewest calls. */
export function paging(page: number): string {
  return `page=${page}&pageSize=${PAGE_SIZE}`;
}

/** An empty id, DID or email would ask for every customer (search) or a 400; refused here. */
export function required(what: string, value: string): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '') throw new InputError(`A Payment Kit lookup needs a non-empty ${what}.`);
  return trimmed;
}
