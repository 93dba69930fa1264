import cliProgress from 'cli-progress';
import type { ApplyProgress } from '../apply/apply.js';
import { formatDuration } from '../plan/cost.js';
import type { CliContext } from './context.js';

export interface ProgressReporter {
  update(progress: ApplyProgress): void;
  stop(): void;
}

/** Plain lines on a pipe or in CI: no more often than this. */
const PLAIN_EVERY_MS = 5_000;

/**
 * Apply's progress on stderr: a redrawn bar on a terminal (cli-progress handles the redraw,
 * the cursor and the ETA), plain periodic lines elsewhere so CI logs stay readable.
 */
export function progressReporter(
  ctx: CliContext,
  total: number,
  now: () => number = () => performance.now(),
): ProgressReporter {
  if (total === 0) return { update() {}, stop() {} };
  const started = now();
  const rate = (done: number): number => {
    const minutes = (now() - started) / 60_000;
    return minutes > 0 ? Math.round(done / minutes) : 0;
  };
  if (ctx.stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        stream: ctx.stderr,
        format:
          'applying [{bar}] {value}/{total} | {failed} failed | {rate}/min | {eta_formatted} left',
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { failed: 0, rate: 0 });
    return {
      update: (p) => bar.update(p.done, { failed: p.failed, rate: rate(p.done) }),
      stop: () => bar.stop(),
    };
  }
  let lastLine = started;
  return {
    update(p) {
      const t = now();
      if (t - lastLine < PLAIN_EVERY_MS && p.done < p.total) return;
      lastLine = t;
      const perMin = rate(p.done);
      const left =
        perMin > 0 && p.done < p.total
          ? `, about ${formatDuration(((p.total - p.done) / perMin) * 60)} left`
          : '';
      ctx.stderr.write(`applied ${p.done}/${p.total}, ${p.failed} failed, ${perMin}/min${left}\n`);
    },
    stop() {},
  };
}
