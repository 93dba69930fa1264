/**
 * One API call as the Payment Kit client needs it: a slot under the concurrency bound, the
 * exchange (src/remote/http/exchange.ts, with a bearer key), the answer judged, and retries as the policy
 * grants. Only GET and PUT exist here, both idempotent, so every retryable failure is retried the
 * same way: a PUT whose answer was lost is simply sent again.
 */
import type { Clock } from '../../../core/clock.js';
import type { RemoteError } from '../../../core/errors.js';
import { exchange, type HttpOptions } from '../../../remote/http/exchange.js';
import type { RetryFailure, RetryPolicy } from '../../../remote/http/retry.js';
import { abortedError, malformedError, remoteError, statusError, type CallInfo } from './errors.js';
import type { Limiter } from './limiter.js';
import { problemsOf } from './mapping.js';

/** Progress of the client's calls; paths carry the query but never the key. */
export interface PaymentKitEvent {
  type: 'request' | 'response' | 'retry';
  method: string;
  path: string;
  status?: number;
  attempt?: number;
  waitMs?: number;
}

export interface CallerDeps {
  http: HttpOptions;
  /** The mount point, prefixed to every request path. */
  basePath: string;
  limiter: Limiter;
  clock: Clock;
  retry: RetryPolicy;
  emit: (event: PaymentKitEvent) => void;
}

export type Call = CallInfo & { method: 'GET' | 'PUT'; body?: unknown };

type Attempt =
  | { ok: true; json: unknown }
  /** `failure` undefined: not worth another try (a malformed body, a 4xx). */
  | { ok: false; failure: RetryFailure | undefined; error: RemoteError };

export class Caller {
  constructor(private readonly deps: CallerDeps) {}

  get key(): string {
    return this.deps.http.token;
  }

  /** Tries until success or the policy gives up; answers the parsed JSON of a 2xx. */
  async call(call: Call, signal?: AbortSignal, stopWaiting?: AbortSignal): Promise<unknown> {
    const waits = eitherSignal(signal, stopWaiting);
    for (let attempt = 1; ; attempt++) {
      const result = await this.#attempt(call, attempt, signal, waits);
      if (result.ok) return result.json;
      const delay =
        result.failure === undefined
          ? undefined
          : this.deps.retry(attempt, result.failure, call.method);
      if (delay === undefined) throw result.error;
      this.deps.emit({
        type: 'retry',
        method: call.method,
        path: call.path,
        attempt,
        waitMs: delay,
      });
      try {
        await this.deps.clock.sleep(delay, waits);
      } catch (reason) {
        throw abortedError(call, reason, this.key);
      }
    }
  }

  async #attempt(
    call: Call,
    attempt: number,
    signal: AbortSignal | undefined,
    waits: AbortSignal | undefined,
  ): Promise<Attempt> {
    const { http, limiter, emit, basePath } = this.deps;
    let release: () => void;
    try {
      release = await limiter.acquire(waits);
    } catch (reason) {
      throw abortedError(call, reason, http.token);
    }
    let result;
    try {
      emit({ type: 'request', method: call.method, path: call.path, attempt });
      result = await exchange(
        http,
        { method: call.method, path: basePath + call.path, body: call.body },
        signal,
      );
    } finally {
      release();
    }
    if (result.kind === 'aborted') throw abortedError(call, signal?.reason, http.token);
    if (result.kind === 'timeout') {
      const error = remoteError(
        'ERR_REMOTE_TIMEOUT',
        `${call.method} ${call.path} got no answer within ${http.timeoutMs} ms`,
        call,
        {},
        http.token,
      );
      return { ok: false, failure: { kind: 'timeout' }, error };
    }
    if (result.kind === 'network') {
      const cause = Object.assign(new Error(result.summary), { code: result.code });
      const error = remoteError(
        'ERR_REMOTE_NETWORK',
        `${call.method} ${call.path} failed: ${result.summary}`,
        call,
        { cause },
        http.token,
      );
      return { ok: false, failure: { kind: 'network', sent: result.sent }, error };
    }
    const { status, text } = result;
    emit({ type: 'response', method: call.method, path: call.path, status, attempt });
    const parsed = parseJson(text);
    if (status >= 200 && status < 300) {
      if (!parsed.ok) {
        return {
          ok: false,
          failure: undefined,
          error: this.malformed(call, status, 'the body is not JSON'),
        };
      }
      return { ok: true, json: parsed.value };
    }
    // A proxy's HTML error page has no `error` text; the status still says what happened.
    const problems = parsed.ok ? problemsOf(parsed.value) : [];
    return {
      ok: false,
      failure: { kind: 'status', status },
      error: statusError(status, problems, call, http.token),
    };
  }

  malformed(call: CallInfo, status: number, reason: string): RemoteError {
    return malformedError(call, status, reason, this.key);
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Aborts when either does; waits listen to both, requests on the wire only to `signal`. */
function eitherSignal(
  signal: AbortSignal | undefined,
  stopWaiting: AbortSignal | undefined,
): AbortSignal | undefined {
  if (signal === undefined) return stopWaiting;
  if (stopWaiting === undefined) return signal;
  return AbortSignal.any([signal, stopWaiting]);
}
