/** Bounded concurrent reads, shared by the card and payment-detail notes of an export. */

/** `work` on every item, `limit` at a time; the first failure aborts the rest and is thrown. */
export async function eachAtMost<T extends object>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  controller: AbortController,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && !controller.signal.aborted) {
      const item = items[next++];
      if (item === undefined) return;
      try {
        await work(item);
      } catch (error) {
        // Reads aborted by the first failure fail too; the first failure is the one to report.
        failure ??= { error };
        controller.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  // Cancelled from outside before every customer was read: the caller's signal says why.
  controller.signal.throwIfAborted();
}
