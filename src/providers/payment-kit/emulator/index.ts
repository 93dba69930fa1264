/**
 * The Payment Kit emulator: a local HTTP server of ArcBlock Payment Kit's customers API, as
 * /work/shared/payment-kit-api.md describes it, for tests, demos and users' CI. The official
 * SDK runs against it unchanged. See README.md beside this file for every choice it makes.
 */
import { createServer } from 'node:http';
import { systemClock } from '../../../core/clock.js';
import { SyncError } from '../../../core/errors.js';
import { FaultInjector, normalizeFaultSpec } from '../../../emulator/faults.js';
import { listen } from '../../../emulator/listen.js';
import { RateLimiter } from '../../../emulator/rate-limit.js';
import { checkWritableDir, StatePersister } from '../../../emulator/state-file.js';
import { StatsRecorder } from '../../../emulator/stats.js';
import type { FaultSpec } from '../../../emulator/types.js';
import { createAuthenticator } from './auth.js';
import { startChurn } from './churn.js';
import { seedCustomers } from './seed.js';
import { createRequestHandler } from './server.js';
import { loadPaymentKitState, PK_STATE_VERSION, restorePaymentKitState } from './state.js';
import { DuplicateCustomerError, PaymentKitStore, type PkStoreSnapshot } from './store.js';
import {
  DEFAULT_MOUNT_POINT,
  DEFAULT_PAYMENT_KIT_TOKEN,
  PAYMENT_KIT_FAULT_KINDS,
  PAYMENT_KIT_STATS_VERSION,
  type PaymentKitEmulatorHandle,
  type PaymentKitEmulatorOptions,
  type PaymentKitEmulatorStats,
  type PkCustomer,
} from './types.js';

export type * from './types.js';
export {
  DEFAULT_MOUNT_POINT,
  DEFAULT_PAYMENT_KIT_TOKEN,
  PAYMENT_KIT_DID,
  PAYMENT_KIT_FAULT_KINDS,
} from './types.js';

function emulatorError(message: string, hint?: string): SyncError {
  return new SyncError('ERR_EMULATOR', message, hint === undefined ? {} : { hint });
}

/** `/payment`, `payment/` and `/payment/` are one mount point; `/` mounts at the root. */
export function normalizeMountPoint(mountPoint: string): string {
  const trimmed = `/${mountPoint.trim().replace(/^\/+|\/+$/g, '')}`;
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(trimmed) || trimmed.includes('//')) {
    throw emulatorError(
      `invalid mount point ${JSON.stringify(mountPoint)}`,
      'use a path such as /payment (letters, digits, ".", "_", "~", "-" and "/")',
    );
  }
  if (/^\/__(emulator|blocklet__)/.test(trimmed)) {
    throw emulatorError(`the mount point ${trimmed} would hide the emulator's own routes`);
  }
  return trimmed;
}

/** Helcim's kinds minus those Payment Kit has no counterpart for; throws a clear error. */
export function parsePaymentKitFaults(faults: PaymentKitEmulatorOptions['faults']): FaultSpec {
  const spec = normalizeFaultSpec(faults);
  const known: readonly string[] = PAYMENT_KIT_FAULT_KINDS;
  for (const [kind, p] of Object.entries(spec)) {
    if (p > 0 && !known.includes(kind)) {
      throw emulatorError(
        `fault kind "${kind}" does not apply to the Payment Kit emulator`,
        `kinds: ${PAYMENT_KIT_FAULT_KINDS.join(', ')}`,
      );
    }
  }
  return spec;
}

function checkNumber(name: string, value: number, rule: 'positive' | 'non-negative'): void {
  const ok = Number.isFinite(value) && (rule === 'positive' ? value > 0 : value >= 0);
  if (!ok) {
    throw emulatorError(
      `${name} must be ${rule === 'positive' ? 'above 0' : '0 or more'}, got ${value}`,
    );
  }
}

