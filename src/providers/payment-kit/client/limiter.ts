/**
 * The client's pacing: at most N requests in flight, first come first served, and, when the
 * person says the account (or a proxy in front of the shop) allows only so many a minute or an
 * hour, no more than that in any rolling window. Payment Kit itself documents no rate limit, so
 * by default there are no windows (a 429 is answered by the retry policy's backoff instead);
 * the bound on requests in flight keeps one sync from crowding a shop's server.
 *
 * The server counts a request when it arrives, which the client cannot see; the time its answer
 * arrived is an upper bound of it, so a request holds its place in a window from the moment it
 * is sent until a full window after its answer (as Helcim's pacer does, without its headers).
 */
import type { Clock } from '../../../core/clock.js';

interface Waiter {
  grant: () => void;
  onAbort: () => void;
}

/** At most `limit` requests in any `lengthMs`. */
export interface Window {
  limit: number;
  lengthMs: number;
}

/** A request's place in the windows: when its answer came, `Infinity` while it is in flight. */
interface Sent {
  t: number;
}

export class Limiter {
  #inFlight = 0;
  #peak = 0;
  readonly #queue: Waiter[] = [];
  readonly #windows: readonly Window[];
  readonly #clock: Clock | undefined;
  /** Every request sent that may still count in a window, oldest first. */
  #sent: Sent[] = [];
  /** Wakes a request waiting for a window when a request in flight is answered. */
  #answered: (() => void) | undefined;

  constructor(
    readonly concurrency: number,
    windows: readonly Window[] = [],
    clock?: Clock,
  ) {
    this.#windows = windows.filter((w) => Number.isFinite(w.limit));
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
    let sent: Sent;
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
      sent.t = this.#now();
      release();
      const wake = this.#answered;
      this.#answered = undefined;
      wake?.();
    };
  }

  #now(): number {
    return this.#clock?.now() ?? 0;
  }

  /** Waits until every window has room, then takes a place in them. */
  async #room(signal: AbortSignal | undefined): Promise<Sent> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.#now();
      // A request counts in a window for its length after its answer, and a margin: timers fire
      // on whole milliseconds and the server's clock ticks on its own.
      const reach = (w: Window): number => w.lengthMs + Math.max(2, w.lengthMs * 0.002);
      const longest = Math.max(...this.#windows.map(reach));
      // Forgotten once it cannot count in the longest window any more.
      if (this.#sent.some((s) => s.t + longest <= now))
        this.#sent = this.#sent.filter((s) => s.t + longest > now);
      let waitMs = 0;
      for (const w of this.#windows) {
        const leaves = this.#sent.map((s) => s.t + reach(w)).filter((t) => t > now);
        if (leaves.length < w.limit) continue;
        // The window has room once enough of its requests have left it: those in flight leave
        // only after their answer, so with all of them in flight the wait is for an answer.
        const room = leaves.sort((x, y) => x - y)[leaves.length - w.limit] ?? Infinity;
        waitMs = Math.max(waitMs, room - now);
      }
      if (waitMs <= 0) {
        const sent: Sent = { t: Infinity };
        this.#sent.push(sent);
        return sent;
      }
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
