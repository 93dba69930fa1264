/**
 * The client's only pacing: at most N requests in flight, first come first served. Payment Kit
 * documents no rate limit, so there are no windows to keep (a 429 is answered by the retry
 * policy's backoff instead); the bound keeps one sync from crowding a shop's server.
 */

interface Waiter {
  grant: () => void;
  onAbort: () => void;
}

export class Limiter {
  #inFlight = 0;
  #peak = 0;
  readonly #queue: Waiter[] = [];

  constructor(readonly concurrency: number) {}

  /** The most requests that were ever in flight at once (tests read it). */
  get peak(): number {
    return this.#peak;
  }

  /**
   * Resolves with a release function once a slot is free, or rejects with the signal's reason.
   * Releasing twice frees one slot only.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#inFlight < this.concurrency && this.#queue.length === 0) {
      return Promise.resolve(this.#take());
    }
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', waiter.onAbort);
          resolve(this.#take());
        },
        onAbort: () => {
          const at = this.#queue.indexOf(waiter);
          if (at !== -1) this.#queue.splice(at, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #take(): () => void {
    this.#inFlight++;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#inFlight--;
      this.#queue.shift()?.grant();
    };
  }
}
