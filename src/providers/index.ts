/**
 * The providers the tool knows, by name: the one place that lists them. A new system is a new
 * folder beside `helcim/` and one line here.
 */
import { helcimInfo } from './helcim/info.js';
import { paymentKitInfo } from './payment-kit/info.js';
import type { ProviderInfo } from './types.js';

export type { ProviderInfo } from './types.js';

const PROVIDERS: readonly ProviderInfo[] = [helcimInfo, paymentKitInfo];

/**
 * The provider of that name. A name the tool does not know (a test's in-memory remote, a
 * program's own port) is described by its name alone: no limits, one page of 100 a call.
 */
export function providerInfo(name: string): ProviderInfo {
  return (
    PROVIDERS.find((p) => p.name === name) ?? {
      name,
      displayName: name,
      canCreate: true,
      cost: {
        list: (size) => Math.floor(Math.max(0, size) / 100) + 1,
        lookup: (count) => Math.max(0, count),
        pageSize: 100,
      },
      limits: { concurrent: Infinity, perMinute: Infinity, perHour: Infinity },
    }
  );
}
