import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CliRun } from '../support/cli.js';
import {
  Sandbox,
  answered,
  codesOf,
  duplicates,
  people,
  show,
  yamlOf,
  type Person,
} from './helpers.js';

const FAULTS = '500:0.05,522:0.03,429:0.03,reset:0.03,lost-response:0.05';

/**
 * Applies until a plan shows no changes, as a person (or CI) would after a run that ended with
 * failed records. Each apply must make progress or succeed; a few rounds must be enough.
 */
async function applyUntilSettled(box: Sandbox): Promise<CliRun[]> {
  const runs: CliRun[] = [];
  for (let round = 0; round < 4; round++) {
    const apply = await box.run(['apply', 'c.yaml', '--auto-approve', '--timeout', '1500']);
    runs.push(apply);
    assert.ok(apply.code === 0 || apply.code === 1, show(apply));
    if (apply.code === 1) assert.match(apply.stdout, /failed/, show(apply));
    const plan = await box.run(['plan', 'c.yaml', '--detailed-exitcode', '--timeout', '1500']);
    if (plan.code === 0) return runs;
    assert.ok(plan.code === 2 || plan.code === 1, show(plan));
  }
  assert.fail(`no convergence after 4 applies:\n${runs.map(show).join('\n')}`);
}

test('apply under injected faults converges on re-apply: every create once, every update applied', async () => {
  const box = await Sandbox.start({
    faults: FAULTS,
    faultSeed: Number(process.env['E2E_FAULT_SEED'] ?? 11),
  });
  try {
    const wanted = people(30);
    box.write('c.yaml', yamlOf(wanted));
    await applyUntilSettled(box);
    let remote = await box.customers();
    assert.deepEqual(duplicates(remote), []);
    assert.deepEqual(codesOf(remote), wanted.map((p) => p.customerCode).sort());

    const edited: Person[] = wanted.map((p, i) =>
      i % 3 === 0 ? { ...p, contactName: `${p.contactName} v2`, city: 'Banff' } : p,
    );
    box.write('c.yaml', yamlOf(edited));
    await applyUntilSettled(box);
    remote = await box.customers();
    assert.deepEqual(duplicates(remote), []);
    assert.equal(remote.length, wanted.length);
    for (const p of edited) {
      assert.equal(
        remote.find((c) => c.customerCode === p.customerCode)?.contactName,
        p.contactName,
      );
    }
    const stats = box.stats();
    assert.equal(
      answered(stats, 'POST /v2/customers', '400'),
      0,
      'a create whose answer was lost is looked up, never blindly sent again',
    );
    const faults = stats.faults;
    assert.ok(
      (faults['lost-response'] ?? 0) > 0,
      `faults were injected: ${JSON.stringify(faults)}`,
    );
  } finally {
    await box.close();
  }
});
