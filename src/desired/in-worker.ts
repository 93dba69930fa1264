import { Worker } from 'node:worker_threads';
import { SyncError } from '../core/errors.js';
import type { Config } from '../load/config-types.js';
import type { DesiredBatch } from '../plan/types.js';
import type { DesiredSummary } from './summary.js';
import { decodeBatch } from './transfer.js';
import type { WorkerMessage, WorkerRequest } from './worker.js';

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

function isMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && 'type' in value;
}

export type DesiredConfig = Pick<Config, 'provider' | 'matchKey' | 'ignore'>;

/** Where the customers go as they are loaded (see `loadDesiredInWorker`). */
export interface DesiredHandlers {
  /** The config, before any customer. */
  config(config: DesiredConfig): void;
  /** Valid customers so far, in input order, a chunk at a time. */
  customers(customers: DesiredBatch): void;
}

export interface LoadedInWorker {
  /** Problems, config, rejects written: everything but the customers, which went to handlers. */
  summary: DesiredSummary;
  /**
   * Of the customers handed to the handlers, in the order given, those found invalid after all
   * (see `StreamedState.withdrawn`).
   */
  withdrawn: number[];
}

/**
 * `loadDesiredState` + `summarizeDesired` on a worker thread; the calling thread stays free. The
 * customers go to `handlers` as they are validated, a chunk at a time, while the rest loads.
 * Aborting `signal` stops the worker (a load started early that turned out not to be needed).
 */
export function loadDesiredInWorker(
  request: WorkerRequest,
  signal: AbortSignal | undefined,
  handlers: DesiredHandlers,
): Promise<LoadedInWorker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: request });
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      reject(error);
      void worker.terminate();
    };
    signal?.addEventListener('abort', () => fail(signal.reason), { once: true });
    worker.on('message', (message: unknown) => {
      if (settled) return;
      if (!isMessage(message)) return fail(new Error('the desired-state worker sent no reply'));
      try {
        if (message.type === 'config') return handlers.config(message.config);
        if (message.type === 'customers') return handlers.customers(decodeBatch(message.customers));
      } catch (error) {
        return fail(error);
      }
      settled = true;
      if (!message.ok) {
        const error = new Error(message.message);
        if (message.stack !== undefined) error.stack = message.stack;
        return reject(error);
      }
      const summary: unknown = JSON.parse(message.summaryJson);
      if (!isSummary(summary))
        return reject(new Error('the desired-state worker sent a malformed reply'));
      resolve({ summary, withdrawn: message.withdrawn });
    });
    worker.once('error', (error) => fail(error));
    worker.once('exit', (code) => {
      if (!settled)
        fail(new SyncError('ERR_INPUT', `loading the desired state stopped (worker exit ${code})`));
    });
  });
}

/**
 * Handlers that keep what arrives until someone attaches (the planner, which needs the remote
 * side's client before it can start), then pass everything on as it comes.
 */
export class DesiredRelay implements DesiredHandlers {
  #config: DesiredConfig | undefined;
  #queued: DesiredBatch[] = [];
  #target: DesiredHandlers | undefined;

  config(config: DesiredConfig): void {
    if (this.#target === undefined) this.#config = config;
    else this.#target.config(config);
  }

  customers(customers: DesiredBatch): void {
    if (this.#target === undefined) this.#queued.push(customers);
    else this.#target.customers(customers);
  }

  /** Hands over what has arrived so far, in order, then whatever comes later. */
  attach(target: DesiredHandlers): void {
    this.#target = target;
    if (this.#config !== undefined) target.config(this.#config);
    const queued = this.#queued;
    this.#queued = [];
    for (const customers of queued) target.customers(customers);
  }
}
