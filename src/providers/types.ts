import type { CustomerData } from '../core/customer.js';
import type { FieldList } from '../core/fields.js';
import type { RateLimits } from '../core/rate-limits.js';
import type { FieldChange } from '../plan/types.js';
import type { FetchCostModel } from '../remote/port.js';
import type { RuleContext } from '../validate/context.js';

export interface ConfigProblem {
  code: string;
  path: string;
  message: string;
  hint: string;
}

/** What an update is built from: the desired record, the stored one, and what differs. */
export interface UpdateInput {
  /** The desired record's managed fields, ignored ones left out. */
  desired: CustomerData;
  /** The stored record, as the provider returned it (its unmanaged fields are re-sent as is). */
  stored: CustomerData;
  /** Every field that changes; one without `new` is erased. */
  changes: readonly FieldChange[];
}

/**
 * What the core asks of a provider, one folder a system (`src/providers/<name>/`): its name in
 * files and messages, its fields, what its API can do, how it wants an update written, and what
 * reading it costs. Light on purpose (pure functions and data, no client, no HTTP), so that
 * planning or rendering never loads a client.
 */
export interface ProviderInfo {
  /** `helcim`: in saved plans, in JSON, in the config's `provider:`. */
  readonly name: string;
  /** `Helcim`: in messages ("only in Helcim", "changed in Helcim since the plan"). */
  readonly displayName: string;
  /** Its customer's fields, and which one is the identity. */
  readonly fields: FieldList;
  /** Its customers file's JSON Schema in `schemas/`, without `.schema.json`. */
  readonly schema: string;
  /** False for a system whose customers are created elsewhere (at checkout, say). */
  readonly canCreate: boolean;
  /** Read costs, in API calls, before any call is made. */
  readonly cost: FetchCostModel;
  /** The documented limits of one account; `Infinity` where none is documented. */
  readonly limits: Readonly<RateLimits>;
  /**
   * The canonical, comparable form of a customer from any source, desired or fetched: the same
   * for both, so that a plan never shows a difference that is not one. Pure and idempotent.
   */
  normalize(value: unknown): CustomerData;
  /** Its rules for one normalised customer: problems go to `ctx.out`. */
  check(ctx: RuleContext, data: CustomerData): void;
  /** What its provider-specific settings lack in a config, if anything (Payment Kit: livemode). */
  configProblem?(config: { livemode?: boolean }): ConfigProblem | undefined;
  /** The body of the update that makes the stored record match the desired one. */
  updatePayload(input: UpdateInput): CustomerData;
  /** The record as it will be once `payload` is applied to `before`. */
  afterUpdate(before: CustomerData, payload: CustomerData): CustomerData;
  /**
   * What a create sends for a desired record: its managed fields, with an identity derived
   * from `key` when it has none. Only for a provider that can create.
   */
  createPayload?(data: CustomerData, key: string): CustomerData;
}
