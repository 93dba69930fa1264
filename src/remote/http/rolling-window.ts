/**
 * One rolling window of a client's rate limit (a minute, an hour): the requests that still count
 * in it, each from its send until a full window after its answer. The server counts a request
 * when it arrives, which the client cannot see; the answer's time is an upper bound of it.
 * Helcim's pacer also records others' requests its headers reveal, and an earlier run's; Payment
 * Kit's limiter keeps only its own, for the limits a person gives.
 */

export interface Entry {
  /** When the response arrived; `Infinity` while the request is in flight. */
  t: number;
  /**
   * `own`: sent by this pacer. `phantom`: someone else's, inferred from the headers, so dropped
   * again when the headers say the budget is back. `seeded`: sent by an earlier process of ours,
   * a fact like our own requests, never dropped by a header's hint.
   */
  kind: 'own' | 'phantom' | 'seeded';
}

export class RollingWindow {
  private entries: Entry[] = [];
  /** After a 429 for this window: nothing is sent before the server's window has turned over. */
  private blockedUntil = -Infinity;

  constructor(
    readonly limit: number,
    readonly lengthMs: number,
    // Timers fire on whole milliseconds and the server's clock ticks on its own.
    private readonly marginMs = Math.max(2, lengthMs * 0.002),
  ) {}

  get size(): number {
    return this.entries.length;
  }

  private prune(now: number): void {
    const horizon = now - this.lengthMs - this.marginMs;
    if (this.entries.some((e) => e.t <= horizon)) {
      this.entries = this.entries.filter((e) => e.t > horizon);
    }
  }

  /** 0 when one more request may start now; `Infinity` when only a response can free a place. */
  waitMs(now: number): number {
    this.prune(now);
    if (now < this.blockedUntil) return this.blockedUntil - now;
    if (this.entries.length < this.limit) return 0;
    const times = this.entries.map((e) => e.t).sort((a, b) => a - b);
    const freeing = times[this.entries.length - this.limit] ?? Infinity;
    return Math.max(1, freeing + this.lengthMs + this.marginMs - now);
  }

  add(): Entry {
    const entry: Entry = { t: Infinity, kind: 'own' };
    this.entries.push(entry);
    return entry;
  }

  seed(now: number, times: readonly number[]): void {
    const horizon = now - this.lengthMs - this.marginMs;
    for (const t of times) if (t > horizon) this.entries.push({ t, kind: 'seeded' });
  }

  /** Our own requests' times; those still in flight as `now`. */
  ownTimes(now: number): number[] {
    const times: number[] = [];
    for (const e of this.entries) if (e.kind === 'own') times.push(Math.min(e.t, now));
    return times;
  }

  /** Aligns our count with the server's, after one of our requests got its response. */
  reconcile(now: number, remaining: number, othersInFlight: number, refused: boolean): void {
    this.prune(now);
    if (refused && remaining <= 0) {
      // Refused requests count on the server too, so its window may be over full by an amount
      // no header shows; topping up to the limit and sending again as places free would keep it
      // full forever with everyone's refusals. Only a whole window without us is sure to drain.
      this.blockedUntil = Math.max(this.blockedUntil, now + this.lengthMs + this.marginMs);
    }
    const serverUsed = Math.min(this.limit, Math.max(0, this.limit - remaining));
    const ours = this.entries.length;
    if (serverUsed > ours) {
      for (let i = ours; i < serverUsed; i++) this.entries.push({ t: now, kind: 'phantom' });
      return;
    }
    // Our requests still on the way may not have reached the server's count yet.
    let surplus = ours - serverUsed - othersInFlight;
    if (surplus <= 0) return;
    const phantoms = this.entries.filter((e) => e.kind === 'phantom').sort((a, b) => a.t - b.t);
    const drop = new Set<Entry>();
    for (const p of phantoms) {
      if (surplus-- <= 0) break;
      drop.add(p);
    }
    this.entries = this.entries.filter((e) => !drop.has(e));
  }
}
