import type { RateLimits } from '../../core/rate-limits.js';
import type { FetchCostModel } from '../../remote/port.js';
import type { ProviderInfo } from '../types.js';
import { paymentKitFields } from './fields.js';
import { paymentKitEmulatorCli } from './emulator/cli.js';
import { paymentKitTarget } from './target.js';
import { normalizePaymentKitCustomer } from './normalize.js';
import { checkPaymentKitCustomer } from './rules.js';
import { paymentKitAfterUpdate, paymentKitUpdatePayload } from './update.js';

/** The largest page the client asks for (the contract's choice: `pageSize` clamped to 1..100). */
export const PAYMENT_KIT_PAGE_SIZE = 100;

/**
 * Payment Kit's answer carries `count`, so a listing costs exactly ceil(count / 100) calls when
 * nobody checks out meanwhile (one call for an empty account). Customers arriving during the
 * listing cost re-reads on top (see client/listing.ts); no model made before the first call can
 * know them. A lookup by id or DID is one call.
 */
export const paymentKitCost: FetchCostModel = {
  list: (accountSize) => Math.max(1, Math.ceil(Math.max(0, accountSize) / PAYMENT_KIT_PAGE_SIZE)),
  lookup: (codeCount) => Math.max(0, codeCount),
  pageSize: PAYMENT_KIT_PAGE_SIZE,
};

/** No rate limit is documented: only the client's own bound on requests in flight. */
export const PAYMENT_KIT_LIMITS: Readonly<RateLimits> = {
  concurrent: 5,
  perMinute: Infinity,
  perHour: Infinity,
};

export const paymentKitInfo: ProviderInfo = {
  name: 'payment-kit',
  displayName: 'Payment Kit',
  fields: paymentKitFields,
  emulator: paymentKitEmulatorCli,
  urlEnv: 'PAYMENT_KIT_URL',
  target: (env) => paymentKitTarget(env),
  connector: () => import('./connect.js'),
  schema: 'payment-kit-customers',
  // Customers come into existence at checkout; the API has no create.
  canCreate: false,
  createdElsewhere: 'creates customers at checkout',
  normalize: normalizePaymentKitCustomer,
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
