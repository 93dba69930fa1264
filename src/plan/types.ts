import type { CustomerData } from '../core/customer.js';

/** Bumped whenever a saved plan's shape changes; a plan of another version is refused. */
export const PLAN_FORMAT_VERSION = 1;

/** One field that changes: `old` is absent when the field is unset in the remote record. */
export interface FieldChange {
  /** Dotted path: `contactName`, `billingAddress.city`. */
  field: string;
  old?: string;
  new?: string;
}

export interface CreateAction {
  type: 'create';
  key: string;
  /** Where the desired record comes from: `customers.yaml:42`, `import.csv row 17`. */
  source: string;
  /** What is sent: the managed fields of the desired record, its identity always among them. */
  payload: CustomerData;
}

export interface UpdateAction {
  type: 'update';
  key: string;
  remoteId: string;
  source: string;
  before: CustomerData;
  after: CustomerData;
  changes: FieldChange[];
  /** What is sent, by the provider's rule (Helcim: the changed fields, a name, whole addresses). */
  payload: CustomerData;
  /** Hash of `before`: apply of a saved plan skips the record as stale when it no longer matches. */
  fingerprint: string;
}

export interface UnchangedAction {
  type: 'unchanged';
  key: string;
  remoteId: string;
  source: string;
}

export interface RemoteOnlyAction {
  type: 'remote-only';
  key: string;
  remoteId: string;
}

/** The planner refuses to guess: nothing is done for this key. */
export interface ConflictAction {
  type: 'conflict';
  key: string;
  reason: string;
  remoteIds: string[];
  sources: string[];
}

export type PlanAction =
  CreateAction | UpdateAction | UnchangedAction | RemoteOnlyAction | ConflictAction;
export type ActionType = PlanAction['type'];

export interface PlanSummary {
  create: number;
  update: number;
  unchanged: number;
  /** `null` when the remote was fetched by per-code lookups, which cannot see other customers. */
  remoteOnly: number | null;
  conflict: number;
}

export interface FetchInfo {
  strategy: 'list' | 'lookup';
  /** API calls the fetch made. */
  calls: number;
  /** Customers fetched. */
  fetched: number;
  /** The account's size, when the fetch listed it whole or the provider's first page said it. */
  accountSize?: number;
  /** Customers the account holds at least, when a probe stopped listing to look records up. */
  accountSizeAtLeast?: number;
}

export interface ApplyCost {
  /** One call per create and per update: what `apply FILES` spends after its own plan. */
  calls: number;
  /** The least time the rate limits allow for those calls (the provider's, or those given), in seconds. */
  minSeconds: number;
  /**
   * What applying the plan from a saved file (`plan --out`, then `apply plan.json`) spends
   * before its writes: re-reading the records it touches, the cheaper way, so that none is
   * overwritten after a change made since, and no create is sent for a code taken since.
   * Absent only in plans saved by an earlier helcim-sync (they re-read by lookups).
   */
  savedPlanCheck?: SavedPlanCheck;
}

export interface SavedPlanCheck {
  /** `list`: one listing of the account; `lookup`: one read per record, right before its write. */
  strategy: 'list' | 'lookup';
  calls: number;
}

export interface Plan {
  version: typeof PLAN_FORMAT_VERSION;
  provider: string;
  /** Payment Kit's mode the plan was made in (live or test customers); absent for Helcim. */
  livemode?: boolean;
  matchKey: string;
  fetch: FetchInfo;
  summary: PlanSummary;
  cost: ApplyCost;
  /** Every action but `unchanged`, which is listed only when asked (`includeUnchanged`). */
  actions: PlanAction[];
  /** Set by `plan --changed-since REF`: only records changed in the files since REF were read. */
  changedSince?: ChangedSince;
}

export interface ChangedSince {
  /** The git revision the files were compared with, as given. */
  ref: string;
  /** Records the same in the files as at `ref`: left out of the plan, not read remotely. */
  unchanged: number;
  /** Records in the files at `ref` and gone since: reported, never touched remotely. */
  removed: { key: string; source: string }[];
}

/** What the planner needs of a desired record. */
export interface DesiredInput {
  /** The identity value: the customer code, or the match-key value. */
  key: string;
  /** Normalised, managed fields only. */
  data: CustomerData;
  source: string;
  /** Dotted paths to erase (`emptyCells: clear`): an empty cell that means "no value in Helcim". */
  clear?: readonly string[];
}

export type { RateLimits } from '../core/rate-limits.js';
export { HELCIM_RATE_LIMITS } from '../core/rate-limits.js';
