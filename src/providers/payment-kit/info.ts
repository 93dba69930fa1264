import type { ProviderInfo } from '../types.js';
import { PAYMENT_KIT_LIMITS, paymentKitCost } from './cost.js';
import { paymentKitFields } from './fields.js';

export { PAYMENT_KIT_LIMITS, PAYMENT_KIT_PAGE_SIZE, paymentKitCost } from './cost.js';
import { paymentKitEmulatorCli } from './emulator/cli.js';
import { paymentKitTarget } from './target.js';
import { normalizePaymentKitCustomer, samePhoneInContext } from './normalize.js';
import { normalizeText } from '../../normalize/text.js';
import { checkPaymentKitCustomer } from './rules.js';
import { paymentKitAfterUpdate, paymentKitUpdatePayload } from './update.js';

export const paymentKitInfo: ProviderInfo = {
  name: 'payment-kit',
  displayName: 'Payment Kit',
  fields: paymentKitFields,
  emulator: paymentKitEmulatorCli,
  demo: async () => (await import('./demo.js')).paymentKitDemo,
  urlEnv: 'PAYMENT_KIT_URL',
  target: (env) => paymentKitTarget(env),
  connector: () => import('./connect.js'),
  schema: 'payment-kit-customers',
  // Customers come into existence at checkout; the API has no create.
  canCreate: false,
  createdElsewhere: 'creates customers at checkout',
  normalize: normalizePaymentKitCustomer,
  // A DID is text: its normal form is the text rule's.
  normalizeIdentity: normalizeText,
  sameInContext: samePhoneInContext,
  check: checkPaymentKitCustomer,
  cost: paymentKitCost,
  limits: PAYMENT_KIT_LIMITS,
  // Live and test customers are different sets: guessing on a payments system is not acceptable.
  configProblem: (config) =>
    config.livemode !== undefined
      ? undefined
      : {
          code: 'missing-livemode',
          path: 'livemode',
          message: 'livemode: missing; Payment Kit keeps live and test customers apart',
          hint: 'add `livemode: true` for live customers, or `livemode: false` for test ones',
        },
  updatePayload: paymentKitUpdatePayload,
  afterUpdate: paymentKitAfterUpdate,
};
