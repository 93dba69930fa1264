/**
 * Payment Kit's HTTP outcomes as `RemoteError`s with the stable codes of src/core/errors.ts:
 * each names the call, carries the status and the body's `error` text, and never the key.
 */
import type { RemoteProblem } from '../../../core/errors.js';
import { RemoteError, redact } from '../../../core/errors.js';
import { codeForStatus } from '../../helcim/client/errors.js';
import { PAYMENT_KIT_KEY_ENV, PAYMENT_KIT_URL_ENV } from './config.js';

export interface CallInfo {
  method: string;
  /** Relative to the base URL, with the query, e.g. `/api/customers/cus_1?livemode=true`. */
  path: string;
}

type RemoteCode = ConstructorParameters<typeof RemoteError>[0];

const HINTS: Partial<Record<RemoteCode, string>> = {
  ERR_REMOTE_AUTH: `Check ${PAYMENT_KIT_KEY_ENV}: it must be an access key of the app, allowed to read and update customers.`,
  ERR_REMOTE_RATE_LIMITED:
    'Payment Kit asked the client to slow down; wait a little and run again.',
  ERR_REMOTE_NETWORK: `Check the network connection and ${PAYMENT_KIT_URL_ENV}, then run again.`,
  ERR_REMOTE_TIMEOUT: 'Payment Kit did not answer in time; run again.',
};

/** Everything that leaves the client passes through here with the key struck out. */
export function remoteError(
  code: RemoteCode,
  message: string,
  call: CallInfo,
  extra: { status?: number; problems?: RemoteProblem[]; cause?: unknown; hint?: string },
  key: string,
): RemoteError {
  const problems = (extra.problems ?? []).map((p) => {
    const clean: RemoteProblem = { message: redact(p.message, [key]) };
    if (p.field !== undefined) clean.field = redact(p.field, [key]);
    return clean;
  });
  const detail = problems.length > 0 ? `: ${problems.map((p) => p.message).join('; ')}` : '';
  const options: ConstructorParameters<typeof RemoteError>[2] = {
    method: call.method,
    path: redact(call.path, [key]),
    problems,
  };
  if (extra.status !== undefined) options.status = extra.status;
  if (extra.cause !== undefined) options.cause = extra.cause;
  const hint = extra.hint ?? HINTS[code];
  if (hint !== undefined) options.hint = hint;
  return new RemoteError(code, redact(`${message}${detail}`, [key]), options);
}

/** A non-2xx answer: 401/403 auth, 404 not found, 429 rate limited, anything else HTTP. */
export function statusError(
  status: number,
  problems: RemoteProblem[],
  call: CallInfo,
  key: string,
): RemoteError {
  return remoteError(
    codeForStatus(status),
    `Payment Kit answered ${status} to ${call.method} ${call.path}`,
    call,
    { status, problems },
    key,
  );
}

/** The caller's signal ended the call; the reason's text is kept, redacted. */
export function abortedError(call: CallInfo, reason: unknown, key: string): RemoteError {
  const cause = reason instanceof Error ? new Error(redact(reason.message, [key])) : undefined;
  return remoteError(
    'ERR_ABORTED',
    `${call.method} ${call.path} was cancelled`,
    call,
    { cause },
    key,
  );
}

/** A 200 whose body is not what the contract describes. */
export function malformedError(
  call: CallInfo,
  status: number,
  reason: string,
  key: string,
): RemoteError {
  return remoteError(
    'ERR_REMOTE_RESPONSE',
    `Unexpected answer to ${call.method} ${call.path} (${status}): ${reason}`,
    call,
    { status },
    key,
  );
}

/** Whether `error` is Payment Kit's "no such customer" (an unknown id or DID). */
export function isNotFound(error: unknown): error is RemoteError {
  return error instanceof RemoteError && error.code === 'ERR_REMOTE_NOT_FOUND';
}
