/**
 * The client's pacing: at most N requests in flight, first come first served, and, when the
 * person says the account (or a proxy in front of the shop) allows only so many a minute or an
 * hour, no more than that in any rolling window. Payment Kit itself documents no rate limit, so
 * by default there are no windows (a 429 is answered by the retry policy's backoff instead);
 * the bound on requests in flight keeps one sync from crowding a shop's server.
 *
 * A request holds its place in a window from its send until a full window after its answer
 * (remote/http/rolling-window.ts, as Helcim's pacer does, without its headers).
 */
import type { Clock } from '../../../core/clock.js';
import { RollingWindow, type Entry } from '../../../remote/http/rolling-window.js';

interface Waiter {
  grant: () => void;
  onAbort: () => void;
}

/** At most `limit` requests in any `lengthMs`. */
export interface Window {
  limit: number;
  lengthMs: number;
}

export class Limiter {
  #inFlight = 0;
  #peak = 0;
  readonly #queue: Waiter[] = [];
  readonly #windows: readonly RollingWindow[];
  readonly #clock: Clock | undefined;
  /** Wakes a request waiting for a window when a request in flight is answered. */
  #answered: (() => void) | undefined;

  constructor(
    readonly concurrency: number,
    windows: readonly Window[] = [],
    clock?: Clock,
  ) {
    this.#windows = windows
      .filter((w) => Number.isFinite(w.limit))
      .map((w) => new RollingWindow(w.limit, w.lengthMs));
    if (this.#windows.length > 0 && clock === undefined)
      throw new Error('a limiter with windows needs a clock');
    this.#clock = clock;
  }

  /** The most requests that were ever in flight at once (tests read it). */
  get peak(): number {
    return this.#peak;
  }

  /**
   * Resolves with a release function once a slot is free and every window has room, or rejects
   * with the signal's reason. Releasing twice frees one slot only.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const slot = this.#slot(signal);
    return this.#windows.length === 0 ? slot : this.#windowed(slot, signal);
  }

  async #windowed(slot: Promise<() => void>, signal?: AbortSignal): Promise<() => void> {
    const release = await slot;
    let sent: Entry[];
    try {
      sent = await this.#room(signal);
    } catch (error) {
      release();
      throw error;
    }
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const now = this.#now();
      for (const entry of sent) entry.t = now;
      release();
      const wake = this.#answered;
      this.#answered = undefined;
      wake?.();
    };
  }

  #now(): number {
    return this.#clock?.now() ?? 0;
  }

  /** Waits until every window has room, then takes a place in each. */
  async #room(signal: AbortSignal | undefined): Promise<Entry[]> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.#now();
      // Infinity: every place is held by a request in flight, and only an answer frees one.
      const waitMs = Math.max(...this.#windows.map((w) => w.waitMs(now)));
      if (waitMs <= 0) return this.#windows.map((w) => w.add());
      await this.#wait(waitMs, signal);
    }
  }

  /** Sleeps `ms`, or until a request in flight is answered (`Infinity`: only that), or aborted. */
  async #wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const clock = this.#clock;
    if (clock === undefined) return;
    const stop = new AbortController();
    const answered = new Promise<void>((resolve) => {
      const before = this.#answered;
      this.#answered = () => {
        before?.();
        resolve();
      };
    });
    const waits: Promise<void>[] = [answered];
    // Asleep until an answer: only the signal can end it early.
    const aborted = new Promise<void>((_, reject) => {
      const onAbort = (): void => reject(signal?.reason);
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true, signal: stop.signal });
    });
    aborted.catch(() => undefined);
    waits.push(aborted);
    if (ms !== Infinity)
      waits.push(
        clock
          .sleep(ms, AbortSignal.any([stop.signal, ...(signal ? [signal] : [])]))
          .catch(() => undefined),
      );
    try {
      await Promise.race(waits);
    } finally {
      stop.abort();
    }
  }

  #slot(signal: AbortSignal | undefined): Promise<() => void> {
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
