/**
 * Keeps the client inside Helcim's limits (per account: requests in flight, per rolling minute,
 * per rolling hour) so that a sync spends no calls on 429s.
 *
 * The server counts a request when it arrives, which the client cannot see; the time the
 * response arrived is an upper bound of it, so a request holds its place in a window from the
 * moment it is sent until a full window after its response. Other clients on the same account
 * show up in the `*-limit-remaining` headers as a shortfall against our own count: that shortfall
 * is recorded as phantom requests that expire like ours. The headers are hints, not arithmetic
 * (recorded: the budget before the call, an hour figure that stayed put for 20 calls), so they
 * only ever add or remove phantoms: our own requests are never dropped on a header's word, and
 * no header, however high it counts, lets the pacer send more than its own count allows.
 *
 * A new pacer knows nothing of what the account spent before it existed (another process, a run
 * a few seconds ago): it sends one request alone and opens up to its concurrency only once that
 * answer's headers are reconciled, so a spent budget costs one 429, not a burst of them. Times
 * remembered from earlier runs can be seeded into its windows to cost none.
 */
import type { Clock } from '../../../core/clock.js';
import type { RateLimits as BaseRateLimits } from '../../../core/rate-limits.js';
import { RollingWindow } from '../../../remote/http/rolling-window.js';

export interface RateLimits extends BaseRateLimits {
  /** Window lengths, shortened in tests against an emulator with a time scale. */
  minuteMs?: number;
  hourMs?: number;
}

export const HELCIM_LIMITS: Readonly<Required<RateLimits>> = {
  concurrent: 5,
  perMinute: 100,
  perHour: 3000,
  minuteMs: 60_000,
  hourMs: 3_600_000,
};

/** In-flight cap when pacing is off (an emulator without limits); also the pool's size. */
export const UNPACED_CONCURRENCY = 16;

/** What a response said about the budget. */
export interface ResponseBudget {
  minuteRemaining?: number | undefined;
  hourRemaining?: number | undefined;
  rateLimited?: boolean;
}

export interface PacerSlot {
  /** Idempotent; call once the response (or the failure) has arrived. */
  release(budget?: ResponseBudget): void;
}

/** What a waiting request is, for wait events. */
export interface PacerLabel {
  method: string;
  path: string;
}

interface Waiter {
  label: PacerLabel | undefined;
  resolve: (slot: PacerSlot) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export interface PacerOptions {
  /** Called when requests must wait for a window to free a place. */
  onWait?: (waitMs: number, next: PacerLabel | undefined) => void;
}

export class Pacer {
  private readonly windows: RollingWindow[];
  private readonly concurrent: number;
  /** Lowered when the server refuses for concurrency (another client is in flight too). */
  private cap: number;
  private streak = 0;
  private inFlight = 0;
  /** Until the first answer is reconciled, one request at a time: see the file's comment. */
  private learned: boolean;
  private readonly queue: Waiter[] = [];
  private timer: { deadline: number; controller: AbortController } | undefined;
  private readonly minute: RollingWindow | undefined;
  private readonly hour: RollingWindow | undefined;

  constructor(
    limits: RateLimits | 'off',
    private readonly clock: Clock,
    private readonly options: PacerOptions = {},
  ) {
    if (limits === 'off') {
      this.concurrent = UNPACED_CONCURRENCY;
      this.windows = [];
    } else {
      this.concurrent = Math.max(1, Math.floor(limits.concurrent));
      if (Number.isFinite(limits.perMinute)) {
        this.minute = new RollingWindow(limits.perMinute, limits.minuteMs ?? 60_000);
      }
      if (Number.isFinite(limits.perHour)) {
        this.hour = new RollingWindow(limits.perHour, limits.hourMs ?? 3_600_000);
      }
      this.windows = [this.minute, this.hour].filter((w) => w !== undefined);
    }
    this.cap = this.concurrent;
    this.learned = this.windows.length === 0;
  }

