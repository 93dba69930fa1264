/**
 * One API call as the client needs it: paced, sent, judged, and (for GET/PUT) retried. Every
 * attempt takes its own pacer slot, so retries spend the same budget as first tries.
 */
import type { Clock } from '../../../core/clock.js';
import type { RemoteError, RemoteProblem } from '../../../core/errors.js';
import { abortedError, remoteError, statusError, type CallInfo } from './errors.js';
import { exchange, intHeader, type HttpOptions } from '../../../remote/http/exchange.js';
import { isRecord, problemsOf } from './mapping.js';
import type { Pacer } from './pacer.js';
import type { RetryFailure, RetryPolicy } from '../../../remote/http/retry.js';

export interface HelcimEvent {
  type: 'request' | 'response' | 'retry' | 'wait';
  method: string;
  path: string;
  status?: number;
  attempt?: number;
  waitMs?: number;
}

export type Attempt =
  | { ok: true; status: number; json: unknown }
  /** `failure` undefined: not worth another try (a malformed body, a refusal). */
  | { ok: false; failure: RetryFailure | undefined; error: RemoteError };

export interface CallerDeps {
  http: HttpOptions;
  basePath: string;
  pacer: Pacer;
  clock: Clock;
  retry: RetryPolicy;
  emit: (event: HelcimEvent) => void;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export class Caller {
  constructor(private readonly deps: CallerDeps) {}

  get token(): string {
    return this.deps.http.token;
  }

  /** One try, paced; throws only `ERR_ABORTED`. */
  async attempt(
    call: CallInfo & { method: 'GET' | 'POST' | 'PUT'; body?: unknown },
    attempt: number,
    signal: AbortSignal | undefined,
    stopWaiting?: AbortSignal,
  ): Promise<Attempt> {
    const { http, pacer, emit, basePath } = this.deps;
    let slot;
    try {
      slot = await pacer.acquire(eitherSignal(signal, stopWaiting), call);
    } catch (reason) {
      throw abortedError(call, reason, http.token);
    }
    emit({ type: 'request', method: call.method, path: call.path, attempt });
    const result = await exchange(
      http,
      { method: call.method, path: basePath + call.path, body: call.body },
      signal,
    );
    if (result.kind !== 'response') {
      slot.release();
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
    const { status, headers, text } = result;
    slot.release({
      minuteRemaining: intHeader(headers, 'minute-limit-remaining'),
      hourRemaining: intHeader(headers, 'hour-limit-remaining'),
      rateLimited: status === 429,
    });
    emit({ type: 'response', method: call.method, path: call.path, status, attempt });
    const parsed = parseJson(text);
    if (status >= 200 && status < 300) {
      if (!parsed.ok) return this.malformed(call, status, 'the body is not JSON');
      const problems = problemsOf(parsed.value);
      if (problems !== undefined) {
        return this.malformed(call, status, 'a success answer carries errors', problems);
      }
      return { ok: true, status, json: parsed.value };
    }
    const problems = parsed.ok ? (problemsOf(parsed.value) ?? []) : [];
    if (problems.length === 0 && parsed.ok && isRecord(parsed.value)) {
      const message = parsed.value['message'];
      if (typeof message === 'string') problems.push({ message });
    }
    return {
      ok: false,
      failure: { kind: 'status', status },
      error: statusError(status, problems, call, http.token),
    };
  }

  malformed(
    call: CallInfo,
    status: number,
    reason: string,
    problems: RemoteProblem[] = [],
  ): Attempt & { ok: false } {
    const error = remoteError(
      'ERR_REMOTE_RESPONSE',
      `Unexpected answer to ${call.method} ${call.path} (${status}): ${reason}`,
      call,
      { status, problems },
      this.deps.http.token,
    );
    return { ok: false, failure: undefined, error };
  }

  /** Waits `ms` before another try, or throws `ERR_ABORTED`. */
  async backoff(
    call: CallInfo,
    ms: number,
    attempt: number,
    signal?: AbortSignal,
    stopWaiting?: AbortSignal,
  ): Promise<void> {
    this.deps.emit({ type: 'retry', method: call.method, path: call.path, attempt, waitMs: ms });
    try {
      await this.deps.clock.sleep(ms, eitherSignal(signal, stopWaiting));
    } catch (reason) {
      throw abortedError(call, reason, this.deps.http.token);
    }
  }

  /** The delay the policy grants after `attempt` failed, if any. */
  retryDelay(
    attempt: number,
    failure: RetryFailure | undefined,
    method: string,
  ): number | undefined {
    return failure === undefined ? undefined : this.deps.retry(attempt, failure, method);
  }

  /** GET and PUT: tries until success or the policy gives up; answers the parsed JSON. */
  async call(
    call: CallInfo & { method: 'GET' | 'PUT'; body?: unknown },
    signal?: AbortSignal,
    stopWaiting?: AbortSignal,
  ): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(call, attempt, signal, stopWaiting);
      if (result.ok) return result.json;
      const delay = this.retryDelay(attempt, result.failure, call.method);
      if (delay === undefined) throw result.error;
      await this.backoff(call, delay, attempt, signal, stopWaiting);
    }
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
