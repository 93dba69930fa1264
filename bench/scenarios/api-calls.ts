import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchFiles } from '../generate.js';
import { measure, type Figures, type Scenario } from '../measure.js';
import { CLI, EMULATOR_TOKEN, runMeasured, startEmulatorProcess } from '../process.js';
import { differing, remoteStateFile, scratchCopy } from '../remote-state.js';
import { planSummary } from './plan-100k.js';

interface Case {
  name: string;
  desired: number;
  /** Customers already in the account: the first `remote` generated ones, 1% of them different. */
  remote: number;
  /**
   * The account's size is remembered from an earlier listing (a `plan --fetch list` before the
   * counted run, its calls not counted): without it, no method can know an account is big
   * before reading it, and `auto` spends up to twice the minimum finding out (the `workflows`
   * scenario reports that first contact).
   */
  remembered?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'update-10k', desired: 10_000, remote: 10_000 },
  { name: 'few-of-50k', desired: 50, remote: 50_000, remembered: true },
  { name: 'create-5k', desired: 5_000, remote: 0 },
];

/**
 * The fewest calls Helcim's API allows for a sync, from first principles:
 * - reading: the account is either listed, 100 a page, where only a short page says it was the
 *   last (no count, no headers), so n customers take floor(n/100) + 1 pages; or each desired
 *   code is looked up (`customerCode` is an exact match of one code; no call takes several).
 *   The cheaper of the two. (`search` is a partial match over six fields: what it returns, and
 *   so what it costs, cannot be known before calling; it is not counted.)
 * - writing: one call per customer to create or update; there is no batch endpoint, and an
 *   unchanged customer needs none.
 */
export function minimumCalls(desired: number, remote: number, changes: number): number {
  const listing = Math.floor(remote / 100) + 1;
  return Math.min(listing, desired) + changes;
}

/** What `countCalls` needs of an emulator's process (Helcim's or Payment Kit's). */
export interface CountedEmulator {
  url: string;
  stats(): Promise<{
    totalRequests: number;
    /** `"<METHOD> <route template>"` to status to count. */
    requests: Record<string, Record<string, number>>;
  }>;
  stop(): Promise<void>;
}

/** Requests by `"<METHOD> <route template>"`, every status together. */
function byRoute(requests: Record<string, Record<string, number>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [route, statuses] of Object.entries(requests))
    out.set(
      route,
      Object.values(statuses).reduce((a, b) => a + b, 0),
    );
  return out;
}

/**
 * The requests `args` makes to an emulator started on `state` (removed afterwards: a private
 * copy), by the emulator's own count, in all and route by route; `warm` runs first, its
 * requests not counted.
 */
export async function countRequests(
  state: string | undefined,
  args: (url: string) => Promise<void>,
  warm?: (url: string) => Promise<void>,
  start: (state: string | undefined) => Promise<CountedEmulator> = (path) =>
    startEmulatorProcess(path === undefined ? {} : { state: path }),
): Promise<{ total: number; routes: Map<string, number> }> {
  const emulator = await start(state);
  try {
    await warm?.(emulator.url);
    const before = await emulator.stats();
    await args(emulator.url);
    const after = await emulator.stats();
    const routes = byRoute(after.requests);
    for (const [route, n] of byRoute(before.requests))
      routes.set(route, (routes.get(route) ?? 0) - n);
    return { total: after.totalRequests - before.totalRequests, routes };
  } finally {
    await emulator.stop();
    if (state !== undefined) rmSync(state, { force: true });
  }
}

async function countCalls(
  state: string | undefined,
  args: (url: string) => Promise<void>,
  warm?: (url: string) => Promise<void>,
): Promise<number> {
  return (await countRequests(state, args, warm)).total;
}

async function runCase(c: Case): Promise<Figures & { pass: boolean }> {
  const { csv } = await benchFiles(c.desired);
  const state = c.remote === 0 ? undefined : await remoteStateFile(c.remote);
  const existing = Math.min(c.desired, c.remote);
  const changes = c.desired - existing + differing(existing);
  let planned = NaN;
  // What the tool remembers of the account lives in a folder of this case's own.
  const cache = mkdtempSync(join(tmpdir(), 'helcim-sync-bench-cache-'));
  const envOf = (url: string) => ({
    HELCIM_API_URL: url,
    HELCIM_API_TOKEN: EMULATOR_TOKEN,
    HELCIM_SYNC_CACHE_DIR: cache,
  });
  // Each run writes, so each gets its own copy of the account.
  const calls = await countCalls(
    state && scratchCopy(state, `${c.name}-tool`),
    async (url) => {
      const run = await runMeasured(
        [CLI, 'apply', csv, '--auto-approve', '--rate-limit', 'off'],
        envOf(url),
      );
      if (run.code !== 0) throw new Error(`apply exited ${String(run.code)}: ${run.stderr}`);
      const summary = planSummary(run.stdout);
      planned = summary === undefined ? NaN : summary.create + summary.update;
    },
    c.remembered === true
      ? async (url) => {
          const run = await runMeasured(
            [CLI, 'plan', csv, '--fetch', 'list', '--rate-limit', 'off'],
            envOf(url),
          );
          if (run.code !== 0) throw new Error(`plan exited ${String(run.code)}: ${run.stderr}`);
        }
      : undefined,
  );
  rmSync(cache, { recursive: true, force: true });
  const naiveCalls = await countCalls(state && scratchCopy(state, `${c.name}-naive`), (url) =>
    measure('naive-sync', csv, url).then(() => undefined),
  );
  const minimum = minimumCalls(c.desired, c.remote, changes);
  return {
    [`${c.name}.calls`]: calls,
    [`${c.name}.minimumCalls`]: minimum,
    [`${c.name}.naiveCalls`]: naiveCalls,
    pass: calls === minimum && planned === changes,
  };
}

export const apiCalls: Scenario = {
  name: 'api-calls',
  goal: 'calls of plan + apply == the minimum the API allows, in each case (10k vs 10k 1% changed; 50 vs 50k, its size remembered; 5k new)',
  async run() {
    let figures: Figures = {};
    let pass = true;
    for (const c of CASES) {
      const { pass: casePass, ...caseFigures } = await runCase(c);
      figures = { ...figures, ...caseFigures };
      pass &&= casePass;
    }
    return { ...figures, pass };
  },
};
