/**
 * The emulators, one a provider, started by name: `startEmulator({ provider: 'payment-kit' })`.
 * Each lives in its provider's folder; this folder holds what they share (listening, faults,
 * rate windows, statistics, state files).
 */
import { SyncError } from '../core/errors.js';
import { startHelcimEmulator } from '../providers/helcim/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions } from '../providers/helcim/emulator/types.js';
import { startPaymentKitEmulator } from '../providers/payment-kit/emulator/index.js';
import type {
  PaymentKitEmulatorHandle,
  PaymentKitEmulatorOptions,
} from '../providers/payment-kit/emulator/types.js';

export type * from './types.js';
export type * from '../providers/helcim/emulator/types.js';
export { FAULT_KINDS, STATS_VERSION } from './types.js';
export {
  DUPLICATE_CODES_MODES,
  isDuplicateCodesMode,
  REMAINING_HEADERS_MODES,
  isRemainingHeadersMode,
} from '../providers/helcim/emulator/types.js';
export { DEFAULT_EMULATOR_TOKEN, formatBaseUrl } from '../providers/helcim/emulator/index.js';
export { parseFaultSpec } from './faults.js';
export { parseRateLimit, DEFAULT_RATE_LIMIT } from './rate-limit.js';

/** Helcim's options; `provider` may be left out, Helcim being the default. */
export type HelcimStartOptions = EmulatorOptions & { provider?: 'helcim' };
export type PaymentKitStartOptions = PaymentKitEmulatorOptions & { provider: 'payment-kit' };
export type StartEmulatorOptions = HelcimStartOptions | PaymentKitStartOptions;

/** Starts the emulator of `options.provider`: Helcim unless told `'payment-kit'`. */
export function startEmulator(options: PaymentKitStartOptions): Promise<PaymentKitEmulatorHandle>;
export function startEmulator(options?: HelcimStartOptions): Promise<EmulatorHandle>;
export function startEmulator(
  options: StartEmulatorOptions,
): Promise<EmulatorHandle | PaymentKitEmulatorHandle>;
export async function startEmulator(
  options: StartEmulatorOptions = {},
): Promise<EmulatorHandle | PaymentKitEmulatorHandle> {
  if (options.provider === 'payment-kit') {
    const { provider: _provider, ...rest } = options;
    return startPaymentKitEmulator(rest);
  }
  const { provider, ...helcim } = options;
  // JavaScript callers get no type check on the name.
  if (provider !== undefined && provider !== 'helcim') {
    throw new SyncError(
      'ERR_EMULATOR',
      `unknown emulator provider ${JSON.stringify(provider)}; use "helcim" or "payment-kit"`,
    );
  }
  return startHelcimEmulator(helcim);
}
