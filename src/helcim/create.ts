/**
 * A create that happens at most once. Helcim has no idempotency key for customers, so after an
 * ambiguous failure (timeout, dropped connection, 5xx) the customer is looked up by its code
 * before the POST is sent again: found means the earlier try worked. A 429 was refused before
 * any work and is simply re-sent. The service's unique `customerCode` is the backstop: a create
 * that lands late turns the next try into a "duplicate" answer, which is resolved by a lookup.
 */
import type { RemoteCustomer } from '../core/customer.js';
import { RemoteError } from '../core/errors.js';
import type { Caller } from './caller.js';
import { remoteError, type CallInfo } from './errors.js';
import { isDuplicateCode, type HelcimCustomerBody, type Parsed } from './mapping.js';
import { isAmbiguous } from './retry.js';

export interface CreateDeps {
  find: (code: string) => Promise<RemoteCustomer[]>;
  parse: (json: unknown) => Parsed<RemoteCustomer>;
  signal: AbortSignal | undefined;
  stopWaiting?: AbortSignal | undefined;
}

export async function createOnce(
  caller: Caller,
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
  for (let attempt = 1; ; attempt++) {
    if (ambiguous) {
      const found = await lookUp(caller, code, call, deps);
      if (found !== undefined) return found;
    }
    const result = await caller.attempt(call, attempt, deps.signal, deps.stopWaiting);
    if (result.ok) {
      const parsed = deps.parse(result.json);
      if (parsed.ok) return parsed.value;
      throw caller.malformed(call, result.status, parsed.reason).error;
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
      throw remoteError(
        'ERR_REMOTE_CONFLICT',
        `A customer with customerCode "${code}" already exists in Helcim`,
        call,
        {
          status: 400,
          problems: error.problems,
          hint: 'Run plan again: the existing customer will be matched by its code and updated instead.',
        },
        caller.token,
      );
    }
    if (failure !== undefined && isAmbiguous(failure)) ambiguous = true;
    const delay = caller.retryDelay(attempt, failure, 'POST');
    if (delay === undefined) {
      if (ambiguous) {
        const found = await lookUp(caller, code, call, deps);
        if (found !== undefined) return found;
      }
      throw error;
    }
    await caller.backoff(call, delay, attempt, deps.signal, deps.stopWaiting);
  }
}

/** The customer an earlier ambiguous try may have created; failure to tell is its own error. */
async function lookUp(
  caller: Caller,
  code: string,
  call: CallInfo,
  deps: CreateDeps,
): Promise<RemoteCustomer | undefined> {
  try {
    const found = await deps.find(code);
    return found[0];
  } catch (cause) {
    if (cause instanceof RemoteError && cause.code === 'ERR_ABORTED') throw cause;
    throw remoteError(
      'ERR_REMOTE_AMBIGUOUS',
      `Creating customer "${code}" may or may not have happened: the check afterwards failed`,
      call,
      {
        cause,
        hint: 'Run plan again: it lists the customer as existing if the create went through.',
      },
      caller.token,
    );
  }
}
