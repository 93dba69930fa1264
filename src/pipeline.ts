/**
 * The whole sync for programs, stage by stage: load the desired state, fetch the remote side,
 * plan, then apply. The CLI is a thin layer over these functions.
 */
import type { DesiredCustomer } from './desired/index.js';
import { SyncError } from './core/errors.js';
import { streamRemote, type FetchStrategy } from './fetch/fetch.js';
import type { Config } from './load/config-types.js';
import { textOf } from './core/customer.js';
import { providerInfo } from './providers/index.js';
import { Planner } from './plan/plan.js';
import type { PlannerElsewhere } from './plan/in-worker.js';
import type { Plan, RateLimits } from './plan/types.js';
import type { CustomerRemote } from './remote/port.js';

import { remoteNormalizer, toDesiredInput } from './plan/inputs.js';

export { formatSource } from './load/types.js';
export { remoteNormalizer, toDesiredInput } from './plan/inputs.js';

export interface PlanSyncOptions {
  config: Pick<Config, 'matchKey' | 'ignore'>;
  fetch?: FetchStrategy;
  accountSizeHint?: number;
  /** See `ReadChoice.probe`. */
  probe?: boolean;
  /** See `ReadChoice.accountSizeAtLeast`. */
  accountSizeAtLeast?: number;
  limits?: RateLimits;
  includeUnchanged?: boolean;
  signal?: AbortSignal;
  onFetchProgress?: (fetched: number) => void;
}

/**
 * Fetches what the plan needs, the cheapest way, and plans. Each page of remote customers is
 * compared as it arrives, while the next is on its way, and then let go: the plan keeps only
 * what it reports.
 */
export async function planSync(
  desired: readonly Pick<DesiredCustomer, 'key' | 'data' | 'place' | 'clear'>[],
  remote: CustomerRemote,
  options: PlanSyncOptions,
): Promise<Plan> {
  const provider = providerInfo(remote.provider);
  const codes: string[] = [];
  let withoutCode = false;
  for (const c of desired) {
    const code = textOf(c.data[provider.fields.identity]);
    if (code === undefined) withoutCode = true;
    else codes.push(code);
  }
  const matchKey = options.config.matchKey;
  const planner = new Planner(
    desired.map(toDesiredInput),
    {
      provider: remote.provider,
      ...(remote.livemode === undefined ? {} : { livemode: remote.livemode }),
      matchKey: options.config.matchKey,
      ignore: options.config.ignore,
      readCost: remote.cost,
      ...(options.accountSizeHint === undefined
        ? {}
        : { accountSizeHint: options.accountSizeHint }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.includeUnchanged === undefined
        ? {}
        : { includeUnchanged: options.includeUnchanged }),
    },
    // The planner normalises a customer only where that can change the plan.
    { normalize: remoteNormalizer(provider) },
  );
  const info = await streamRemote(
    remote,
    {
      strategy: options.fetch ?? 'auto',
      codes,
      ...(withoutCode ? { listingNeededFor: matchKey } : {}),
      accountSizeHint: options.accountSizeHint,
      accountSizeAtLeast: options.accountSizeAtLeast,
      probe: options.probe,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onFetchProgress === undefined ? {} : { onProgress: options.onFetchProgress }),
    },
    (customers) => planner.add(customers),
  );
  return planner.finish(info);
}

/**
 * `planSync` for a desired state still being loaded, and planned, elsewhere: the account is
 * listed meanwhile and each page handed on as it arrives. Only for a listing, which needs
 * nothing of the desired records to start. Resolves to undefined, having stopped reading, when
 * the files had errors: those are reported before any error of the fetch.
 */
export async function planSyncWhileLoading(
  planner: PlannerElsewhere,
  remote: CustomerRemote,
  options: Omit<
    PlanSyncOptions,
    'config' | 'fetch' | 'accountSizeHint' | 'probe' | 'accountSizeAtLeast'
  >,
): Promise<Plan | undefined> {
  const stop = new AbortController();
  const signal =
    options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]);
  planner.start({
    provider: remote.provider,
    ...(remote.livemode === undefined ? {} : { livemode: remote.livemode }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.includeUnchanged === undefined
      ? {}
      : { includeUnchanged: options.includeUnchanged }),
  });
  const fetching = streamRemote(
    remote,
    {
      strategy: 'list',
      codes: [],
      signal,
      ...(options.onFetchProgress === undefined ? {} : { onProgress: options.onFetchProgress }),
    },
    (customers) => planner.add(customers),
  );
  // Until the desired state is in, a failed fetch has to wait for it to be reported; an
  // interrupt does not: a person who pressed Ctrl-C is not kept waiting for the files.
  fetching.catch(() => undefined);
  let ready;
  try {
    ready = await untilAborted(planner.ready, options.signal);
  } catch (error) {
    stop.abort(error);
    await fetching.catch(() => undefined);
    throw error;
  }
  if (!ready) {
    stop.abort(new Error('the desired state has errors'));
    await fetching.catch(() => undefined);
    return undefined;
  }
  return planner.finish(await fetching);
}

/**
 * `promise`, or, as soon as `signal` aborts, the `ERR_ABORTED` a cancelled request raises (which
 * the CLI reports as an interrupt before any change), whichever comes first.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  const aborted = (): SyncError =>
    new SyncError('ERR_ABORTED', 'the plan was interrupted while the files loaded', {
      cause: signal.reason,
    });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
