import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Figures, Scenario } from '../measure.js';
import { pkBenchFiles, pkRemoteStateFile } from '../payment-kit-data.js';
import { CLI, PK_EMULATOR_KEY, runMeasured, startPaymentKitEmulatorProcess } from '../process.js';
import { differing, scratchCopy } from '../remote-state.js';
import { countRequests } from './api-calls.js';
import { planSummary } from './plan-100k.js';

interface Case {
  name: string;
  desired: number;
  /** Customers in the (test-mode) account: the first `remote` generated ones, 1% renamed. */
  remote: number;
  /**
   * The account's size is remembered from an earlier listing (a `plan --fetch list` before the
   * counted run, its calls not counted), as in `api-calls`: before its first call, no method
   * can know whether 50 lookups or the listing is cheaper. The same run at first contact is
   * reported too (`firstCalls`), not judged: Payment Kit's first page carries `count`, so the
   * tool's probe learns the size in one call (1 + 50 + 1 = 52 here), which is not the minimum.
   */
  remembered?: boolean;
}

/** Payment Kit cannot create customers, so every case updates existing ones only. */
const CASES: readonly Case[] = [
  { name: 'update-10k', desired: 10_000, remote: 10_000 },
  { name: 'few-of-50k', desired: 50, remote: 50_000, remembered: true },
];

/** The contract's largest page (`pageSize` is clamped to 1..100). */
const PAGE_SIZE = 100;

/**
 * The fewest calls Payment Kit's API allows for a sync, from its contract
 * (/work/shared/payment-kit-api.md), not from the tool's own cost model:
 * - reading: either the mode's customers are listed, 100 a page; every answer carries `count`,
 *   so n customers take ceil(n/100) pages (1 for an empty account) and no call is needed to
 *   find the end; or each desired DID is looked up (`GET /api/customers/{did}`, one call each:
 *   no call takes several DIDs). The cheaper of the two. (`search` matches substrings of
 *   several fields, so what it returns, and so what it costs, cannot be known beforehand.)
 * - writing: one `PUT` per changed customer; there is no batch endpoint, an unchanged customer
 *   needs none, and there is no create (every desired customer here exists).
 * No customer checks out during a run, so no page shifts and nothing is read twice.
 */
export function pkMinimumCalls(desired: number, remote: number, changes: number): number {
  const listing = Math.max(1, Math.ceil(remote / PAGE_SIZE));
  return Math.min(listing, desired) + changes;
}

async function runCase(c: Case): Promise<Figures & { pass: boolean }> {
  const { csv, config } = await pkBenchFiles(c.desired);
  const state = await pkRemoteStateFile(c.remote);
  const changes = differing(Math.min(c.desired, c.remote));
  let planned = NaN;
  // What the tool remembers of the account lives in a folder of this case's own.
  const cache = mkdtempSync(join(tmpdir(), 'helcim-sync-bench-cache-'));
  const envOf = (url: string) => ({
    PAYMENT_KIT_URL: url,
    PAYMENT_KIT_ACCESS_KEY: PK_EMULATOR_KEY,
    HELCIM_SYNC_CACHE_DIR: cache,
  });
  const cli = async (args: string[], url: string): Promise<string> => {
    const run = await runMeasured([CLI, ...args, '--config', config], envOf(url));
    if (run.code !== 0)
      throw new Error(`${args[0] ?? ''} exited ${String(run.code)}: ${run.stderr}`);
    return run.stdout;
  };
  const apply = async (url: string): Promise<void> => {
    const summary = planSummary(
      await cli(['apply', csv, '--auto-approve', '--rate-limit', 'off'], url),
    );
    planned = summary === undefined ? NaN : summary.create + summary.update;
  };
  const start = (path: string | undefined) =>
    startPaymentKitEmulatorProcess(path === undefined ? {} : { state: path });
  let counted: Awaited<ReturnType<typeof countRequests>>;
  let firstCalls: number | undefined;
  let judgedPlanned = NaN;
  try {
    // Each run writes, so each gets its own copy of the account.
    counted = await countRequests(
      scratchCopy(state, `pk-${c.name}`),
      apply,
      c.remembered === true
        ? async (url) => {
            await cli(['plan', csv, '--fetch', 'list', '--rate-limit', 'off'], url);
          }
        : undefined,
      start,
    );
    judgedPlanned = planned;
    if (c.remembered === true) {
      rmSync(cache, { recursive: true, force: true });
      const first = await countRequests(
        scratchCopy(state, `pk-${c.name}-first`),
        apply,
        undefined,
        start,
      );
      firstCalls = first.total;
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  const minimum = pkMinimumCalls(c.desired, c.remote, changes);
  const route = (name: string): number => counted.routes.get(name) ?? 0;
  return {
    [`${c.name}.calls`]: counted.total,
    [`${c.name}.minimumCalls`]: minimum,
    [`${c.name}.pages`]: route('GET /api/customers'),
    [`${c.name}.lookups`]: route('GET /api/customers/{id}'),
    [`${c.name}.updates`]: route('PUT /api/customers/{id}'),
    ...(firstCalls === undefined ? {} : { [`${c.name}.firstCalls`]: firstCalls }),
    pass: counted.total === minimum && judgedPlanned === changes,
  };
}

export const pkApiCalls: Scenario = {
  name: 'pk-api-calls',
  goal: 'Payment Kit: calls of plan + apply == the minimum its API allows, in each case (10k vs 10k 1% changed: 100 pages + 100 updates; 50 vs 50k, its size remembered: 50 lookups + 1 update; firstCalls not judged)',
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
