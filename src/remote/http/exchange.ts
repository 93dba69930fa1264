/**
 * One HTTP exchange over an undici dispatcher, with a timeout on the whole exchange (headers and
 * body), the caller's signal, and failures reduced to data the retry policy can judge. Nothing
 * here throws an undici error: they can carry socket details, so only a redacted summary leaves.
 */
import type { Dispatcher } from 'undici';
import type { Clock } from '../../core/clock.js';
import { redact } from '../../core/errors.js';

export interface Exchange {
  method: 'GET' | 'POST' | 'PUT';
  /** Full path with query, e.g. `/v2/customers?page=2`. */
  path: string;
  body?: unknown;
}

export type ExchangeResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; text: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  /** `sent`: false when the request surely never left (connection refused, unknown host). */
  | { kind: 'network'; sent: boolean; summary: string; code: string | undefined };

export interface HttpOptions {
  dispatcher: Dispatcher;
  origin: string;
  token: string;
  /**
   * How the token travels: Helcim's `api-token` header (the default), or `Authorization: Bearer`
   * (Payment Kit's access keys). Either way the token is redacted from every failure summary.
   */
  auth?: 'api-token' | 'bearer';
  clock: Clock;
  timeoutMs: number;
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function describe(error: unknown, token: string): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redact(text, [token]);
}

function flattenHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Why the timeout of a finished exchange is called off; nobody reads it. */
const EXCHANGE_DONE = 'exchange done';

export async function exchange(
  http: HttpOptions,
  request: Exchange,
  signal: AbortSignal | undefined,
): Promise<ExchangeResult> {
  if (signal?.aborted) return { kind: 'aborted' };
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = new AbortController();
  // The emulator (and sometimes the real service) may never answer: the clock bounds the wait.
  http.clock.sleep(http.timeoutMs, timer.signal).then(
    () => {
      timedOut = true;
      controller.abort();
    },
    () => undefined,
  );
  try {
    const response = await http.dispatcher.request({
      origin: http.origin,
      path: request.path,
      method: request.method,
      headers: {
        ...(http.auth === 'bearer'
          ? { authorization: `Bearer ${http.token}` }
          : { 'api-token': http.token }),
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: controller.signal,
    });
    const text = await response.body.text();
    return {
      kind: 'response',
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      text,
    };
  } catch (error) {
    if (signal?.aborted) return { kind: 'aborted' };
    if (timedOut) return { kind: 'timeout' };
    const code = errorCode(error);
    return {
      kind: 'network',
      sent: code === undefined || !NOT_SENT_CODES.has(code),
      summary: describe(error, http.token),
      code,
    };
  } finally {
    // With a reason given, no DOMException (and its stack) is built: once per request adds up.
    timer.abort(EXCHANGE_DONE);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** A header as a non-negative integer, if it is one. */
export function intHeader(headers: Record<string, string>, name: string): number | undefined {
  const value = headers[name];
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}
