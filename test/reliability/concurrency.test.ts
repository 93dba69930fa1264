/**
 * Two applies of the same plan at once on one account (two people, or a CI job started twice):
 * nobody is created twice, and the process that loses a race says so (stale) instead of
 * reporting a success it did not have or a failure that is not one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../src/core/random.js';
import type { CliRun } from '../support/cli.js';
import {
  Rig,
  differences,
  duplicateCodes,
  edited,
  generateCustomers,
  isRecord,
  show,
  size,
  type GeneratedCustomer,
  yamlOf,
} from './support.js';

interface Outcome {
  key: string;
  action: string;
  status: string;
  reason: string;
}

function outcomes(run: CliRun): Outcome[] {
  let report: unknown;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`the apply report is not JSON: ${show(run)}`);
  }
  if (!isRecord(report) || !Array.isArray(report['results'])) throw new Error(show(run));
  return report['results'].map((r: unknown) => {
    if (!isRecord(r)) throw new Error(`not a result: ${JSON.stringify(r)}`);
    return {
      key: String(r['key']),
      action: String(r['action']),
      status: String(r['status']),
      reason: typeof r['reason'] === 'string' ? r['reason'] : '',
    };
  });
}

/** An account where some of `wanted` exist with other values, and the files that want it all. */
async function setUp(
  rig: Rig,
  wanted: readonly GeneratedCustomer[],
  updates: number,
): Promise<void> {
  const rand = mulberry32(9);
  rig.write('before.yaml', yamlOf(wanted.slice(0, updates).map((c) => edited(c, rand))));
  const setup = await rig.run(['apply', 'before.yaml', '--auto-approve']);
  assert.equal(setup.code, 0, show(setup));
  rig.write('customers.yaml', yamlOf(wanted));
}

/**
 * Both reports together: each create done by exactly one run and refused as stale for the other.
 * With one saved plan both runs hold every action; runs from files plan on their own, so the
 * later one may already see some of the other's work and leave it out.
 */
function checkRace(
  a: CliRun,
  b: CliRun,
  wanted: readonly GeneratedCustomer[],
  updates: number,
  samePlan: boolean,
): void {
  const all = [...outcomes(a), ...outcomes(b)];
  for (const c of wanted.slice(updates)) {
    const mine = all.filter((o) => o.key === c.customerCode && o.action === 'create');
    const statuses = mine.map((o) => o.status).sort();
    if (samePlan || statuses.length === 2)
      assert.deepEqual(
        statuses,
        ['created', 'stale'],
        `${c.customerCode}: ${JSON.stringify(mine)}`,
      );
    else assert.deepEqual(statuses, ['created'], `${c.customerCode}: ${JSON.stringify(mine)}`);
    for (const stale of mine.filter((o) => o.status === 'stale'))
      assert.match(stale.reason, /created (in Helcim )?since the plan/);
  }
  for (const c of wanted.slice(0, updates)) {
    const mine = all.filter((o) => o.key === c.customerCode && o.action === 'update');
    if (samePlan) assert.equal(mine.length, 2, `${c.customerCode}: ${JSON.stringify(mine)}`);
    // Both may write the same values; neither may fail, and at least one must have written.
    assert.ok(
      mine.some((o) => o.status === 'updated') && mine.every((o) => o.status !== 'failed'),
      `${c.customerCode}: ${JSON.stringify(mine)}`,
    );
  }
  // The run that lost any race says so in its exit code.
  for (const run of [a, b]) {
    const lost = outcomes(run).some((o) => o.status === 'stale');
    assert.equal(run.code, lost ? 1 : 0, show(run));
  }
}

async function checkAccount(rig: Rig, wanted: readonly GeneratedCustomer[]): Promise<void> {
  const listed = await rig.customers();
  assert.deepEqual(duplicateCodes(listed), [], 'a customer was created twice');
  assert.equal(listed.length, wanted.length);
  assert.deepEqual(differences(listed, wanted), []);
  // The set-up created `updates` customers, the race the rest: each exactly once.
  const created = rig.stats().requests['POST /v2/customers']?.['200'] ?? 0;
  assert.equal(created, wanted.length, 'creates answered 200, the set-up included');
  const again = await rig.run(['plan', 'customers.yaml', '--detailed-exitcode']);
  assert.equal(again.code, 0, show(again));
}

test(`two applies of one saved plan at once (${size(30, 300)} records): no duplicate, the loser reports stale`, async () => {
  const total = size(30, 300);
  const updates = Math.floor(total / 5);
  const wanted = generateCustomers(total, 31, 'CON');
  // Latency makes the two runs overlap for their whole length.
  const rig = await Rig.start({ latencyMs: 15 });
  try {
    await setUp(rig, wanted, updates);
    const plan = await rig.run(['plan', 'customers.yaml', '--out', 'plan.json']);
    assert.equal(plan.code, 0, show(plan));
    const args = ['apply', 'plan.json', '--auto-approve', '--json'];
    const [a, b] = await Promise.all([rig.run(args), rig.run(args)]);
    checkRace(a, b, wanted, updates, true);
    await checkAccount(rig, wanted);
  } finally {
    await rig.close();
  }
});

test(`two applies from the same files at once (${size(30, 300)} records): no duplicate, the loser reports stale`, async () => {
  const total = size(30, 300);
  const updates = Math.floor(total / 5);
  const wanted = generateCustomers(total, 32, 'CNF');
  const rig = await Rig.start({ latencyMs: 15 });
  try {
    await setUp(rig, wanted, updates);
    const args = ['apply', 'customers.yaml', '--auto-approve', '--json'];
    const [a, b] = await Promise.all([rig.run(args), rig.run(args)]);
    checkRace(a, b, wanted, updates, false);
    await checkAccount(rig, wanted);
  } finally {
    await rig.close();
  }
});
