import { Worker } from 'node:worker_threads';
import { SyncError } from '../core/errors.js';
import type { DesiredInput } from '../plan/types.js';
import type { DesiredSummary } from './summary.js';
import { decodeCustomers } from './transfer.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

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

function isReply(value: unknown): value is WorkerReply {
  return typeof value === 'object' && value !== null && 'ok' in value;
}

export interface LoadedInWorker {
  /** Problems, config, rejects written: everything but the customers. */
  summary: DesiredSummary;
  /** The valid customers, ready for the planner. */
  inputs: DesiredInput[];
}

/**
 * `loadDesiredState` + `summarizeDesired` on a worker thread; the calling thread stays free.
 * Aborting `signal` stops the worker (a load started early that turned out not to be needed).
 */
export function loadDesiredInWorker(
  request: WorkerRequest,
  signal?: AbortSignal,
): Promise<LoadedInWorker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: request });
    let settled = false;
    signal?.addEventListener(
      'abort',
      () => {
        if (settled) return;
        settled = true;
        reject(signal.reason);
        void worker.terminate();
      },
      { once: true },
    );
    worker.once('message', (message: unknown) => {
      settled = true;
      if (!isReply(message)) return reject(new Error('the desired-state worker sent no reply'));
      if (!message.ok) {
        const error = new Error(message.message);
        if (message.stack !== undefined) error.stack = message.stack;
        return reject(error);
      }
      const summary: unknown = JSON.parse(message.summaryJson);
      if (!isSummary(summary))
        return reject(new Error('the desired-state worker sent a malformed reply'));
      resolve({ summary, inputs: decodeCustomers(message.customers) });
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled)
        reject(
          new SyncError('ERR_INPUT', `loading the desired state stopped (worker exit ${code})`),
        );
    });
  });
}
