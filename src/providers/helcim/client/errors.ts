/**
 * How Helcim's errors read, for the shared caller (src/remote/http): its name, hints that name
 * its variables, and its `errors` member in whichever of its three shapes (see mapping.ts).
 */
import type { Dialect } from '../../../remote/http/caller.js';
import { TOKEN_ENV } from './config.js';
import { isRecord, problemsOf } from './mapping.js';

export const HELCIM_DIALECT: Dialect = {
  name: 'Helcim',
  hints: {
    ERR_REMOTE_AUTH: `Check ${TOKEN_ENV}: it must be an API token of the account, with permission to read and write customers.`,
    ERR_REMOTE_RATE_LIMITED:
      'The account ran out of its request budget (other clients may share it); wait a minute and run again.',
    ERR_REMOTE_NETWORK: 'Check the network connection and HELCIM_API_URL, then run again.',
    ERR_REMOTE_TIMEOUT:
      'The service did not answer in time; run again (a timed-out create is checked before it is repeated).',
  },
  errorProblems(body) {
    const problems = problemsOf(body) ?? [];
    // A body without `errors` may still say what went wrong in `message`.
    if (problems.length === 0 && isRecord(body)) {
      const message = body['message'];
      if (typeof message === 'string') problems.push({ message });
    }
    return problems;
  },
  // A 2xx that carries `errors` did not do what was asked: it is not taken as a success.
  successProblems: problemsOf,
};
