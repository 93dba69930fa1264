/**
 * The few error classes of helcim-sync. Each has a stable `code` that scripts may match on;
 * messages say what went wrong, where, and what to do. No message ever contains a secret: the
 * remote client redacts its token before building one.
 */

export type ErrorCode =
  | 'ERR_USAGE'
  | 'ERR_INPUT'
  | 'ERR_CONFIG'
  | 'ERR_INSECURE_URL'
  | 'ERR_MISSING_TOKEN'
  | 'ERR_REMOTE_HTTP'
  | 'ERR_REMOTE_AUTH'
  | 'ERR_REMOTE_NOT_FOUND'
  | 'ERR_REMOTE_RATE_LIMITED'
  | 'ERR_REMOTE_NETWORK'
  | 'ERR_REMOTE_TIMEOUT'
  | 'ERR_REMOTE_RESPONSE'
  | 'ERR_REMOTE_AMBIGUOUS'
  | 'ERR_REMOTE_CONFLICT'
  | 'ERR_ABORTED'
  | 'ERR_PLAN'
  | 'ERR_EMULATOR';

export interface ErrorOptions {
  cause?: unknown;
  /** What the user can do about it, printed under the message. */
  hint?: string;
}

/** The base of every error the tool raises knowingly: a stable `code`, and a hint when there is one. */
export class SyncError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** Bad command-line usage: unknown command or option, missing argument. */
export class UsageError extends SyncError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('ERR_USAGE', message, options);
    this.name = 'UsageError';
  }
}

/** A problem in the files a person edits: desired state, config, saved plans. */
export class InputError extends SyncError {
  constructor(
    message: string,
    options: ErrorOptions & { code?: 'ERR_INPUT' | 'ERR_CONFIG' | 'ERR_PLAN' } = {},
  ) {
    super(options.code ?? 'ERR_INPUT', message, options);
    this.name = 'InputError';
  }
}

/** One problem reported by the remote service, normalised from its many shapes. */
export interface RemoteProblem {
  field?: string;
  message: string;
}

export interface RemoteErrorOptions extends ErrorOptions {
  status?: number;
  method?: string;
  /** The request path without query secrets, e.g. `/customers/123`. */
  path?: string;
  problems?: RemoteProblem[];
}

/** A failed call to the remote service (HTTP error, network failure, timeout, bad body). */
export class RemoteError extends SyncError {
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly problems: RemoteProblem[];

  constructor(
    code: Extract<ErrorCode, `ERR_REMOTE_${string}` | 'ERR_ABORTED'>,
    message: string,
    options: RemoteErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'RemoteError';
    this.status = options.status;
    this.method = options.method;
    this.path = options.path;
    this.problems = options.problems ?? [];
  }
}

export function isSyncError(value: unknown): value is SyncError {
  return value instanceof SyncError;
}

/** Replaces every occurrence of each secret in `text`; used on anything that may reach output. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}
