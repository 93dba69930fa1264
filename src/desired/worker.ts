/**
 * Worker-thread entry: loads the desired state off the main thread, so that a big plan reads
 * Helcim while its files are parsed and validated. The customers travel back packed, as a few
 * strings (see transfer.ts): for 100,000 records that is many times cheaper than the structured
 * clone of the objects.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDesiredState, type DesiredOptions } from './index.js';
import { summarizeDesired, type SummaryOptions } from './summary.js';
import { encodeCustomers, type EncodedCustomers } from './transfer.js';
import { providerInfo } from '../providers/index.js';

export interface WorkerRequest {
  paths: string[];
  options: Pick<DesiredOptions, 'cwd' | 'configPath'>;
  summary: SummaryOptions;
}

export type WorkerReply =
  | { ok: true; summaryJson: string; customers: EncodedCustomers }
  | { ok: false; message: string; stack?: string };

function isRequest(value: unknown): value is WorkerRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    'paths' in value &&
    'options' in value &&
    'summary' in value
  );
}

let reply: WorkerReply;
try {
  if (!isRequest(workerData)) throw new Error('the desired-state worker got no request');
  const state = loadDesiredState(workerData.paths, workerData.options);
  // The customers go packed, from the loaded records themselves: the summary's plain copy of
  // each (100,000 objects) would only be packed and dropped.
  const summary = summarizeDesired({ ...state, customers: [] }, workerData.summary);
  reply = {
    ok: true,
    summaryJson: JSON.stringify(summary),
    customers: encodeCustomers(state.customers, providerInfo(state.config.provider).fields),
  };
} catch (error) {
  reply =
    error instanceof Error
      ? {
          ok: false,
          message: error.message,
          ...(error.stack === undefined ? {} : { stack: error.stack }),
        }
      : { ok: false, message: String(error) };
}
parentPort?.postMessage(reply);
