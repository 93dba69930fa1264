/**
 * Many lookups at once, as `findByIdentities` needs them: all started together (the client's
 * limiter decides how many are on the wire), one entry for every value asked, and the first
 * failure stops those still waiting for a place instead of spending calls on a result that
 * will be thrown away.
 */
import { setMaxListeners } from 'node:events';
import { RemoteError } from '../../../core/errors.js';

export async function lookUpAll<T>(
  values: readonly string[],
  lookUp: (value: string, signal: AbortSignal) => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<Map<string, T>> {
  const unique = [...new Set(values)];
  const controller = new AbortController();
  // Every pending lookup listens to this signal; hundreds are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const onAbort = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const found = await Promise.all(
      unique.map(async (value) => {
        try {
          return [value, await lookUp(value, controller.signal)] as const;
        } catch (error) {
          controller.abort(error);
          throw error;
        }
      }),
    );
    return new Map(found);
  } catch (error) {
    // Lookups aborted by the first failure reject too; the first failure is the one to report.
    throw controller.signal.reason instanceof RemoteError && !signal?.aborted
      ? controller.signal.reason
      : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
