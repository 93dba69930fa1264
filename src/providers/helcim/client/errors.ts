/** HTTP outcomes → `RemoteError`s with stable codes, messages that name the call, no secrets. */
import type { RemoteProblem } from '../../../core/errors.js';
import { RemoteError, redact } from '../../../core/errors.js';
import { TOKEN_ENV } from './config.js';

export interface CallInfo {
  method: string;
  /** Relative to the base URL, e.g. `/customers/123`. */
  path: string;
}

type RemoteCode = ConstructorParameters<typeof RemoteError>[0];

export function codeForStatus(status: number): RemoteCode {
  if (status === 401 || status === 403) return 'ERR_REMOTE_AUTH';
  if (status === 404) return 'ERR_REMOTE_NOT_FOUND';
  if (status === 429) return 'ERR_REMOTE_RATE_LIMITED';
  return 'ERR_REMOTE_HTTP';
}

const HINTS: Partial<Record<RemoteCode, string>> = {
  ERR_REMOTE_AUTH: `Check ${TOKEN_ENV}: it must be an API token of the account, with permission to read and write customers.`,
  ERR_REMOTE_RATE_LIMITED:
    'The account ran out of its request budget (other clients may share it); wait a minute and run again.',
  ERR_REMOTE_NETWORK: 'Check the network connection and HELCIM_API_URL, then run again.',
  ERR_REMOTE_TIMEOUT:
    'The service did not answer in time; run again (a timed-out create is checked before it is repeated).',
};

function describeProblems(problems: readonly RemoteProblem[]): string {
  return problems
    .map((p) => (p.field === undefined ? p.message : `${p.field}: ${p.message}`))
    .join('; ');
}

/** Everything that leaves the client passes through here with the token struck out. */
export function remoteError(
  code: RemoteCode,
  message: string,
  call: CallInfo,
  extra: { status?: number; problems?: RemoteProblem[]; cause?: unknown; hint?: string },
  token: string,
): RemoteError {
  const problems = (extra.problems ?? []).map((p) => {
    const clean: RemoteProblem = { message: redact(p.message, [token]) };
    if (p.field !== undefined) clean.field = redact(p.field, [token]);
    return clean;
  });
  const detail = problems.length > 0 ? `: ${describeProblems(problems)}` : '';
  const options: ConstructorParameters<typeof RemoteError>[2] = {
    method: call.method,
    path: redact(call.path, [token]),
    problems,
  };
  if (extra.status !== undefined) options.status = extra.status;
  if (extra.cause !== undefined) options.cause = extra.cause;
  const hint = extra.hint ?? HINTS[code];
  if (hint !== undefined) options.hint = hint;
  return new RemoteError(code, redact(`${message}${detail}`, [token]), options);
}

export function statusError(
  status: number,
  problems: RemoteProblem[],
  call: CallInfo,
  token: string,
): RemoteError {
  return remoteError(
    codeForStatus(status),
    `Helcim answered ${status} to ${call.method} ${call.path}`,
    call,
    { status, problems },
    token,
  );
}

export function abortedError(call: CallInfo, reason: unknown, token: string): RemoteError {
  const cause = reason instanceof Error ? new Error(redact(reason.message, [token])) : undefined;
  return remoteError(
    'ERR_ABORTED',
    `${call.method} ${call.path} was cancelled`,
    call,
    { cause },
    token,
  );
}
