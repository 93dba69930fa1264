/**
 * The whole sync for programs, stage by stage: load the desired state, fetch the remote side,
 * plan, then apply. The CLI is a thin layer over these functions.
 */
import type { RemoteCustomer } from './core/customer.js';
import type { DesiredCustomer } from './desired/index.js';
import { fetchRemote, type FetchStrategy } from './fetch/fetch.js';
import type { Config } from './load/config-types.js';
import type { Place } from './load/types.js';
import { normalizeCustomer } from './normalize/index.js';
import { planChanges } from './plan/plan.js';
import type { DesiredInput, Plan, RateLimits } from './plan/types.js';
import type { CustomerRemote } from './remote/port.js';

/** `customers.yaml:42` or `import.csv row 17`: where a desired record comes from. */
export function formatSource(place: Place): string {
  switch (place.kind) {
    case 'file':
      return place.file;
    case 'yaml':
      return `${place.file}:${place.line}`;
    case 'csv':
      return `${place.file} row ${place.row}`;
  }
}

export function toDesiredInput(customer: DesiredCustomer): DesiredInput {
  return {
    key: customer.key,
    data: customer.data,
    source: formatSource(customer.place),
    ...(customer.clear === undefined || customer.clear.length === 0
      ? {}
      : { clear: customer.clear }),
  };
}

/** The desired records' normalisation, applied to a fetched customer so both sides compare alike. */
export function normalizeRemote(customer: RemoteCustomer): RemoteCustomer {
  const data = normalizeCustomer(customer);
  return {
    ...data,
    id: customer.id,
    customerCode: data.customerCode ?? customer.customerCode,
    ...(customer.createdAt === undefined ? {} : { createdAt: customer.createdAt }),
    ...(customer.updatedAt === undefined ? {} : { updatedAt: customer.updatedAt }),
  };
}

export interface PlanSyncOptions {
  config: Pick<Config, 'matchKey' | 'ignore'>;
  fetch?: FetchStrategy;
  accountSizeHint?: number;
  limits?: RateLimits;
  includeUnchanged?: boolean;
  signal?: AbortSignal;
  onFetchProgress?: (fetched: number) => void;
}

/** Fetches what the plan needs, the cheapest way, and plans. */
export async function planSync(
  desired: readonly DesiredCustomer[],
  remote: CustomerRemote,
  options: PlanSyncOptions,
): Promise<Plan> {
  const matchKey = options.config.matchKey;
  const codes: string[] = [];
  let needsListing = false;
  for (const c of desired) {
    if (c.data.customerCode === undefined) needsListing = true;
    else codes.push(c.data.customerCode);
  }
  const fetched = await fetchRemote(remote, {
    strategy: options.fetch ?? 'auto',
    codes,
    needsListing,
    normalize: normalizeRemote,
    ...(options.accountSizeHint === undefined ? {} : { accountSizeHint: options.accountSizeHint }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onFetchProgress === undefined ? {} : { onProgress: options.onFetchProgress }),
  });
  return planChanges(desired.map(toDesiredInput), fetched.customers, {
    provider: remote.provider,
    matchKey,
    ignore: options.config.ignore,
    fetch: fetched.info,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.includeUnchanged === undefined
      ? {}
      : { includeUnchanged: options.includeUnchanged }),
  });
}
