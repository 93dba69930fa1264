/**
 * The whole sync for programs, stage by stage: load the desired state, fetch the remote side,
 * plan, then apply. The CLI is a thin layer over these functions.
 */
import type { CustomerData, RemoteCustomer } from './core/customer.js';
import type { DesiredCustomer } from './desired/index.js';
import type { DesiredConfig, DesiredHandlers } from './desired/in-worker.js';
import { streamRemote, type FetchStrategy } from './fetch/fetch.js';
import type { Config } from './load/config-types.js';
import { formatSource } from './load/types.js';
import { textOf } from './core/customer.js';
import { providerInfo } from './providers/index.js';
import type { ProviderInfo } from './providers/types.js';
import { Planner } from './plan/plan.js';
import type { DesiredBatch, DesiredInput, Plan, RateLimits } from './plan/types.js';
import type { CustomerRemote } from './remote/port.js';

export { formatSource } from './load/types.js';

export function toDesiredInput(
  customer: Pick<DesiredCustomer, 'key' | 'data' | 'place' | 'clear'>,
): DesiredInput {
  return {
    key: customer.key,
    data: customer.data,
    source: formatSource(customer.place),
    ...(customer.clear === undefined || customer.clear.length === 0
      ? {}
      : { clear: customer.clear }),
  };
}

/**
 * The provider's normalisation of desired records, applied to fetched customers so both sides
 * compare alike.
 */
export function remoteNormalizer(provider: ProviderInfo): (c: RemoteCustomer) => RemoteCustomer {
  const identity = provider.fields.identity;
  return (customer) => {
    const data = provider.normalize(customer);
    // A stored record is rarely changed by normalising, but its id and dates make the
    // normaliser copy it: keeping the copy and the original (`raw`) of each of 100,000
    // listed customers doubled what the listing holds while the desired state loads.
    if (data === customer || sameData(data, customer)) return customer;
    // The normalised data is a fresh object: completing it, instead of spreading it into
    // another, saves an object per record, which counts on 100,000-record listings.
    const out: RemoteCustomer = Object.assign(data, { id: customer.id });
    // An identity normalising made empty is still the customer's identity.
    if (out[identity] === undefined && customer[identity] !== undefined)
      out[identity] = customer[identity];
    out.raw = customer.raw ?? customer;
    if (customer.createdAt !== undefined) out.createdAt = customer.createdAt;
    if (customer.updatedAt !== undefined) out.updatedAt = customer.updatedAt;
    return out;
  };
}

/** Keys of a `RemoteCustomer` that are not its data. */
const REMOTE_KEYS: ReadonlySet<string> = new Set(['id', 'createdAt', 'updatedAt', 'raw']);

/**
 * True when `data` holds exactly the customer's data keys, each with the very same value: a
 * normaliser shares the groups it leaves unchanged, so this compares no nested values.
 */
function sameData(data: CustomerData, customer: RemoteCustomer): boolean {
  let count = 0;
  for (const key in data) {
    if (data[key] !== customer[key]) return false;
    count++;
  }
  // A key counted above (data may hold `id`: Payment Kit's is a field) is the customer's too.
  for (const key in customer) if (!REMOTE_KEYS.has(key) || key in data) count--;
  return count === 0;
}

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
 * A desired state still being loaded elsewhere (a worker thread): its records arrive through
 * `attach` as they are validated, after the config; `done` resolves once all are in, to the
 * positions of those withdrawn after all, or to undefined when the files had errors.
 */
export interface DesiredArrivals {
  attach(handlers: DesiredHandlers): void;
  done: Promise<{ withdrawn: readonly number[] } | undefined>;
}

/**
 * `planSync` for a desired state still being loaded elsewhere: the account is listed meanwhile,
 * and the plan is made as both sides arrive, each remote customer compared as soon as its record
 * is in (pages listed before the config are kept until then). Only for a listing, which needs
 * nothing of the desired records to start. Resolves to undefined, having stopped reading, when
 * the files had errors.
 */
export async function planSyncWhileLoading(
  desired: DesiredArrivals,
  remote: CustomerRemote,
  options: Omit<
    PlanSyncOptions,
    'config' | 'fetch' | 'accountSizeHint' | 'probe' | 'accountSizeAtLeast'
  >,
): Promise<Plan | undefined> {
  const stop = new AbortController();
  const signal =
    options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]);
  // Pages go to `early` until the planner exists, then straight to it.
  const sink: { early: (readonly RemoteCustomer[])[]; planner?: Planner } = { early: [] };
  const fetching = streamRemote(
    remote,
    {
      strategy: 'list',
      codes: [],
      signal,
      ...(options.onFetchProgress === undefined ? {} : { onProgress: options.onFetchProgress }),
    },
    (customers) => {
      if (sink.planner === undefined) sink.early.push(customers);
      else sink.planner.add(customers);
    },
  );
  // Until the desired state is in, a failed fetch has to wait for it to be reported.
  fetching.catch(() => undefined);
  desired.attach({
    config(config: DesiredConfig) {
      const planner = new Planner(
        [],
        {
          provider: remote.provider,
          ...(remote.livemode === undefined ? {} : { livemode: remote.livemode }),
          matchKey: config.matchKey,
          ignore: config.ignore,
          readCost: remote.cost,
          ...(options.limits === undefined ? {} : { limits: options.limits }),
          ...(options.includeUnchanged === undefined
            ? {}
            : { includeUnchanged: options.includeUnchanged }),
        },
        { open: true, normalize: remoteNormalizer(providerInfo(remote.provider)) },
      );
      for (const page of sink.early) planner.add(page);
      sink.early = [];
      sink.planner = planner;
    },
    customers(customers: DesiredBatch) {
      if (sink.planner === undefined) throw new Error('desired records before the config');
      sink.planner.addDesired(customers);
    },
  });
  let loaded;
  try {
    loaded = await desired.done;
  } catch (error) {
    stop.abort(error);
    await fetching.catch(() => undefined);
    throw error;
  }
  const planner = sink.planner;
  if (loaded === undefined || planner === undefined) {
    stop.abort(new Error('the desired state has errors'));
    await fetching.catch(() => undefined);
    if (loaded === undefined) return undefined;
    throw new Error('the desired state was loaded without its config');
  }
  planner.desiredDone(loaded.withdrawn);
  return planner.finish(await fetching);
}
