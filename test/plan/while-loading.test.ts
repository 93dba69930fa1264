/**
 * `planSyncWhileLoading`: the listing runs while a planner elsewhere (a worker, in the CLI) loads
 * the files. Here that planner is an in-process stand-in, so each outcome of the load can be
 * chosen: ready, files with errors, or never done.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RemoteCustomer } from '../../src/core/customer.js';
import {
  planSync,
  planSyncWhileLoading,
  remoteNormalizer,
  toDesiredInput,
} from '../../src/pipeline.js';
import { Planner } from '../../src/plan/plan.js';
import type { PlannerElsewhere } from '../../src/plan/in-worker.js';
import type { FetchInfo, Plan } from '../../src/plan/types.js';
import { MemoryRemote } from '../../src/remote/memory.js';
import { providerInfo } from '../../src/providers/index.js';

const customers: RemoteCustomer[] = Array.from({ length: 250 }, (_, i) => ({
  id: String(i + 1),
  customerCode: `C${i}`,
  contactName: `Name ${i}`,
}));

const desired = [
  { key: 'C1', data: { customerCode: 'C1', contactName: 'Renamed' } },
  { key: 'C2', data: { customerCode: 'C2', contactName: 'Name 2' } },
  { key: 'N1', data: { customerCode: 'N1', contactName: 'New' } },
].map((d, i) => ({ ...d, place: { kind: 'csv' as const, file: 'a.csv', row: i + 2 } }));

/** A planner elsewhere whose load ends as `ready` says; it plans `desired` in process. */
function standIn(ready: Promise<boolean>): PlannerElsewhere & { pages: number } {
  let planner: Planner | undefined;
  const stand = {
    pages: 0,
    ready,
    start(options: Parameters<PlannerElsewhere['start']>[0]) {
      planner = new Planner(desired.map(toDesiredInput), options, {
        normalize: remoteNormalizer(providerInfo(options.provider)),
      });
    },
    add(page: readonly RemoteCustomer[]) {
      stand.pages += 1;
      planner?.add(page);
    },
    finish(fetch: FetchInfo): Promise<Plan> {
      if (planner === undefined) return Promise.reject(new Error('not started'));
      return Promise.resolve(planner.finish(fetch));
    },
  };
  return stand;
}

test('a listing while the files load plans what the load-then-fetch run plans', async () => {
  const remote = new MemoryRemote(customers);
  const whileLoading = await planSyncWhileLoading(standIn(Promise.resolve(true)), remote, {});
  const after = await planSync(desired, new MemoryRemote(customers), {
    config: { matchKey: 'customerCode', ignore: [] },
    fetch: 'list',
  });
  assert.deepEqual(whileLoading, after);
  assert.deepEqual(whileLoading?.summary, {
    create: 1,
    update: 1,
    unchanged: 1,
    remoteOnly: 248,
    conflict: 0,
  });
});

test('files with errors stop the run with no plan', async () => {
  const plan = await planSyncWhileLoading(
    standIn(Promise.resolve(false)),
    new MemoryRemote(customers),
    {},
  );
  assert.equal(plan, undefined);
});

test('an interrupt while the files still load stops at once, without waiting for them', async () => {
  const interrupt = new AbortController();
  // A load that never ends: only the interrupt can stop this plan.
  const never = new Promise<boolean>(() => undefined);
  const planning = planSyncWhileLoading(standIn(never), new MemoryRemote(customers), {
    signal: interrupt.signal,
  });
  interrupt.abort(new Error('interrupted by SIGINT'));
  // The error a cancelled request raises, which the CLI reports as an interrupt (exit 130).
  await assert.rejects(planning, { code: 'ERR_ABORTED' });
});
