import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/apply/apply.js';
import type { RemoteCustomer } from '../../src/core/customer.js';
import { fetchRemote } from '../../src/fetch/fetch.js';
import { planChanges } from '../../src/plan/plan.js';
import type { DesiredInput, Plan } from '../../src/plan/types.js';
import { MemoryRemote } from '../../src/remote/memory.js';

function existing(n: number): RemoteCustomer[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(i + 1),
    customerCode: `OLD${i}`,
    contactName: `Old ${i}`,
  }));
}

function desired(codes: string[], name = 'Wanted'): DesiredInput[] {
  return codes.map((code, i) => ({
    key: code,
    data: { customerCode: code, contactName: `${name} ${code}` },
    source: `c.yaml:${i + 2}`,
  }));
}

/** A plan as `plan` makes it: fetched the cheaper way, costs stated with the provider's model. */
async function planAgainst(remote: MemoryRemote, wanted: DesiredInput[]): Promise<Plan> {
  const fetched = await fetchRemote(remote, {
    strategy: 'auto',
    codes: wanted.map((d) => d.key),
  });
  return planChanges(wanted, fetched.customers, {
    provider: 'helcim',
    fetch: fetched.info,
    readCost: remote.cost,
  });
}

function reads(remote: MemoryRemote): number {
  return remote.calls.list + remote.calls.find + remote.calls.get;
}

function codeCounts(remote: MemoryRemote): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of remote.customers.values())
    counts.set(String(c['customerCode']), (counts.get(String(c['customerCode'])) ?? 0) + 1);
  return counts;
}

test('a saved plan applied twice creates each customer once, even where duplicates are accepted', async () => {
  const remote = new MemoryRemote(existing(30), { duplicateCodes: 'accept' });
  const plan = await planAgainst(remote, desired(['N1', 'N2', 'N3']));
  const first = await applyPlan(plan, remote, { recheck: true });
  assert.equal(first.summary.created, 3);
  const second = await applyPlan(plan, remote, { recheck: true });
  assert.deepEqual(second.summary, {
    created: 0,
    updated: 0,
    stale: 3,
    failed: 0,
    conflicts: 0,
    skipped: 0,
  });
  assert.match(
    second.results[0]?.status === 'stale' ? second.results[0].reason : '',
    /code N\d exists in Helcim \(id \d+\): created since the plan was made, or by an earlier apply of this plan/,
  );
  assert.equal(remote.calls.create, 3, 'the second apply sends no create');
  assert.ok(
    [...codeCounts(remote).values()].every((n) => n === 1),
    'no code held twice',
  );
});

test('a saved plan re-checks a small account with one listing, and spends what the plan said', async () => {
  const remote = new MemoryRemote(existing(130));
  const edits = desired([
    'OLD1',
    'OLD2',
    'OLD3',
    'OLD4',
    'OLD5',
    'OLD6',
    'OLD7',
    'OLD8',
    'OLD9',
    'OLD10',
  ]);
  const plan = await planAgainst(remote, edits);
  assert.equal(plan.fetch.calls, 2, 'the plan listed the account (2 pages) rather than 10 lookups');
  assert.deepEqual(plan.cost.savedPlanCheck, { strategy: 'list', calls: 2 });
  const before = reads(remote);
  const report = await applyPlan(plan, remote, { recheck: true });
  assert.equal(report.summary.updated, 10);
  assert.equal(reads(remote) - before, 2);
  assert.equal(remote.calls.get, 0, 'no read per record');
  assert.equal(plan.fetch.calls + 2 + remote.calls.update, 14);
});

test('a saved plan re-checks one by one when that is cheaper, and still finds a taken code', async () => {
  const remote = new MemoryRemote(existing(1000));
  const plan = await planAgainst(remote, desired(['OLD1', 'NEW1']));
  assert.deepEqual(plan.cost.savedPlanCheck, { strategy: 'lookup', calls: 2 });
  await remote.create({ customerCode: 'NEW1', contactName: 'made in the Helcim UI' });
  const before = { find: remote.calls.find, get: remote.calls.get, list: remote.calls.list };
  const report = await applyPlan(plan, remote, { recheck: true });
  assert.deepEqual(report.summary, {
    created: 0,
    updated: 1,
    stale: 1,
    failed: 0,
    conflicts: 0,
    skipped: 0,
  });
  assert.deepEqual(
    {
      find: remote.calls.find - before.find,
      get: remote.calls.get - before.get,
      list: remote.calls.list - before.list,
    },
    { find: 1, get: 1, list: 0 },
  );
});

test('a record changed since a saved plan is stale whichever way it is re-read', async () => {
  for (const size of [10, 1000]) {
    const remote = new MemoryRemote(existing(size));
    const plan = await planAgainst(remote, desired(['OLD1', 'OLD2']));
    await remote.update('2', { contactName: 'edited in the Helcim UI' });
    const report = await applyPlan(plan, remote, { recheck: true });
    assert.deepEqual(
      report.summary,
      { created: 0, updated: 1, stale: 1, failed: 0, conflicts: 0, skipped: 0 },
      `account of ${size}`,
    );
    assert.equal(remote.customers.get('2')?.contactName, 'edited in the Helcim UI');
  }
});
