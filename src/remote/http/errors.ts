/**
 * HTTP outcomes as `RemoteError`s with the stable codes of src/core/errors.ts: each names the
 * call, carries the status and the problems the body named, and never the secret. What differs
 * by provider (its name in messages, hints that name its environment variables) comes in as
 * `ErrorTexts`; nothing here knows which provider it speaks for.
 */
import { RemoteError, redact, type RemoteProblem } from '../../core/errors.js';

export interface CallInfo {
  method: string;
  /** Relative to the base URL, with the query, e.g. `/customers/123`. */
  path: string;
}

export type RemoteCode = ConstructorParameters<typeof RemoteError>[0];

/** A non-2xx status: 401/403 auth, 404 not found, 429 rate limited, anything else HTTP. */
export function codeForStatus(status: number): RemoteCode {
  if (status === 401 || status === 403) return 'ERR_REMOTE_AUTH';
  if (status === 404) return 'ERR_REMOTE_NOT_FOUND';
  if (status === 429) return 'ERR_REMOTE_RATE_LIMITED';
  return 'ERR_REMOTE_HTTP';
}

/** A provider's own words in its errors. */
export interface ErrorTexts {
  /** The service as messages name it: "Helcim answered 500 to GET /customers". */
  name: string;
  /** The hint of each code, unless an error brings its own; they name the provider's variables. */
  hints: Partial<Record<RemoteCode, string>>;
}

export interface ErrorExtra {
  status?: number;
  problems?: RemoteProblem[];
  cause?: unknown;
  hint?: string;
}

/** Error builders bound to one provider's texts and one secret, which none of them lets out. */
export interface CallErrors {
  /** Any error about `call`: everything that leaves a client passes through here. */
  build(code: RemoteCode, message: string, call: CallInfo, extra?: ErrorExtra): RemoteError;
  /** A non-2xx answer, with the problems its body named. */
  status(status: number, problems: RemoteProblem[], call: CallInfo): RemoteError;
  /** An answer whose body is not what the contract describes. */
  malformed(
    call: CallInfo,
    status: number,
    reason: string,
    problems?: RemoteProblem[],
  ): RemoteError;
  timeout(call: CallInfo, timeoutMs: number): RemoteError;
  /** `summary` is already redacted (src/remote/http/exchange.ts); `code` is the system's. */
  network(call: CallInfo, summary: string, code: string | undefined): RemoteError;
  /** The caller's signal ended the call; the reason's text is kept, redacted. */
  aborted(call: CallInfo, reason: unknown): RemoteError;
}

function describeProblems(problems: readonly RemoteProblem[]): string {
  return problems
    .map((p) => (p.field === undefined ? p.message : `${p.field}: ${p.message}`))
    .join('; ');
}

export function callErrors(texts: ErrorTexts, secret: string): CallErrors {
  const clean = (text: string): string => redact(text, [secret]);
  const build: CallErrors['build'] = (code, message, call, extra = {}) => {
    const problems = (extra.problems ?? []).map((p) => {
      const problem: RemoteProblem = { message: clean(p.message) };
      if (p.field !== undefined) problem.field = clean(p.field);
      return problem;
    });
    const detail = problems.length > 0 ? `: ${describeProblems(problems)}` : '';
    const options: ConstructorParameters<typeof RemoteError>[2] = {
      method: call.method,
      path: clean(call.path),
      problems,
    };
    if (extra.status !== undefined) options.status = extra.status;
    if (extra.cause !== undefined) options.cause = extra.cause;
    const hint = extra.hint ?? texts.hints[code];
    if (hint !== undefined) options.hint = hint;
    return new RemoteError(code, clean(`${message}${detail}`), options);
  };
  return {
    build,
    status: (status, problems, call) =>
      build(
        codeForStatus(status),
        `${texts.name} answered ${status} to ${call.method} ${call.path}`,
        call,
        { status, problems },
      ),
    malformed: (call, status, reason, problems = []) =>
      build(
        'ERR_REMOTE_RESPONSE',
        `Unexpected answer to ${call.method} ${call.path} (${status}): ${reason}`,
        call,
        { status, problems },
      ),
    timeout: (call, timeoutMs) =>
      build(
        'ERR_REMOTE_TIMEOUT',
        `${call.method} ${call.path} got no answer within ${timeoutMs} ms`,
        call,
      ),
    network: (call, summary, code) =>
      build('ERR_REMOTE_NETWORK', `${call.method} ${call.path} failed: ${summary}`, call, {
        cause: Object.assign(new Error(summary), { code }),
      }),
    aborted: (call, reason) =>
      build('ERR_ABORTED', `${call.method} ${call.path} was cancelled`, call, {
        cause: reason instanceof Error ? new Error(clean(reason.message)) : undefined,
      }),
  };
}
