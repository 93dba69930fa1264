/** The Payment Kit emulator as `helcim-sync emulator --provider payment-kit` starts it. */
import { numberOption, stringOption } from '../../../cli/command.js';
import { parseFaultSpec } from '../../../emulator/faults.js';
import { toUsage } from '../../../emulator/usage.js';
import type { EmulatorCli } from '../../types.js';
import {
  DEFAULT_MOUNT_POINT,
  DEFAULT_PAYMENT_KIT_TOKEN,
  PAYMENT_KIT_FAULT_KINDS,
  type PaymentKitEmulatorOptions,
} from './types.js';

export const paymentKitEmulatorCli: EmulatorCli = {
  tokenEnv: 'PAYMENT_KIT_EMULATOR_KEY',
  devToken: DEFAULT_PAYMENT_KIT_TOKEN,
  // No limit is documented: none unless asked for.
  defaultRateLimit: 'off',
  faultKinds: PAYMENT_KIT_FAULT_KINDS,
  help: [
    "--provider payment-kit serves ArcBlock Payment Kit's customers API under --mount-point",
    '(listening on http://HOST:PORT/payment); its access key is --token, else',
    `PAYMENT_KIT_EMULATOR_KEY, else the dev key "${DEFAULT_PAYMENT_KIT_TOKEN}"; no rate limit unless asked.`,
    'Its "reject" fault refuses a PUT with 400 {"error":"name is not accepted ..."}.',
  ],
  examples: ['helcim-sync emulator --provider payment-kit --seed 50 --churn 6'],
  options: {
    'mount-point': {
      type: 'string',
      valueName: 'PATH',
      description: `Payment Kit only. Where the app mounts it (default ${DEFAULT_MOUNT_POINT})`,
    },
    churn: {
      type: 'string',
      valueName: 'N',
      description: 'Payment Kit only. N new customers a minute in each mode, newest first',
    },
  },
  async start(settings, args) {
    const { faults, ...shared } = settings;
    const { normalizeMountPoint, parsePaymentKitFaults, startPaymentKitEmulator } =
      await import('./index.js');
    const options: PaymentKitEmulatorOptions = shared;
    if (faults !== undefined) {
      // The shared grammar first (its messages), then the kinds this emulator has.
      toUsage(() => parseFaultSpec(faults));
      toUsage(() => (options.faults = parsePaymentKitFaults(faults)));
    }
    const mountPoint = stringOption(args, 'mount-point');
    if (mountPoint !== undefined) {
      toUsage(() => (options.mountPoint = normalizeMountPoint(mountPoint)));
    }
    const churn = numberOption(args, 'churn', { min: 0 });
    if (churn !== undefined) options.churn = churn;
    return startPaymentKitEmulator(options);
  },
};
