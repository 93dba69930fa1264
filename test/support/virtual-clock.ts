/**
 * Time that passes only while nothing else happens. A test marks the work it waits on (a request
 * on the wire: `begin()` when it goes, `end()` when its answer is in); while none is under way
 * and every promise has settled, time jumps to the earliest sleep's deadline. A run timed by it
 * (a client's pacer and an emulator's rate windows sharing it) takes the same time on an idle
 * machine as on a busy one: requests take no time, waits take exactly what they ask.
 */
import type { Clock } from '../../src/core/clock.js';

interface Timer {
  at: number;
  resolve: () => void;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class VirtualClock implements Clock {
  private t = 0;
  private timers: Timer[] = [];
  private busy = 0;
  private driving = false;

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const slept = new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
    this.drive();
    return slept;
  }

  /** Work has started that time must wait for (a request sent). */
  begin(): void {
    this.busy++;
  }

  /** That work is over (its answer is in). */
  end(): void {
    if (this.busy === 0) throw new Error('VirtualClock.end() without begin()');
    this.busy--;
  }

  /** Fires due timers, one deadline at a time, whenever nothing is under way. */
  private drive(): void {
    if (this.driving) return;
    this.driving = true;
    void (async () => {
      try {
        while (this.timers.length > 0) {
          // Every promise chain runs to its next wait first: only sleeps and marked work remain.
          for (let i = 0; i < 5; i++) await nextTurn();
          if (this.busy > 0) {
            await realSleep(1);
            continue;
          }
          const due = [...this.timers].sort((a, b) => a.at - b.at)[0];
          if (due === undefined) break;
          this.timers = this.timers.filter((x) => x !== due);
          this.t = Math.max(this.t, due.at);
          due.resolve();
        }
      } finally {
        this.driving = false;
      }
    })();
  }
}
