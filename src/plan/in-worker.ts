import { Worker } from 'node:worker_threads';
import type { RemoteCustomer } from '../core/customer.js';
import { SyncError } from '../core/errors.js';
import type { DesiredSummary } from '../desired/summary.js';
import type { FetchInfo, Plan } from './types.js';
import type { FromWorker, ToWorker, WorkerPlanOptions, WorkerRequest } from './worker.js';

/**
 * A planner on another thread (see plan/worker.ts) that is loading the desired state: it takes
 * the plan's options and the listed pages, and plans once the records are all in. `ready`
 * resolves once they are: true to go on, false when the files had errors (the run stops).
 */
export interface PlannerElsewhere {
  readonly ready: Promise<boolean>;
  start(options: WorkerPlanOptions): void;
  add(customers: readonly RemoteCustomer[]): void;
  finish(fetch: FetchInfo): Promise<Plan>;
}

/** Our own worker's reply: checked shallowly, since it was made by `summarizeDesired`. */
function isSummary(value: unknown): value is DesiredSummary {
  return (
    typeof value === 'object' &&
    value !== null &&
    'customers' in value &&
    Array.isArray(value.customers) &&
    'problems' in value &&
    Array.isArray(value.problems) &&
    'fatal' in value &&
    Array.isArray(value.fatal) &&
    'config' in value &&
    'rejectsWritten' in value
  );
}

function isMessage(value: unknown): value is FromWorker {
  return typeof value === 'object' && value !== null && 'type' in value;
}

function workerError(message: Extract<FromWorker, { type: 'failed' }>): Error {
  const error = new Error(message.message);
  if (message.stack !== undefined) error.stack = message.stack;
  return error;
}

/**
 * The desired state loading, then planned, on a worker thread (plan/worker.ts); the calling
 * thread stays free to read the remote side. `loaded` resolves to the summary of the files
 * (problems, config, rejects written; the customers stay on the worker). Then `planner(go)`
 * is the `PlannerElsewhere` to plan with: `go` says, from the summary, whether to go on.
 *
 * Aborting `signal`, or `close`, stops the worker (a load started early that turned out not to
 * be needed, or a run that stopped).
 */
export class PlanningWorker {
  readonly loaded: Promise<DesiredSummary>;
  readonly #worker: Worker;
  #planned: { resolve(plan: Plan): void; reject(error: unknown): void } | undefined;
  #error: unknown;
  #closed = false;

  constructor(request: WorkerRequest, signal?: AbortSignal) {
    this.#worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: request });
    let loaded: { resolve(summary: DesiredSummary): void; reject(error: unknown): void };
    this.loaded = new Promise((resolve, reject) => (loaded = { resolve, reject }));
    // Whoever uses it handles its outcome; a load stopped before that is no unhandled error.
    this.loaded.catch(() => undefined);
    let summarized = false;
    const fail = (error: unknown): void => {
      if (this.#error !== undefined) return;
      this.#error = error;
      if (!summarized) loaded.reject(error);
      this.#planned?.reject(error);
      this.close();
    };
    signal?.addEventListener('abort', () => fail(signal.reason), { once: true });
    this.#worker.on('message', (message: unknown) => {
      if (!isMessage(message)) return fail(new Error('the planning worker sent no reply'));
      if (message.type === 'failed') return fail(workerError(message));
      if (message.type === 'plan') {
        const planned = this.#planned;
        this.#planned = undefined;
        planned?.resolve(message.plan);
        return this.close();
      }
      const summary: unknown = JSON.parse(message.summaryJson);
      if (!isSummary(summary))
        return fail(new Error('the planning worker sent a malformed summary'));
      summarized = true;
      loaded.resolve(summary);
    });
    this.#worker.once('error', (error) => fail(error));
    this.#worker.once('exit', (code) => {
      if (!this.#closed)
        fail(new SyncError('ERR_INPUT', `loading the desired state stopped (worker exit ${code})`));
    });
  }

  /** The planner on the worker; `go` reads the summary and says whether to plan at all. */
  planner(go: (summary: DesiredSummary) => boolean): PlannerElsewhere {
    return {
      ready: this.loaded.then((summary) => {
        const ok = go(summary);
        if (!ok) this.close();
        return ok;
      }),
      start: (options: WorkerPlanOptions) => this.#post({ type: 'plan', options }),
      add: (customers: readonly RemoteCustomer[]) => this.#post({ type: 'page', customers }),
      finish: (fetch: FetchInfo) =>
        new Promise<Plan>((resolve, reject) => {
          if (this.#error !== undefined) return reject(this.#error);
          if (this.#closed) return reject(new Error('the planning worker was stopped'));
          this.#planned = { resolve, reject };
          this.#post({ type: 'finish', fetch });
        }),
    };
  }

  #post(message: ToWorker): void {
    if (!this.#closed) this.#worker.postMessage(message);
  }

  /** Stops the worker; nothing it would still send is read. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.#worker.terminate();
  }
}