export async function startPaymentKitEmulator(
  options: PaymentKitEmulatorOptions = {},
): Promise<PaymentKitEmulatorHandle> {
  const token = options.token ?? DEFAULT_PAYMENT_KIT_TOKEN;
  if (token.trim() === '') throw emulatorError('the emulator access key must not be empty');
  const timeScale = options.timeScale ?? 1;
  checkNumber('timeScale', timeScale, 'positive');
  const latencyMs = options.latencyMs ?? 0;
  checkNumber('latencyMs', latencyMs, 'non-negative');
  const churn = options.churn ?? 0;
  checkNumber('churn', churn, 'non-negative');
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) {
    throw emulatorError(`seed must be a whole number of customers, got ${seed}`);
  }
  const mountPoint = normalizeMountPoint(options.mountPoint ?? DEFAULT_MOUNT_POINT);
  const clock = options.clock ?? systemClock;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';

  const store = new PaymentKitStore();
  const limiter = new RateLimiter(options.rateLimit ?? 'off', timeScale);
  const faults = new FaultInjector(parsePaymentKitFaults(options.faults), options.faultSeed ?? 1);
  const stats = new StatsRecorder();
  const statePath = options.statePath;
  if (statePath !== undefined) {
    await checkWritableDir(statePath);
    const snapshot = await loadPaymentKitState(statePath);
    if (snapshot !== undefined) restorePaymentKitState(store, snapshot, statePath);
  }
  const persister =
    statePath === undefined
      ? undefined
      : new StatePersister<PkStoreSnapshot>(statePath, store, clock, log, 200, PK_STATE_VERSION);
  if (store.size === 0 && seed > 0) {
    seedCustomers(store, seed, now);
    persister?.changed();
  }

  let checkouts = 0;
  const checkout: PaymentKitEmulatorHandle['checkout'] = (count, checkoutOptions = {}) => {
    if (!Number.isInteger(count) || count < 0) {
      throw emulatorError(`checkout takes a whole number of customers, got ${count}`);
    }
    const details = checkoutOptions.customer;
    if (details?.did !== undefined && count > 1) {
      throw emulatorError(`a DID belongs to one customer: check out 1 with DID ${details.did}`);
    }
    const created: PkCustomer[] = [];
    for (let i = 0; i < count; i++) {
      try {
        created.push(store.create(checkoutOptions.livemode ?? true, now(), details));
      } catch (error) {
        if (!(error instanceof DuplicateCustomerError)) throw error;
        throw emulatorError(`the DID ${error.value} is already a customer's`);
      }
    }
    checkouts += count;
    if (count > 0) persister?.changed();
    return created;
  };
  const snapshotStats = (): PaymentKitEmulatorStats => {
    const { requests, totalRequests, faults: faulted, rateLimited } = stats.counts();
    return {
      version: PAYMENT_KIT_STATS_VERSION,
      requests,
      totalRequests,
      peakInFlight: limiter.peakInFlight,
      customers: store.size,
      liveCustomers: store.count(true),
      testCustomers: store.count(false),
      checkouts,
      faults: faulted,
      rateLimited,
    };
  };
  const reset = (): void => {
    store.clear();
    stats.reset();
    limiter.reset();
    faults.reset();
    checkouts = 0;
    persister?.changed();
  };

  const server = createServer(
    createRequestHandler({
      authenticate: createAuthenticator(token),
      store,
      limiter,
      faults,
      stats,
      clock,
      now,
      latencyMs,
      mountPoint,
      rejectValue: options.rejectValue,
      changed: () => persister?.changed(),
      reset,
      snapshotStats,
      log,
    }),
  );
  let stopChurn = (): void => undefined;
  const listening = await listen(server, host, options.port ?? 0, {
    onFail: () => persister?.cancel(),
    before: () => stopChurn(),
    after: async () => persister?.close(),
  });
  stopChurn = startChurn({ perMinute: churn, timeScale, clock, checkout });

  const origin = `http://${listening.shownHost}:${listening.port}`;
  return {
    url: mountPoint === '/' ? origin : `${origin}${mountPoint}`,
    origin,
    mountPoint,
    token,
    stats: snapshotStats,
    reset,
    checkout,
    close: listening.close,
  };
}
