/**
 * Helcim's side of the shared caller (src/remote/http/caller.ts): its pacer as the gate, fed the
 * budget each answer's headers report, and its dialect (errors.ts).
 */
import type { Clock } from '../../../core/clock.js';
import {
  HttpCaller,
  type Answer,
  type Attempt,
  type CallEvent,
  type Gate,
} from '../../../remote/http/caller.js';
import type { CallInfo } from '../../../remote/http/errors.js';
import { intHeader, type HttpOptions } from '../../../remote/http/exchange.js';
import type { RetryPolicy } from '../../../remote/http/retry.js';
import { HELCIM_DIALECT } from './errors.js';
import type { Pacer, ResponseBudget } from './pacer.js';

/** The shared events, and the pacer's waits for a window to free a place. */
export interface HelcimEvent extends Omit<CallEvent, 'type'> {
  type: CallEvent['type'] | 'wait';
}

export interface CallerDeps {
  http: HttpOptions;
  basePath: string;
  pacer: Pacer;
  clock: Clock;
  retry: RetryPolicy;
  emit: (event: HelcimEvent) => void;
}

/** Other clients on the account show up only in these headers; the pacer reconciles them. */
function budgetOf(answer: Answer): ResponseBudget {
  return {
    minuteRemaining: intHeader(answer.headers, 'minute-limit-remaining'),
    hourRemaining: intHeader(answer.headers, 'hour-limit-remaining'),
    rateLimited: answer.status === 429,
  };
}

function pacerGate(pacer: Pacer): Gate {
  return {
    async acquire(signal, call) {
      const slot = await pacer.acquire(signal, call);
      return (answer) => slot.release(answer && budgetOf(answer));
    },
  };
}

export class Caller extends HttpCaller {
  constructor({ pacer, ...deps }: CallerDeps) {
    super({ ...deps, gate: pacerGate(pacer), dialect: HELCIM_DIALECT });
  }

  /** `errors.malformed` as a failed attempt: the client throws its `error`. */
  malformed(call: CallInfo, status: number, reason: string): Attempt & { ok: false } {
    return { ok: false, failure: undefined, error: this.errors.malformed(call, status, reason) };
  }
}
