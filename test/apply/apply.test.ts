import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomerData, RemoteCustomer } from '../../src/core/customer.js';
import { RemoteError } from '../../src/core/errors.js';
import { MemoryRemote } from '../../src/remote/memory.js';
import { planChanges } from '../../src/plan/plan.js';
import type { DesiredInput, Plan } from '../../src/plan/types.js';
import { applyPlan } from '../../src/apply/apply.js';
import { openJournal } from '../../src/apply/journal.js';

function desired(n: number, name = (i: number) => `Customer ${i}`): DesiredInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `C${i}`,
    data: { customerCode: `C${i}`, contactName: name(i) },
    source: `customers.yaml:${i + 3}`,
  }));
}

async function planAgainst(remote: MemoryRemote, wanted: DesiredInput[]): Promise<Plan> {
  const customers = await remote.list();
  return planChanges(wanted, customers, {
    provider: 'helcim',
    fetch: { strategy: 'list', calls: 1, fetched: customers.length },
  });
}

test('apply creates and updates, then a second plan shows no changes', async () => {
  const remote = new MemoryRemote([{ id: '1', customerCode: 'C0', contactName: 'Old name' }]);
  const wanted = desired(4);
  const report = await applyPlan(await planAgainst(remote, wanted), remote);
  assert.deepEqual(report.summary, {
    created: 3,
    updated: 1,
    stale: 0,
    failed: 0,
    conflicts: 0,
    skipped: 0,
  });
  assert.ok(
    report.results.every((r) => r.status !== 'created' || /^\d+$/.test(r.id)),
    'created results carry the new id',
  );
  const again = await planAgainst(remote, wanted);
  assert.deepEqual(
    [again.summary.create, again.summary.update, again.summary.unchanged],
    [0, 0, 4],
  );
});

test('a record in conflict counts as failed and as a conflict, and nothing is sent for it', async () => {
  // Two customers share the code C1: its record is a conflict in the plan.
  const remote = new MemoryRemote(
    [
      { id: '1', customerCode: 'C1', contactName: 'One' },
      { id: '2', customerCode: 'C1', contactName: 'Also one' },
    ],
    { duplicateCodes: 'accept' },
  );
  const report = await applyPlan(await planAgainst(remote, desired(3)), remote);
  assert.deepEqual(report.summary, {
    created: 2,
    updated: 0,
    stale: 0,
    failed: 1,
    conflicts: 1,
    skipped: 0,
  });
  assert.equal(remote.calls.update, 0);
  assert.equal(remote.calls.create, 2);
});

test("a failed record does not stop the others and carries Helcim's error", async () => {
  class Flaky extends MemoryRemote {
    override async create(data: CustomerData & { customerCode: string }): Promise<RemoteCustomer> {
      if (data.customerCode === 'C1') {
        throw new RemoteError('ERR_REMOTE_HTTP', 'Helcim answered 400', {
          status: 400,
          problems: [{ field: 'cellPhone', message: 'too short' }],
        });
      }
      return super.create(data);
    }
  }
  const remote = new Flaky();
  const report = await applyPlan(await planAgainst(remote, desired(3)), remote);
  assert.deepEqual(report.summary, {
    created: 2,
    updated: 0,
    stale: 0,
    failed: 1,
    conflicts: 0,
    skipped: 0,
  });
  const failed = report.results.find((r) => r.status === 'failed');
  assert.deepEqual(failed?.status === 'failed' ? failed.error.problems : [], [
    { field: 'cellPhone', message: 'too short' },
  ]);
});

test('--max-creates refuses the plan before any write', async () => {
  const remote = new MemoryRemote();
  const plan = await planAgainst(remote, desired(10));
  await assert.rejects(
    applyPlan(plan, remote, { maxCreates: 5 }),
    /creates 10 customers, more than --max-creates 5; nothing was written/,
  );
  assert.equal(remote.calls.create, 0);
  assert.equal(remote.customers.size, 0);
});

test('a saved plan skips a record changed in Helcim since, as stale, and applies the rest', async () => {
  const remote = new MemoryRemote([
    { id: '1', customerCode: 'C0', contactName: 'a' },
    { id: '2', customerCode: 'C1', contactName: 'b' },
  ]);
  const plan = await planAgainst(remote, desired(2));
  await remote.update('2', { contactName: 'edited in the Helcim UI' });
  const report = await applyPlan(plan, remote, { recheck: true });
  assert.deepEqual(report.summary, {
    created: 0,
    updated: 1,
    stale: 1,
    failed: 0,
    conflicts: 0,
    skipped: 0,
  });
  assert.equal(
    remote.customers.get('2')?.contactName,
    'edited in the Helcim UI',
    'never overwritten blind',
  );
});

test('a create whose code appeared since the plan is stale, not a duplicate', async () => {
  const remote = new MemoryRemote();
  const plan = await planAgainst(remote, desired(1));
  await remote.create({ customerCode: 'C0', contactName: 'someone else' });
  const report = await applyPlan(plan, remote);
  assert.equal(report.summary.stale, 1);
  assert.equal(remote.customers.size, 1);
});

test('an abort stops starting new writes; those started finish and the rest are skipped', async () => {
  const controller = new AbortController();
  const remote = new MemoryRemote();
  const plan = await planAgainst(remote, desired(20));
  let lastDone = 0;
  const report = await applyPlan(plan, remote, {
    signal: controller.signal,
    concurrency: 1,
    onProgress: (p) => {
      lastDone = p.done;
      if (p.done === 3) controller.abort();
    },
  });
  assert.equal(report.interrupted, true);
  assert.equal(lastDone, 3, 'writes never started do not count as progress');
  assert.equal(report.summary.created, 3);
  assert.equal(report.summary.skipped, 17);
  assert.equal(remote.customers.size, 3);
});

test('the journal has one flushed JSON line per finished request, mode 0600', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-journal-'));
  const path = join(dir, 'apply.jsonl');
  const remote = new MemoryRemote();
  await applyPlan(await planAgainst(remote, desired(3)), remote, {
    journal: openJournal(path),
    now: () => new Date(0),
  });
  const lines = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l): unknown => JSON.parse(l));
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0], {
    v: 1,
    time: '1970-01-01T00:00:00.000Z',
    key: 'C0',
    action: 'create',
    status: 'created',
    id: '1000',
  });
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('a journal appended to an existing file tightens its mode to 0600', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-journal-'));
  const path = join(dir, 'apply.jsonl');
  writeFileSync(path, '{"v":1}\n', { mode: 0o644 });
  chmodSync(path, 0o644);
  const journal = openJournal(path);
  journal.close();
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(readFileSync(path, 'utf8'), '{"v":1}\n', 'earlier lines are kept');
});