  /** For tests and progress output. */
  get state(): {
    inFlight: number;
    cap: number;
    learned: boolean;
    queued: number;
    minute: number;
    hour: number;
  } {
    return {
      inFlight: this.inFlight,
      cap: this.cap,
      learned: this.learned,
      queued: this.queue.length,
      minute: this.minute?.size ?? 0,
      hour: this.hour?.size ?? 0,
    };
  }

  /**
   * Counts requests an earlier process sent on the same account, as response times on this
   * pacer's clock; those already out of a window are ignored. Call before the first acquire.
   */
  seed(times: readonly number[]): void {
    const now = this.clock.now();
    for (const w of this.windows) w.seed(now, times);
  }

  /**
   * Response times (this pacer's clock) of the requests this pacer sent that its longest window
   * still holds, those in flight as now: what a later process needs to know. Neither seeded nor
   * phantom entries: the caller keeps what it seeded, and phantoms are guesses about others.
   */
  sentTimes(): number[] {
    return this.windows.at(-1)?.ownTimes(this.clock.now()) ?? [];
  }

  /** Resolves when a request may be sent; rejects with the signal's reason when aborted. */
  acquire(signal?: AbortSignal, label?: PacerLabel): Promise<PacerSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<PacerSlot>((resolve, reject) => {
      const waiter: Waiter = {
        label,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal?.reason);
          this.pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.inFlight >= (this.learned ? this.cap : 1)) return; // a release pumps again
      const now = this.clock.now();
      const wait = Math.max(0, ...this.windows.map((w) => w.waitMs(now)));
      if (wait > 0) {
        if (Number.isFinite(wait)) this.arm(now, wait);
        return;
      }
      const waiter = this.queue.shift();
      if (waiter === undefined) return;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.grant());
    }
    this.disarm();
  }

  private grant(): PacerSlot {
    this.inFlight++;
    const entries = this.windows.map((w) => w.add());
    let released = false;
    return {
      release: (budget = {}) => {
        if (released) return;
        released = true;
        this.inFlight--;
        const now = this.clock.now();
        for (const entry of entries) entry.t = now;
        const refused = budget.rateLimited === true;
        if (this.minute !== undefined && budget.minuteRemaining !== undefined) {
          this.minute.reconcile(now, budget.minuteRemaining, this.inFlight, refused);
        }
        if (this.hour !== undefined && budget.hourRemaining !== undefined) {
          this.hour.reconcile(now, budget.hourRemaining, this.inFlight, refused);
        }
        this.adaptConcurrency(budget);
        // Any answer teaches what there is to learn: a response without the headers will not
        // grow them on a second try, and a failure must not leave the pacer at one forever.
        this.learned = true;
        this.pump();
      },
    };
  }

  /** A 429 with budget left in both windows can only mean too many requests in flight. */
  private adaptConcurrency(budget: ResponseBudget): void {
    if (this.windows.length === 0) return;
    const windowFull = budget.minuteRemaining === 0 || budget.hourRemaining === 0;
    if (budget.rateLimited === true && !windowFull) {
      this.cap = Math.max(1, this.cap - 1);
      this.streak = 0;
    } else if (budget.rateLimited !== true && this.cap < this.concurrent) {
      if (++this.streak >= 2 * this.concurrent) {
        this.cap++;
        this.streak = 0;
      }
    }
  }

  private arm(now: number, waitMs: number): void {
    const deadline = now + waitMs;
    if (this.timer !== undefined && this.timer.deadline <= deadline) return;
    this.disarm();
    const controller = new AbortController();
    this.timer = { deadline, controller };
    this.options.onWait?.(waitMs, this.queue[0]?.label);
    this.clock.sleep(waitMs, controller.signal).then(
      () => {
        if (this.timer?.controller === controller) this.timer = undefined;
        this.pump();
      },
      () => undefined,
    );
  }

  private disarm(): void {
    this.timer?.controller.abort();
    this.timer = undefined;
  }
}
