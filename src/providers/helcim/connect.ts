/** Connecting to Helcim: the client from the environment, paced by remembered request times. */
import { HELCIM_RATE_LIMITS } from '../../core/rate-limits.js';
import { openCache, requestMemory } from '../../remote/cache.js';
import type { ConnectOptions, Connection } from '../types.js';
import { helcimClientFromEnv } from './client/client.js';
import { helcimTarget } from './target.js';

export function connect(options: ConnectOptions): Connection {
  const limits = options.limits ?? { ...HELCIM_RATE_LIMITS };
  const scale = options.timeScale ?? 1;
  const target = helcimTarget(options.env);
  // Wall times in the cache are compared with the scaled window: an emulator's "hour" under
  // --time-scale X is 1/X of a real one, and real milliseconds pass on both sides.
  const hourMs = 3_600_000 / scale;
  const remote = helcimClientFromEnv(options.env, {
    limits: limits === 'off' ? 'off' : { ...limits, minuteMs: 60_000 / scale, hourMs },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(limits === 'off'
      ? {}
      : {
          budgetMemory: requestMemory(openCache(options.cacheDir, target), hourMs, limits.perHour),
        }),
  });
  return { remote, target, limits };
}
