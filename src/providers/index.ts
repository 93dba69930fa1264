/**
 * The providers the tool knows, by name: the one place that lists them. A new system is a new
 * folder beside `helcim/` and one line here.
 */
import { UsageError } from '../core/errors.js';
import { helcimInfo } from './helcim/info.js';
import { paymentKitInfo } from './payment-kit/info.js';
import type { ProviderInfo } from './types.js';

export type { ProviderInfo } from './types.js';

const PROVIDERS: readonly ProviderInfo[] = [helcimInfo, paymentKitInfo];

/** The provider a config without `provider:` means: the first the tool supported. */
export const DEFAULT_PROVIDER = helcimInfo.name;

/** Every provider, in the order the tool lists them (and the demo shows them). */
export function allProviders(): readonly ProviderInfo[] {
  return PROVIDERS;
}

/** The names a config's `provider:` and `--provider` accept. */
export const PROVIDER_NAMES: readonly string[] = PROVIDERS.map((p) => p.name);

export function isProviderName(name: unknown): name is string {
  return typeof name === 'string' && PROVIDER_NAMES.includes(name);
}

/** The provider of that name; a name the tool does not know is a usage error. */
export function providerInfo(name: string): ProviderInfo {
  const found = PROVIDERS.find((p) => p.name === name);
  if (found !== undefined) return found;
  throw new UsageError(`unknown provider ${JSON.stringify(name)}`, {
    hint: `use one of: ${PROVIDER_NAMES.join(', ')}`,
  });
}
