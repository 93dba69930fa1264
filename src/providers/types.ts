import type { RateLimits } from '../core/rate-limits.js';
import type { FetchCostModel } from '../remote/port.js';

/**
 * What the core asks of a provider, one folder a system (`src/providers/<name>/`): its name in
 * files and messages, what its API can do, and what reading it costs. Light on purpose (no
 * client, no HTTP), so that rendering a plan never loads a client.
 */
export interface ProviderInfo {
  /** `helcim`: in saved plans, in JSON, in the config's `provider:`. */
  readonly name: string;
  /** `Helcim`: in messages ("only in Helcim", "changed in Helcim since the plan"). */
  readonly displayName: string;
  /** False for a system whose customers are created elsewhere (at checkout, say). */
  readonly canCreate: boolean;
  /** Read costs, in API calls, before any call is made. */
  readonly cost: FetchCostModel;
  /** The documented limits of one account; `Infinity` where none is documented. */
  readonly limits: Readonly<RateLimits>;
}
