/**
 * One API call as both clients need it: a place among the requests allowed out, the exchange,
 * the answer judged, and (for GET and PUT) retries as the policy grants. Every attempt takes its
 * own place, so retries spend the same budget as first tries. What differs by provider comes in
 * as data: the gate (Helcim's pacer, Payment Kit's limiter) and the dialect (its name, its hints,
 * and how its bodies say what went wrong).
 */
import type { Clock } from '../../core/clock.js';
import type { RemoteError, RemoteProblem } from '../../core/errors.js';
import { callErrors, type CallErrors, type CallInfo, type ErrorTexts } from './errors.js';
import { exchange, type ExchangeResult, type HttpOptions } from './exchange.js';
import type { RetryFailure, RetryPolicy } from './retry.js';

/** Progress of the calls; paths carry the query but never the secret. */
export interface CallEvent {
  type: 'request' | 'response' | 'retry';
  method: string;
  path: string;
  status?: number;
  attempt?: number;
  waitMs?: number;
}

/**
 * Sees a success answer's body before it is parsed; answers true when it started work that
 * should get going before the parse holds the thread (a listing's next page).
 */
export type Peek = (text: string) => boolean;

/** One request; a POST is tried once at a time, its retries are the client's to decide. */
export type Request = CallInfo & { method: 'GET' | 'POST' | 'PUT'; body?: unknown; peek?: Peek };
/** A call retried as the policy grants: idempotent methods only. */
export type Call = CallInfo & { method: 'GET' | 'PUT'; body?: unknown; peek?: Peek };

/** What a gate learns of an answer: its headers may tell the budget left. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
}

/** Hands a place back; given the answer when one came. */
export type Release = (answer?: Answer) => void;

export interface Gate {
  /** Resolves once the request may go, or rejects with the signal's reason. */
  acquire(signal: AbortSignal | undefined, call: CallInfo): Promise<Release>;
}

export interface Dialect extends ErrorTexts {
  /** What a non-2xx JSON body says went wrong; [] when it says nothing usable. */
  errorProblems(body: unknown): RemoteProblem[];
  /** Problems a 2xx JSON body reports beside its data, which make it a failure. */
  successProblems?(body: unknown): RemoteProblem[] | undefined;
}

export type Attempt =
  | { ok: true; status: number; json: unknown }
  /** `failure` undefined: not worth another try (a malformed body, a refusal). */
  | { ok: false; failure: RetryFailure | undefined; error: RemoteError };

export interface HttpCallerDeps {
  http: HttpOptions;
  /** The mount point, prefixed to every request path. */
  basePath: string;
  gate: Gate;
  clock: Clock;
  retry: RetryPolicy;
  emit: (event: CallEvent) => void;
  dialect: Dialect;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export class HttpCaller {
  readonly #deps: HttpCallerDeps;
  /** The provider's errors with the secret struck out, for the client's own errors too. */
  readonly errors: CallErrors;

  constructor(deps: HttpCallerDeps) {
    this.#deps = deps;
    this.errors = callErrors(deps.dialect, deps.http.token);
  }

  /** GET and PUT: tries until success or the policy gives up; answers the parsed JSON. */
  async call(call: Call, signal?: AbortSignal, stopWaiting?: AbortSignal): Promise<unknown> {
    const waits = eitherSignal(signal, stopWaiting);
    for (let attempt = 1; ; attempt++) {
      const result = await this.#try(call, attempt, signal, waits);
      if (result.ok) return result.json;
      const delay = this.retryDelay(attempt, result.failure, call.method);
      if (delay === undefined) throw result.error;
      await this.#wait(call, delay, attempt, waits);
    }
  }

  /** One try, for a client that retries by its own rules; throws only `ERR_ABORTED`. */
  attempt(
    call: Request,
    attempt: number,
    signal: AbortSignal | undefined,
    stopWaiting?: AbortSignal,
  ): Promise<Attempt> {
    return this.#try(call, attempt, signal, eitherSignal(signal, stopWaiting));
  }

  /** Waits `ms` before another try, or throws `ERR_ABORTED`. */
  backoff(
    call: CallInfo,
    ms: number,
    attempt: number,
    signal?: AbortSignal,
    stopWaiting?: AbortSignal,
  ): Promise<void> {
    return this.#wait(call, ms, attempt, eitherSignal(signal, stopWaiting));
  }

  /** The delay the policy grants after `attempt` failed, if any. */
  retryDelay(
    attempt: number,
    failure: RetryFailure | undefined,
    method: string,
  ): number | undefined {
    return failure === undefined ? undefined : this.#deps.retry(attempt, failure, method);
  }

  /** `signal` ends the request on the wire; `waits` (it, or a stop) ends waits for a place. */
  async #try(
    call: Request,
    attempt: number,
    signal: AbortSignal | undefined,
    waits: AbortSignal | undefined,
  ): Promise<Attempt> {
    const { http, gate, emit, basePath, dialect } = this.#deps;
    let release: Release;
    try {
      release = await gate.acquire(waits, call);
    } catch (reason) {
      throw this.errors.aborted(call, reason);
    }
    let result: ExchangeResult | undefined;
    try {
      emit({ type: 'request', method: call.method, path: call.path, attempt });
      result = await exchange(
        http,
        { method: call.method, path: basePath + call.path, body: call.body },
        signal,
      );
    } finally {
      release(result?.kind === 'response' ? result : undefined);
    }
    if (result.kind === 'aborted') throw this.errors.aborted(call, signal?.reason);
    if (result.kind === 'timeout') {
      const error = this.errors.timeout(call, http.timeoutMs);
      return { ok: false, failure: { kind: 'timeout' }, error };
    }
    if (result.kind === 'network') {
      const error = this.errors.network(call, result.summary, result.code);
      return { ok: false, failure: { kind: 'network', sent: result.sent }, error };
    }
    const { status, text } = result;
    emit({ type: 'response', method: call.method, path: call.path, status, attempt });
    // Twice round the event loop: the started request's own turn (undici writes on one) comes
    // before this parse.
    if (status >= 200 && status < 300 && call.peek?.(text) === true)
      await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    const parsed = parseJson(text);
    if (status >= 200 && status < 300) {
      if (!parsed.ok) return this.#malformed(call, status, 'the body is not JSON');
      const problems = dialect.successProblems?.(parsed.value);
      if (problems !== undefined) {
        return this.#malformed(call, status, 'a success answer carries errors', problems);
      }
      return { ok: true, status, json: parsed.value };
    }
    // A proxy's HTML error page names no problems; the status still says what happened.
    const problems = parsed.ok ? dialect.errorProblems(parsed.value) : [];
    return {
      ok: false,
      failure: { kind: 'status', status },
      error: this.errors.status(status, problems, call),
    };
  }

  #malformed(
    call: CallInfo,
    status: number,
    reason: string,
    problems?: RemoteProblem[],
  ): Attempt & { ok: false } {
    return {
      ok: false,
      failure: undefined,
      error: this.errors.malformed(call, status, reason, problems),
    };
  }

  async #wait(
    call: CallInfo,
    ms: number,
    attempt: number,
    waits: AbortSignal | undefined,
  ): Promise<void> {
    this.#deps.emit({ type: 'retry', method: call.method, path: call.path, attempt, waitMs: ms });
    try {
      await this.#deps.clock.sleep(ms, waits);
    } catch (reason) {
      throw this.errors.aborted(call, reason);
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
