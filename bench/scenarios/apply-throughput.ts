import { rmSync } from 'node:fs';
import { leastSeconds } from '../../src/plan/cost.js';
import { leastRunSeconds } from '../ceiling.js';
import { benchFiles } from '../generate.js';
import { measure, num, type Figures, type Scenario } from '../measure.js';
import { startEmulatorProcess } from '../process.js';
import { remoteStateFile, scratchCopy } from '../remote-state.js';

const UPDATES = 1_000;
const RATE = '5/100/3000';
const LIMITS = { concurrent: 5, perMinute: 100, perHour: 3000 };
const SCALE = 60;
const LATENCY_MS = 20;
/** The other client's share of the budget in the second run. */
const OTHERS_SHARE = 0.3;

/**
 * The ceiling, per emulated minute, for a run of `calls` calls of which the first `listing` are
 * the pages of the listing: what an ideal client could achieve under the limits (5 in flight,
 * the minute's and the hour's windows, counted on arrival), one latency per call, and pages
 * one after another as the API forces. Over 11 pages and 1,000 updates that is 98.9 a minute.
 */
export function ceilingPerMin(calls: number, listing: number, share = 1): number {
  const seconds = leastRunSeconds({
    sequential: listing,
    parallel: calls - listing,
    concurrent: LIMITS.concurrent,
    perMinute: Math.floor(LIMITS.perMinute * share),
    perHour: Math.floor(LIMITS.perHour * share),
    latency: (LATENCY_MS * SCALE) / 1000,
  });
  return round1(calls / (seconds / 60));
}

/**
 * The same from the windows alone (`leastSeconds`: the first 100 calls at once, then 100 a
 * minute, the hour's 3,000 counted) plus one latency: 100.9 a minute for 1,011 calls. Shown
 * next to the ceiling; it ignores that pages come one at a time and that five may be in flight.
 */
function windowsOnlyPerMin(calls: number): number {
  const seconds = leastSeconds(calls, LIMITS) + (LATENCY_MS * SCALE) / 1000;
  return round1(calls / (seconds / 60));
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Calls per emulated minute over the active time (real ms at the emulator's time scale). */
function perEmulatedMinute(calls: number, activeMs: number): number {
  return round1(calls / ((activeMs * SCALE) / 60_000));
}

async function applyRun(shared: boolean): Promise<Figures> {
  const { csv } = await benchFiles(UPDATES);
  const state = scratchCopy(await remoteStateFile(UPDATES, 1), shared ? 'shared' : 'alone');
  const emulator = await startEmulatorProcess({
    state,
    rateLimit: RATE,
    timeScale: SCALE,
    latencyMs: LATENCY_MS,
  });
  try {
    if (!shared) return await measure('apply-throughput', csv, emulator.url, RATE, String(SCALE));
    // Long enough to cover the whole apply at the 70% left to it, plus margin.
    const ms = ((UPDATES * 1.1) / (LIMITS.perMinute * (1 - OTHERS_SHARE))) * (60_000 / SCALE);
    const other = measure(
      'spender',
      emulator.url,
      String(LIMITS.perMinute * OTHERS_SHARE),
      String(SCALE),
      String(Math.round(ms)),
    );
    await new Promise((resolve) => setTimeout(resolve, 60_000 / SCALE));
    const ours = await measure('apply-throughput', csv, emulator.url, RATE, String(SCALE));
    const theirs = await other;
    return { ...ours, otherSent: num(theirs, 'sent'), otherHttp429: num(theirs, 'http429') };
  } finally {
    await emulator.stop();
    rmSync(state, { force: true });
  }
}

export const applyThroughput: Scenario = {
  name: 'apply-throughput',
  goal: '1,000 updates at 5/100/3000 (x60, 20 ms): >= 95% of the ceiling, no 429, none failed; sharing 30% of the budget: none failed',
  async run() {
    const alone = await applyRun(false);
    const shared = await applyRun(true);
    const calls = num(alone, 'calls');
    const achievedPerMin = perEmulatedMinute(calls, num(alone, 'activeMs'));
    const ceiling = ceilingPerMin(calls, num(alone, 'fetchCalls'));
    const sharedCalls = num(shared, 'calls');
    const figures = {
      updates: num(alone, 'updated'),
      calls,
      achievedPerMin,
      ceilingPerMin: ceiling,
      windowsOnlyPerMin: windowsOnlyPerMin(calls),
      http429: num(alone, 'http429'),
      failed: num(alone, 'failed'),
      sharedAchievedPerMin: perEmulatedMinute(sharedCalls, num(shared, 'activeMs')),
      sharedCeilingPerMin: ceilingPerMin(sharedCalls, num(shared, 'fetchCalls'), 1 - OTHERS_SHARE),
      sharedHttp429: num(shared, 'http429'),
      sharedFailed: num(shared, 'failed'),
      sharedUpdated: num(shared, 'updated'),
      otherSent: num(shared, 'otherSent'),
      otherHttp429: num(shared, 'otherHttp429'),
    };
    return {
      ...figures,
      pass:
        achievedPerMin >= 0.95 * ceiling &&
        figures.http429 === 0 &&
        figures.failed === 0 &&
        figures.updates === UPDATES &&
        figures.sharedFailed === 0 &&
        figures.sharedUpdated === UPDATES,
    };
  },
};
