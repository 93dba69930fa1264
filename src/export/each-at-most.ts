/** Bounded concurrent reads, shared by the card and payment-detail notes of an export. */

/** Helcim's requests in flight at once: more readers would only wait in the client's pacer. */
export const READS_AT_ONCE = 5;

/**
 * `work` on every item, `limit` at a time, each given a signal that the first failure (or
 * `outer`) aborts: one failure stops the reads still to come instead of spending budget on them.
 * The first failure is thrown; a stop from `outer` throws its reason.
 */
export async function eachAtMost<T extends object>(
  items: readonly T[],
  limit: number,
  work: (item: T, signal: AbortSignal) => Promise<void>,
  outer?: AbortSignal,
): Promise<void> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted === true) onAbort();
  outer?.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && !controller.signal.aborted) {
      const item = items[next++];
      if (item === undefined) return;
      try {
        await work(item, controller.signal);
      } catch (error) {
        // Reads aborted by the first failure fail too; the first failure is the one to report.
        failure ??= { error };
        controller.abort(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) throw failure.error;
  // Cancelled from outside before every item was read: the caller's signal says why.
  controller.signal.throwIfAborted();
}
