import { HELCIM_RATE_LIMITS } from '../../core/rate-limits.js';
import type { ProviderInfo } from '../types.js';
import { helcimCost } from './cost.js';
import { helcimFields } from './fields.js';

export { HELCIM_PAGE_SIZE, helcimCost } from './cost.js';
import { helcimEmulatorCli } from './emulator/cli.js';
import { helcimTarget } from './target.js';
import { normalizeCustomer } from './normalize/index.js';
import { normalizeText } from '../../normalize/text.js';
import { checkHelcimCustomer } from './rules.js';
import { helcimAfterUpdate, helcimCreatePayload, helcimUpdatePayload } from './update.js';

export const helcimInfo: ProviderInfo = {
  name: 'helcim',
  displayName: 'Helcim',
  fields: helcimFields,
  emulator: helcimEmulatorCli,
  demo: async () => (await import('./demo.js')).helcimDemo,
  urlEnv: 'HELCIM_API_URL',
  target: (env) => helcimTarget(env),
  connector: () => import('./connect.js'),
  schema: 'customers',
  canCreate: true,
  normalize: normalizeCustomer,
  // A customer code is text: its normal form is the text rule's.
  normalizeIdentity: normalizeText,
  check: checkHelcimCustomer,
  cost: helcimCost,
  limits: HELCIM_RATE_LIMITS,
  updatePayload: helcimUpdatePayload,
  afterUpdate: helcimAfterUpdate,
  createPayload: helcimCreatePayload,
};
