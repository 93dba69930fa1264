/** The Helcim provider: the client that implements the remote port, and its parts. */
export {
  HelcimClient,
  helcimClientFromEnv,
  helcimCost,
  PAGE_SIZE,
  DEFAULT_TIMEOUT_MS,
} from './client.js';
export type { HelcimClientOptions, HelcimEnv } from './client.js';
export type { HelcimEvent } from './caller.js';
export { DEFAULT_HELCIM_API_URL, TOKEN_ENV, URL_ENV, resolveBaseUrl } from './config.js';
export { isLoopbackHost } from '../../../remote/http/loopback.js';
export { HELCIM_LIMITS, Pacer } from './pacer.js';
export type { RateLimits, ResponseBudget, PacerSlot } from './pacer.js';
export {
  exponentialRetryPolicy,
  isAmbiguous,
  RETRYABLE_STATUSES,
} from '../../../remote/http/retry.js';
export type { RetryFailure, RetryOptions, RetryPolicy } from '../../../remote/http/retry.js';
export {
  mapDate,
  normalizeErrors,
  parseCards,
  parseCustomer,
  parseCustomerList,
  toRequestBody,
} from './mapping.js';
export type { HelcimCard, HelcimCustomerBody } from './mapping.js';
export { parseBankAccounts, parsePads, PAD_STATUSES } from './payments.js';
export type { HelcimBankAccount, HelcimPad, PadStatus } from './payments.js';
