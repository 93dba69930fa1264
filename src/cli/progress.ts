import cliProgress from 'cli-progress';
import type { ApplyProgress } from '../apply/apply.js';
import type { RateLimits } from '../core/rate-limits.js';
import { formatDuration } from '../plan/cost.js';
import type { CliContext } from './context.js';

export interface ProgressReporter {
  update(progress: ApplyProgress): void;
  stop(): void;
}

/** Plain lines on a pipe or in CI: no more often than this. */
const PLAIN_EVERY_MS = 5_000;

/**
 * No estimate before this many writes and this much time: the first writes may have waited for
 * a minute's budget spent by the plan's reads (or an earlier run), and a rate taken from them
 * said "about 1h 39m left" for a one-minute job.
 */
export const ETA_MIN_DONE = 10;
export const ETA_MIN_ELAPSED_MS = 5_000;
/** The observed rate is that of the latest writes, so that a wait at the start fades out. */
const RECENT_WRITES = 20;

export interface EtaOptions {
  /** The account's limits the client paces under; `off` or absent: no ceiling. */
  limits?: RateLimits | 'off';
  /** `--time-scale`: an emulator's minute and hour are 1/scale of real ones. */
  timeScale?: number;
  /**
   * Requests each write takes (default 1): 2 when a saved plan reads each record again right
   * before writing it, which halves the writes the limits allow.
   */
  requestsPerWrite?: number;
}

/**
 * Time left in an apply: the writes left at the slower of the rate observed over the latest
 * writes and the fastest rate the limits allow for a run of this size (every write is at least
 * one request, two with a read before it). Never faster than the limits allow, and it follows
 * the run as it speeds up.
 */
export class EtaEstimator {
  private readonly recent: number[] = [];
  private done = 0;
  /** Writes per millisecond the limits allow at most, sustained. */
  private readonly ceiling: number;

  constructor(
    private readonly total: number,
    private readonly started: number,
    options: EtaOptions = {},
  ) {
    const limits = options.limits;
    const scale = options.timeScale ?? 1;
    if (limits === undefined || limits === 'off') {
      this.ceiling = Infinity;
      return;
    }
    const requests = Math.max(1, options.requestsPerWrite ?? 1);
    const perMinute = limits.perMinute / requests / (60_000 / scale);
    // The hour's budget binds only a run longer than it: a shorter one fits in its first hour.
    const perHour =
      total * requests > limits.perHour
        ? limits.perHour / requests / (3_600_000 / scale)
        : Infinity;
    this.ceiling = Math.min(perMinute, perHour);
  }

  /** Writes finished so far (`done`), as of time `t`. */
  record(done: number, t: number): void {
    for (; this.done < done; this.done++) {
      this.recent.push(t);
      if (this.recent.length > RECENT_WRITES + 1) this.recent.shift();
    }
  }

  /** Seconds left, or undefined while too few writes have finished for a rate to mean anything. */
  secondsLeft(t: number): number | undefined {
    const left = this.total - this.done;
    if (left <= 0) return 0;
    if (this.done < ETA_MIN_DONE || t - this.started < ETA_MIN_ELAPSED_MS) return undefined;
    const oldest = this.recent[0] ?? this.started;
    // Measured up to now, not to the last write: writes that stall slow the estimate down.
    const observed = (this.recent.length - 1) / Math.max(t - oldest, 1);
    const rate = Math.min(observed, this.ceiling);
    return rate > 0 ? left / rate / 1000 : undefined;
  }
}

/** `about 2m left`, or what is said while there is no estimate yet. */
export function etaText(seconds: number | undefined): string {
  return seconds === undefined ? 'estimating time left' : `about ${formatDuration(seconds)} left`;
}

/**
 * Apply's progress on stderr: a redrawn bar on a terminal (cli-progress handles the redraw and
 * the cursor), plain periodic lines elsewhere so CI logs stay readable. The time left is ours
 * (EtaEstimator), not cli-progress's, which extrapolates from the first writes.
 */
export function progressReporter(
  ctx: CliContext,
  total: number,
  options: EtaOptions = {},
  now: () => number = () => performance.now(),
): ProgressReporter {
  if (total === 0) return { update() {}, stop() {} };
  const started = now();
  const eta = new EtaEstimator(total, started, options);
  const rate = (done: number, t: number): number => {
    const minutes = (t - started) / 60_000;
    return minutes > 0 ? Math.round(done / minutes) : 0;
  };
  if (ctx.stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        stream: ctx.stderr,
        format: 'applying [{bar}] {value}/{total} | {failed} failed | {rate}/min | {left}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { failed: 0, rate: 0, left: etaText(undefined) });
    return {
      update: (p) => {
        const t = now();
        eta.record(p.done, t);
        bar.update(p.done, {
          failed: p.failed,
          rate: rate(p.done, t),
          left: etaText(eta.secondsLeft(t)),
        });
      },
      stop: () => bar.stop(),
    };
  }
  let lastLine = started;
  return {
    update(p) {
      const t = now();
      eta.record(p.done, t);
      if (t - lastLine < PLAIN_EVERY_MS && p.done < p.total) return;
      lastLine = t;
      const seconds = p.done < p.total ? eta.secondsLeft(t) : undefined;
      const left = seconds === undefined ? '' : `, ${etaText(seconds)}`;
      // Over less than a second, writes a minute are an extrapolation nobody saw (one write in
      // 3 ms read "20000/min").
      const perMinute = t - started < 1000 ? '' : `, ${rate(p.done, t)}/min`;
      ctx.stderr.write(`applied ${p.done}/${p.total}, ${p.failed} failed${perMinute}${left}\n`);
    },
    stop() {},
  };
}
