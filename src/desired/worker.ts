/**
 * Worker-thread entry: loads the desired state off the main thread, so that a big plan reads
 * the remote side while its files are parsed and validated. The customers go back as they are
 * validated, a chunk at a time and packed as a few strings (see transfer.ts): for 100,000
 * records that is many times cheaper than the structured clone of the objects, and the planning
 * thread compares each chunk while the rest loads. The config goes first, the summary last.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../load/config-types.js';
import { streamDesiredState, type DesiredOptions } from './index.js';
import { summarizeDesired, type SummaryOptions } from './summary.js';
import { encodeCustomers, type EncodedCustomers } from './transfer.js';
import { providerInfo } from '../providers/index.js';
import type { FieldList } from '../core/fields.js';

export interface WorkerRequest {
  paths: string[];
  options: Pick<DesiredOptions, 'cwd' | 'configPath'>;
  summary: SummaryOptions;
}

/**
 * Records per message. The planning thread keeps every record's values as a slice of its
 * message's text, so that text lives as long as the plan: at 2,000 records it is large enough
 * for V8 to allocate it outside the young generation, where it is never copied. At 500, the
 * young-generation collections of a 100,000-record plan copied it twice and took a third more
 * time.
 */
export const CHUNK = 2000;

export type WorkerMessage =
  | { type: 'config'; config: Pick<Config, 'provider' | 'matchKey' | 'ignore'> }
  | { type: 'customers'; customers: EncodedCustomers }
  | { type: 'done'; ok: true; summaryJson: string; withdrawn: number[] }
  | { type: 'done'; ok: false; message: string; stack?: string };

function isRequest(value: unknown): value is WorkerRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    'paths' in value &&
    'options' in value &&
    'summary' in value
  );
}

function send(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

let reply: WorkerMessage;
try {
  if (!isRequest(workerData)) throw new Error('the desired-state worker got no request');
  let fields: FieldList | undefined;
  const state = streamDesiredState(workerData.paths, workerData.options, {
    chunk: CHUNK,
    config(config) {
      fields = providerInfo(config.provider).fields;
      send({
        type: 'config',
        config: { provider: config.provider, matchKey: config.matchKey, ignore: config.ignore },
      });
    },
    customers(customers) {
      if (fields === undefined) throw new Error('customers before the config');
      send({ type: 'customers', customers: encodeCustomers(customers, fields) });
    },
  });
  const summary = summarizeDesired(state, workerData.summary);
  reply = {
    type: 'done',
    ok: true,
    summaryJson: JSON.stringify(summary),
    withdrawn: state.withdrawn,
  };
} catch (error) {
  reply =
    error instanceof Error
      ? {
          type: 'done',
          ok: false,
          message: error.message,
          ...(error.stack === undefined ? {} : { stack: error.stack }),
        }
      : { type: 'done', ok: false, message: String(error) };
}
send(reply);
