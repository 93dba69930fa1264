/**
 * The Helcim emulator: a local HTTP server of Helcim's Customer API, quirks included, for the
 * demo, the tests, the benchmarks and users' CI. See the README's "Emulator" section.
 */
import { createServer } from 'node:http';
import { systemClock } from '../../../core/clock.js';
import { SyncError } from '../../../core/errors.js';
import { FaultInjector, normalizeFaultSpec } from '../../../emulator/faults.js';
import { listen } from '../../../emulator/listen.js';
import { DEFAULT_RATE_LIMIT, RateLimiter } from '../../../emulator/rate-limit.js';
import { checkWritableDir, StatePersister, unusableState } from '../../../emulator/state-file.js';
import { StatsRecorder } from '../../../emulator/stats.js';
import { seedCustomers } from './seed.js';
import { createRequestHandler } from './server.js';
import { loadState } from './state.js';
import {
  CustomerStore,
  DuplicateCodeError,
  DuplicateIdError,
  type StoreSnapshot,
} from './store.js';
import {
  DEFAULT_EMULATOR_TOKEN,
  DUPLICATE_CODES_MODES,
  isDuplicateCodesMode,
  isRemainingHeadersMode,
  REMAINING_HEADERS_MODES,
  type EmulatorHandle,
  type EmulatorOptions,
} from './types.js';

export { DEFAULT_EMULATOR_TOKEN };

/** `http://HOST:PORT/v2`, with IPv6 hosts in brackets. */
export function formatBaseUrl(host: string, port: number): string {
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${shown}:${port}/v2`;
}

function emulatorError(message: string): SyncError {
  return new SyncError('ERR_EMULATOR', message);
}

/** The store's refusals name no file; at start they mean the state file is unusable. */
function restoreState(store: CustomerStore, snapshot: StoreSnapshot, statePath: string): void {
  try {
    store.restore(snapshot);
  } catch (caught) {
    if (caught instanceof DuplicateIdError) {
      throw unusableState(statePath, `customer id ${caught.id} appears more than once`);
    }
    if (caught instanceof DuplicateCodeError) {
      throw unusableState(
        statePath,
        `more than one customer has customerCode ${JSON.stringify(caught.customerCode)}`,
        'start the emulator with --duplicate-codes accept (duplicateCodes: "accept") to load it, ' +
          'or give those customers distinct codes in the file',
      );
    }
    throw caught;
  }
}

export async function startHelcimEmulator(options: EmulatorOptions): Promise<EmulatorHandle> {
  const token = options.token ?? DEFAULT_EMULATOR_TOKEN;
  if (token === '') throw emulatorError('the emulator token must not be empty');
  const timeScale = options.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw emulatorError(`timeScale must be a positive number, got ${timeScale}`);
  }
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw emulatorError(`latencyMs must be 0 or more, got ${latencyMs}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) {
    throw emulatorError(`seed must be a whole number of customers, got ${seed}`);
  }
  const duplicateCodes = options.duplicateCodes ?? 'reject';
  // JavaScript callers and option objects read from JSON get no type check.
  if (!isDuplicateCodesMode(duplicateCodes)) {
    throw emulatorError(
      `duplicateCodes must be ${DUPLICATE_CODES_MODES.map((m) => `"${m}"`).join(' or ')}, got ${JSON.stringify(duplicateCodes)}`,
    );
  }
  const remainingHeaders = options.remainingHeaders ?? 'after-call';
  if (!isRemainingHeadersMode(remainingHeaders)) {
    throw emulatorError(
      `remainingHeaders must be ${REMAINING_HEADERS_MODES.map((m) => `"${m}"`).join(' or ')}, got ${JSON.stringify(remainingHeaders)}`,
    );
  }
  const clock = options.clock ?? systemClock;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';

  const store = new CustomerStore(now, { duplicateCodes });
  const limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT, timeScale);
  const faults = new FaultInjector(normalizeFaultSpec(options.faults), options.faultSeed ?? 1);
  const stats = new StatsRecorder();
  const statePath = options.statePath;
  if (statePath !== undefined) {
    await checkWritableDir(statePath);
    const snapshot = await loadState(statePath);
    if (snapshot !== undefined) restoreState(store, snapshot, statePath);
  }
  const persister =
    statePath === undefined ? undefined : new StatePersister(statePath, store, clock, log);
  if (store.size === 0 && seed > 0) {
    seedCustomers(store, seed, now);
    persister?.changed();
  }

  const snapshotStats = () =>
    stats.snapshot({
      customers: store.size,
      peakInFlight: limiter.peakInFlight,
      duplicateCodes: store.duplicateCodes,
    });
  const reset = (): void => {
    store.clear();
    stats.reset();
    limiter.reset();
    faults.reset();
    persister?.changed();
  };

  const server = createServer(
    createRequestHandler({
      token,
      store,
      limiter,
      faults,
      stats,
      clock,
      latencyMs,
      remainingHeaders,
      rejectValue: options.rejectValue,
      changed: () => persister?.changed(),
      reset,
      snapshotStats,
      log,
    }),
  );
  const listening = await listen(server, host, options.port ?? 0, {
    onFail: () => persister?.cancel(),
    after: async () => persister?.close(),
  });
  return {
    url: formatBaseUrl(host, listening.port),
    token,
    stats: snapshotStats,
    reset,
    close: listening.close,
  };
}
