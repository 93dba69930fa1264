/**
 * Worker-thread entry: loads the desired state, then plans it against the remote pages the
 * planning thread sends. A big plan reads the remote side while its files are parsed and
 * validated, and its records never cross a thread: only the listed pages come in (plain
 * objects, cloned by the message) and the plan goes out. The records are all in before the first page is read here (the load
 * is synchronous and messages wait for it), so every listed customer is compared at once.
 *
 * Messages in: `plan` (options, before any page), `page`... , `finish`. Out: `loaded` (the
 * summary: the calling thread decides whether to go on), then `plan` or `failed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RemoteCustomer } from '../core/customer.js';
import { streamDesiredState, type DesiredOptions } from '../desired/index.js';
import { summarizeDesired, type SummaryOptions } from '../desired/summary.js';
import { remoteNormalizer, toDesiredInput } from './inputs.js';
import { providerInfo } from '../providers/index.js';
import { Planner, type PlanOptions } from './plan.js';
import type { DesiredInput, FetchInfo, Plan } from './types.js';

export interface WorkerRequest {
  paths: string[];
  options: Pick<DesiredOptions, 'cwd' | 'configPath'>;
  summary: SummaryOptions;
}

/** What the planning thread knows of the plan: the rest (match key, ignore) is the config's. */
export type WorkerPlanOptions = Pick<
  PlanOptions,
  'provider' | 'livemode' | 'limits' | 'includeUnchanged'
>;

export type ToWorker =
  | { type: 'plan'; options: WorkerPlanOptions }
  | { type: 'page'; customers: readonly RemoteCustomer[] }
  | { type: 'finish'; fetch: FetchInfo };

export type FromWorker =
  | { type: 'loaded'; summaryJson: string }
  | { type: 'plan'; plan: Plan }
  | { type: 'failed'; message: string; stack?: string };

/**
 * Records per validated chunk: the raw rows of a chunk are let go once it is validated, so a
 * CSV of 100,000 rows is never held whole beside its customers.
 */
const CHUNK = 500;

function isRequest(value: unknown): value is WorkerRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    'paths' in value &&
    'options' in value &&
    'summary' in value
  );
}

function isMessage(value: unknown): value is ToWorker {
  return typeof value === 'object' && value !== null && 'type' in value;
}

function send(message: FromWorker): void {
  parentPort?.postMessage(message);
}

function failed(error: unknown): FromWorker {
  if (!(error instanceof Error)) return { type: 'failed', message: String(error) };
  return {
    type: 'failed',
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
  };
}

/** Loads the files: the valid records, as the planner takes them, and the config's match. */
function load(): { inputs: DesiredInput[]; config: { matchKey: string; ignore: string[] } } {
  if (!isRequest(workerData)) throw new Error('the planning worker got no request');
  const handed: DesiredInput[] = [];
  const state = streamDesiredState(workerData.paths, workerData.options, {
    chunk: CHUNK,
    customers(customers) {
      for (const c of customers) handed.push(toDesiredInput(c));
    },
  });
  const summary = summarizeDesired(state, workerData.summary);
  send({ type: 'loaded', summaryJson: JSON.stringify(summary) });
  const withdrawn = new Set(state.withdrawn);
  const inputs = withdrawn.size === 0 ? handed : handed.filter((_, i) => !withdrawn.has(i));
  return { inputs, config: summary.config };
}

try {
  const { inputs, config } = load();
  let planner: Planner | undefined;
  parentPort?.on('message', (message: unknown) => {
    try {
      if (!isMessage(message)) throw new Error('the planning worker got a malformed message');
      if (message.type === 'plan') {
        const provider = providerInfo(message.options.provider);
        planner = new Planner(
          inputs,
          {
            ...message.options,
            matchKey: config.matchKey,
            ignore: config.ignore,
            // The listing is the provider's own client, which reads at the provider's cost.
            readCost: provider.cost,
          },
          // The planner normalises a customer only where that can change the plan.
          { normalize: remoteNormalizer(provider) },
        );
      } else if (planner === undefined) {
        throw new Error(`the planning worker got "${message.type}" before "plan"`);
      } else if (message.type === 'page') {
        planner.add(message.customers);
      } else {
        send({ type: 'plan', plan: planner.finish(message.fetch) });
      }
    } catch (error) {
      send(failed(error));
    }
  });
} catch (error) {
  send(failed(error));
}
