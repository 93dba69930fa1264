/**
 * helcim-sync as a library: the same pipeline the CLI runs, stage by stage. Load the desired
 * state, fetch the remote side, plan (pure), render, apply.
 */
export * from './core/customer.js';
export * from './core/errors.js';
export type { Clock } from './core/clock.js';
export { systemClock } from './core/clock.js';
export { HELCIM_RATE_LIMITS, parseRateLimit, type RateLimits } from './core/rate-limits.js';

// Load, validate, normalise.
export {
  loadDesiredState,
  type DesiredState,
  type DesiredOptions,
  type DesiredCustomer,
  type RejectedRecord,
} from './desired/index.js';
export { loadConfig } from './load/config.js';
export type { Config } from './load/config-types.js';
export { formatPlace, type Place, type Problem, type RawRecord } from './load/types.js';
export { normalizeCustomer, IGNORED_DIFFERENCES } from './providers/helcim/normalize/index.js';

// Fetch and plan.
export type * from './remote/port.js';
export { MemoryRemote } from './remote/memory.js';
export {
  fetchRemote,
  chooseRead,
  readRemote,
  streamRemote,
  type ReadChoice,
  type ReadDecision,
  type FetchStrategy,
  type FetchOptions,
  type FetchResult,
} from './fetch/fetch.js';
export { planChanges, fingerprint, type PlanOptions } from './plan/plan.js';
export { deriveCode } from './providers/helcim/update.js';
export { providerInfo, PROVIDER_NAMES, DEFAULT_PROVIDER } from './providers/index.js';
export type { ProviderInfo } from './providers/types.js';
export type { FieldList, FieldSpec } from './core/fields.js';
export * from './plan/types.js';
export { serializePlan, parseSavedPlan, type SavedPlan } from './plan/saved.js';
export { leastSeconds } from './plan/cost.js';
export {
  planSync,
  remoteNormalizer,
  toDesiredInput,
  formatSource,
  type PlanSyncOptions,
} from './pipeline.js';

// Render and apply.
export {
  planRenderers,
  renderText,
  renderMarkdown,
  type PlanFormat,
  type RenderOptions,
} from './render/index.js';
export {
  applyPlan,
  checkGuards,
  type ApplyOptions,
  type ApplyReport,
  type RecordResult,
} from './apply/apply.js';
export { openJournal, type Journal, type JournalEntry } from './apply/journal.js';

// The Helcim provider and its emulator.
export {
  HelcimClient,
  helcimClientFromEnv,
  type HelcimClientOptions,
} from './providers/helcim/client/index.js';
export {
  startEmulator,
  DEFAULT_EMULATOR_TOKEN,
  type EmulatorOptions,
  type EmulatorHandle,
  type EmulatorStats,
} from './emulator/index.js';

// The Payment Kit emulator (its client and pipeline support come next).
export {
  startPaymentKitEmulator,
  DEFAULT_PAYMENT_KIT_TOKEN,
  type PaymentKitEmulatorOptions,
} from './providers/payment-kit/emulator/index.js';
