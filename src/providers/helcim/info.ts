import { HELCIM_RATE_LIMITS } from '../../core/rate-limits.js';
import type { FetchCostModel } from '../../remote/port.js';
import type { ProviderInfo } from '../types.js';
import { helcimFields } from './fields.js';
import { helcimEmulatorCli } from './emulator/cli.js';
import { helcimTarget } from './target.js';
import { normalizeCustomer } from './normalize/index.js';
import { checkHelcimCustomer } from './rules.js';
import { helcimAfterUpdate, helcimCreatePayload, helcimUpdatePayload } from './update.js';

/** Helcim's listing: 100 customers a call at most, and only a short page says it was the last. */
export const HELCIM_PAGE_SIZE = 100;

export const helcimCost: FetchCostModel = {
  list: (accountSize) => Math.floor(Math.max(0, accountSize) / HELCIM_PAGE_SIZE) + 1,
  lookup: (codeCount) => Math.max(0, codeCount),
  pageSize: HELCIM_PAGE_SIZE,
};

export const helcimInfo: ProviderInfo = {
  name: 'helcim',
  displayName: 'Helcim',
  fields: helcimFields,
  emulator: helcimEmulatorCli,
  urlEnv: 'HELCIM_API_URL',
  target: (env) => helcimTarget(env),
  connector: () => import('./connect.js'),
  schema: 'customers',
  canCreate: true,
  normalize: normalizeCustomer,
  check: checkHelcimCustomer,
  cost: helcimCost,
  limits: HELCIM_RATE_LIMITS,
  updatePayload: helcimUpdatePayload,
  afterUpdate: helcimAfterUpdate,
  createPayload: helcimCreatePayload,
};
