import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Sandbox, countRequests, people, show, yamlOf } from './helpers.js';

function git(box: Sandbox, ...args: string[]): void {
  execFileSync('git', args, { cwd: box.dir, stdio: 'ignore' });
}

interface PlanJson {
  summary: { create: number; update: number; unchanged: number; remoteOnly: number | null };
  fetch: { strategy: string; calls: number };
  changedSince?: { ref: string; unchanged: number; removed: { key: string; source: string }[] };
  actions: { type: string; key: string }[];
}

function planOf(stdout: string): PlanJson {
  const parsed: unknown = JSON.parse(stdout);
  assert.ok(typeof parsed === 'object' && parsed !== null && 'summary' in parsed);
  return parsed as PlanJson;
}

test('plan --changed-since reads Helcim only for the records a commit range changed', async () => {
  // A big account: what a full plan would list in 11 calls.
  const box = await Sandbox.start({ seed: 1000 });
  try {
    const wanted = people(40);
    box.write('customers.yaml', yamlOf(wanted));
    const first = await box.run(['apply', 'customers.yaml', '--auto-approve']);
    assert.equal(first.code, 0, show(first));
    git(box, 'init', '-q', '-b', 'main');
    git(box, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', 'customers.yaml');
    git(box, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base');

    // The pull request: two edits, one new record, one removed.
    const edited = wanted
      .filter((p) => p.customerCode !== 'E2E-0007')
      .map((p) =>
        p.customerCode === 'E2E-0003' || p.customerCode === 'E2E-0030'
          ? { ...p, contactName: `${p.contactName} (edited)` }
          : p,
      );
    box.write('customers.yaml', yamlOf([...edited, ...people(1, 'NEW')]));

    const before = countRequests(box.stats(), 'GET');
    const run = await box.run(['plan', 'customers.yaml', '--changed-since', 'main', '--json']);
    assert.equal(run.code, 0, show(run));
    const plan = planOf(run.stdout);
    assert.equal(countRequests(box.stats(), 'GET') - before, 3, 'one lookup per changed record');
    assert.deepEqual(
      {
        create: plan.summary.create,
        update: plan.summary.update,
        remoteOnly: plan.summary.remoteOnly,
      },
      { create: 1, update: 2, remoteOnly: null },
    );
    assert.deepEqual(plan.fetch, { strategy: 'lookup', calls: 3, fetched: 2 });
    assert.equal(plan.changedSince?.ref, 'main');
    assert.equal(plan.changedSince?.unchanged, 37);
    assert.deepEqual(
      plan.changedSince?.removed.map((r) => r.key),
      ['E2E-0007'],
    );

    // Listed instead, the account still reports no "remote only": the unchanged records are
    // left out of the plan, not gone from the files.
    const listed = await box.run([
      'plan',
      'customers.yaml',
      '--changed-since',
      'main',
      '--fetch',
      'list',
      '--json',
    ]);
    assert.equal(listed.code, 0, show(listed));
    const listedPlan = planOf(listed.stdout);
    assert.equal(listedPlan.summary.remoteOnly, null);
    assert.equal(listedPlan.actions.filter((a) => a.type === 'remote-only').length, 0);
    assert.equal(listedPlan.summary.update, 2);

    const text = await box.run(['plan', 'customers.yaml', '--changed-since', 'main']);
    assert.equal(text.code, 0, show(text));
    assert.match(
      text.stdout,
      /Compared with main: only records added or changed in the files since were read; 37 unchanged records left out/,
    );
    assert.match(
      text.stdout,
      /1 record removed from the files since main: no longer managed, never touched in Helcim:\n {2}- E2E-0007 \(was customers\.yaml:\d+\)/,
    );
    assert.equal(
      countRequests(box.stats(), 'PUT') + countRequests(box.stats(), 'POST'),
      40,
      'plans write nothing',
    );
  } finally {
    await box.close();
  }
});

test('plan --changed-since with an unknown revision fails before reading Helcim', async () => {
  const box = await Sandbox.start();
  try {
    box.write('customers.yaml', yamlOf(people(2)));
    git(box, 'init', '-q');
    const before = box.stats().totalRequests;
    const run = await box.run(['plan', 'customers.yaml', '--changed-since', 'no-such-branch']);
    assert.equal(run.code, 1, show(run));
    assert.match(run.stderr, /--changed-since: "no-such-branch" is not a commit this clone knows/);
    assert.equal(box.stats().totalRequests, before);
  } finally {
    await box.close();
  }
});
