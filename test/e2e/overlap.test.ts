import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox, writes } from './helpers.js';

/** A CSV big enough that `auto` lists the account, so the files load on a worker thread. */
function csv(rows: number, broken: readonly number[] = []): string {
  const lines = ['customerCode,contactName,cellPhone'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `OV${i},${broken.includes(i) ? '' : `Overlap ${i}`},403555${String(1000 + i).padStart(4, '0')}`,
    );
  }
  return lines.join('\n') + '\n';
}

test('a big CSV plans while the account is read, with the same plan as a sequential run', async () => {
  const box = await Sandbox.start({ seed: 30 });
  try {
    box.write('big.csv', csv(250));
    const auto = await box.run(['plan', 'big.csv', '--json']);
    const lookup = await box.run(['plan', 'big.csv', '--json', '--fetch', 'lookup']);
    assert.equal(auto.code, 0, auto.stderr);
    const a: unknown = JSON.parse(auto.stdout);
    const b: unknown = JSON.parse(lookup.stdout);
    assert.ok(typeof a === 'object' && a !== null && 'summary' in a && 'fetch' in a);
    assert.ok(typeof b === 'object' && b !== null && 'summary' in b);
    assert.deepEqual(a.fetch, { strategy: 'list', calls: 1, fetched: 30, accountSize: 30 });
    assert.deepEqual(a.summary, {
      create: 250,
      update: 0,
      unchanged: 0,
      remoteOnly: 30,
      conflict: 0,
    });
    assert.deepEqual(b.summary, {
      create: 250,
      update: 0,
      unchanged: 0,
      remoteOnly: null,
      conflict: 0,
    });
  } finally {
    await box.emulator.close();
  }
});

test('errors in a big CSV stop the run with their places and no write, even with the account read meanwhile', async () => {
  const box = await Sandbox.start();
  try {
    box.write('big.csv', csv(250, [7, 120]));
    const run = await box.run(['apply', 'big.csv', '--auto-approve']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /big\.csv: row 9/);
    assert.match(run.stderr, /big\.csv: row 122/);
    assert.match(run.stderr, /the desired state has 2 errors; nothing was written/);
    assert.equal(writes(box.emulator.stats()), 0);

    const skipped = await box.run(['apply', 'big.csv', '--auto-approve', '--skip-invalid']);
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stderr, /wrote 2 invalid records to .*big\.rejects\.csv/);
    assert.equal(box.emulator.stats().customers, 248);
    assert.equal(box.mode('big.rejects.csv'), 0o600);
  } finally {
    await box.emulator.close();
  }
});

test('a duplicate found after its first record went to the planner leaves both out, as a sequential run does', async () => {
  const box = await Sandbox.start({ seed: 30 });
  try {
    // Rows are validated 500 at a time: the first OV5 is planned-for long before the second.
    const rows = csv(1200).split('\n');
    rows[1000] = rows[1000]?.replace(/^OV999,/, 'OV5,') ?? '';
    box.write('big.csv', rows.join('\n'));
    const listed = await box.run(['plan', 'big.csv', '--json', '--skip-invalid']);
    const looked = await box.run([
      'plan',
      'big.csv',
      '--json',
      '--skip-invalid',
      '--fetch',
      'lookup',
    ]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(looked.code, 0, looked.stderr);
    const keys = (stdout: string): string[] => {
      const plan: unknown = JSON.parse(stdout);
      assert.ok(typeof plan === 'object' && plan !== null && 'actions' in plan);
      assert.ok(Array.isArray(plan.actions));
      return plan.actions.flatMap((a: unknown) =>
        typeof a === 'object' && a !== null && 'type' in a && a.type === 'create' && 'key' in a
          ? [String(a.key)]
          : [],
      );
    };
    const created = keys(listed.stdout);
    assert.equal(created.length, 1198);
    assert.ok(!created.includes('OV5'));
    assert.deepEqual(created, keys(looked.stdout));
    assert.match(listed.stderr, /wrote 2 invalid records/);
  } finally {
    await box.emulator.close();
  }
});
