/**
 * A create that happens at most once. Helcim has no idempotency key for customers, so after an
 * ambiguous failure the customer is looked up by its code before anything else: found means the
 * earlier try worked. A POST is sent again only when the earlier one is known to be over: a 429
 * (refused before any work), or the server's own 500/503 followed by a lookup that finds
 * nothing. A POST that got no answer at all (a timeout, a dropped connection, a gateway's 5xx)
 * may still land later; it is never sent again in the same run, whether or not Helcim would
 * refuse a duplicate code (unverified): the record is reported as in doubt, and the next plan
 * sees whether it landed.
 */
import type { RemoteCustomer } from '../../../core/customer.js';
import { RemoteError } from '../../../core/errors.js';
import type { HttpCaller } from '../../../remote/http/caller.js';
import type { CallInfo } from '../../../remote/http/errors.js';
import { isAmbiguous, type RetryFailure } from '../../../remote/http/retry.js';
import { isDuplicateCode, type HelcimCustomerBody, type Parsed } from './mapping.js';

export interface CreateDeps {
  find: (code: string) => Promise<RemoteCustomer[]>;
  parse: (json: unknown) => Parsed<RemoteCustomer>;
  signal: AbortSignal | undefined;
  stopWaiting?: AbortSignal | undefined;
}

export async function createOnce(
  caller: HttpCaller,
  code: string,
  body: HelcimCustomerBody,
  deps: CreateDeps,
): Promise<RemoteCustomer> {
  const call: CallInfo & { method: 'POST'; body: unknown } = {
    method: 'POST',
    path: '/customers',
    body,
  };
  let ambiguous = false;
  let inDoubt = false;
  for (let attempt = 1; ; attempt++) {
    if (ambiguous) {
      const found = await lookUp(caller, code, call, deps);
      if (found !== undefined) return found;
      // Not there yet is not "never": an unanswered request may still be carried out, and a
      // second POST would then make a duplicate that cannot be deleted. The next run sees it.
      if (inDoubt) throw stillInDoubt(caller, code, call);
    }
    const result = await caller.attempt(call, attempt, deps.signal, deps.stopWaiting);
    if (result.ok) {
      const parsed = deps.parse(result.json);
      if (parsed.ok) return parsed.value;
      throw caller.errors.malformed(call, result.status, parsed.reason);
    }
    const { failure, error } = result;
    if (
      failure?.kind === 'status' &&
      failure.status === 400 &&
      isDuplicateCode(error.problems, code)
    ) {
      if (ambiguous) {
        const found = await lookUp(caller, code, call, deps);
        if (found !== undefined) return found;
      }
      throw caller.errors.build(
        'ERR_REMOTE_CONFLICT',
        `A customer with customerCode "${code}" already exists in Helcim`,
        call,
        {
          status: 400,
          problems: error.problems,
          hint: 'Run plan again: the existing customer will be matched by its code and updated instead.',
        },
      );
    }
    if (failure !== undefined && isAmbiguous(failure)) ambiguous = true;
    if (failure !== undefined && mayStillLand(failure)) inDoubt = true;
    const delay = caller.retryDelay(attempt, failure, 'POST');
    if (delay === undefined) {
      if (ambiguous) {
        const found = await lookUp(caller, code, call, deps);
        if (found !== undefined) return found;
        if (inDoubt) throw stillInDoubt(caller, code, call);
      }
      throw error;
    }
    await caller.backoff(call, delay, attempt, deps.signal, deps.stopWaiting);
  }
}

/**
 * Whether a request that failed this way may still be carried out after the failure: it was
 * sent and no answer came back (a timeout, a dropped connection), or a gateway gave up on the
 * server while the server itself may still be at work (502, 504, Cloudflare's 522). A 500 or 503
 * is the server's own answer: the request is over, and a lookup tells whether it was done.
 */
export function mayStillLand(failure: RetryFailure): boolean {
  if (failure.kind === 'timeout') return true;
  if (failure.kind === 'network') return failure.sent;
  return failure.status === 502 || failure.status === 504 || failure.status === 522;
}

function stillInDoubt(caller: HttpCaller, code: string, call: CallInfo): RemoteError {
  return caller.errors.build(
    'ERR_REMOTE_AMBIGUOUS',
    `Creating customer "${code}" got no answer and the customer is not in Helcim yet; the request may still be carried out, so it was not sent again`,
    call,
    {
      hint: 'Run plan again in a few minutes: it shows the customer if the create went through, and creates it otherwise.',
    },
  );
}

/** The customer an earlier ambiguous try may have created; failure to tell is its own error. */
async function lookUp(
  caller: HttpCaller,
  code: string,
  call: CallInfo,
  deps: CreateDeps,
): Promise<RemoteCustomer | undefined> {
  try {
    const found = await deps.find(code);
    return found[0];
  } catch (cause) {
    if (cause instanceof RemoteError && cause.code === 'ERR_ABORTED') throw cause;
    throw caller.errors.build(
      'ERR_REMOTE_AMBIGUOUS',
      `Creating customer "${code}" may or may not have happened: the check afterwards failed`,
      call,
      {
        cause,
        hint: 'Run plan again: it lists the customer as existing if the create went through.',
      },
    );
  }
}
