/**
 * When to try a request again, as one replaceable function (the undici shape): given the attempt
 * that just failed and how it failed, answer a delay in milliseconds or `undefined` to give up.
 * The policy says *whether and when*; the client decides *how*: Helcim's client re-sends a POST
 * after an ambiguous failure only when a lookup by `customerCode` shows that it did not happen.
 */

export type RetryFailure =
  | { kind: 'status'; status: number }
  /** `sent`: false when the request surely never reached the server (connection refused). */
  | { kind: 'network'; sent: boolean }
  | { kind: 'timeout' };

/** `attempt` is 1 for the first try. */
export type RetryPolicy = (
  attempt: number,
  failure: RetryFailure,
  method: string,
) => number | undefined;

export interface RetryOptions {
  /** Total tries, the first included. */
  maxAttempts?: number;
  /** Rate-limited answers cost nothing on the server, so they get more tries. */
  maxRateLimitedAttempts?: number;
  baseMs?: number;
  capMs?: number;
  /** In [0, 1); injected so tests get fixed delays. */
  random?: () => number;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504, 522]);

/** Methods the client may send again: GET/PUT are idempotent; POST only through its lookup. */
const RETRYABLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'POST']);

export function isRetryable(failure: RetryFailure): boolean {
  return failure.kind !== 'status' || RETRYABLE_STATUSES.has(failure.status);
}

/** Capped exponential backoff with "equal jitter": half the step fixed, half random. */
export function exponentialRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? 6;
  const maxRateLimited = options.maxRateLimitedAttempts ?? Math.max(maxAttempts, 10);
  const baseMs = options.baseMs ?? 200;
  const capMs = options.capMs ?? 8000;
  const random = options.random ?? Math.random;
  return (attempt, failure, method) => {
    if (!RETRYABLE_METHODS.has(method.toUpperCase()) || !isRetryable(failure)) return undefined;
    const limit =
      failure.kind === 'status' && failure.status === 429 ? maxRateLimited : maxAttempts;
    if (attempt >= limit) return undefined;
    const step = Math.min(capMs, baseMs * 2 ** (attempt - 1));
    return Math.round(step / 2 + (random() * step) / 2);
  };
}

/** Whether a POST that failed this way may have been carried out anyway. */
export function isAmbiguous(failure: RetryFailure): boolean {
  if (failure.kind === 'timeout') return true;
  if (failure.kind === 'network') return failure.sent;
  // 429 is refused before any work; other 4xx are answers about the request itself.
  return failure.status >= 500;
}
