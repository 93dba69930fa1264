/**
 * How Payment Kit's errors read, for the shared caller (src/remote/http): its name, hints that
 * name its variables, and the `error` text of its bodies.
 */
import { RemoteError } from '../../../core/errors.js';
import type { Dialect } from '../../../remote/http/caller.js';
import { PAYMENT_KIT_KEY_ENV, PAYMENT_KIT_URL_ENV } from './config.js';
import { problemsOf } from './mapping.js';

export const PAYMENT_KIT_DIALECT: Dialect = {
  name: 'Payment Kit',
  hints: {
    ERR_REMOTE_AUTH: `Check ${PAYMENT_KIT_KEY_ENV}: it must be an access key of the app, allowed to read and update customers.`,
    ERR_REMOTE_RATE_LIMITED:
      'Payment Kit asked the client to slow down; wait a little and run again.',
    ERR_REMOTE_NETWORK: `Check the network connection and ${PAYMENT_KIT_URL_ENV}, then run again.`,
    ERR_REMOTE_TIMEOUT: 'Payment Kit did not answer in time; run again.',
  },
  errorProblems: problemsOf,
  // No `successProblems`: the contract has no errors beside data, a 2xx body is judged by parsing.
};

/** Whether `error` is Payment Kit's "no such customer" (an unknown id or DID). */
export function isNotFound(error: unknown): error is RemoteError {
  return error instanceof RemoteError && error.code === 'ERR_REMOTE_NOT_FOUND';
}
