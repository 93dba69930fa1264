import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Sandbox,
  codesOf,
  isRecord,
  jsonOut,
  people,
  show,
  writes,
  yamlOf,
  type Person,
} from './helpers.js';

/** The 1-based line of a record in a file written by yamlOf. */
function lineOf(yaml: string, code: string): number {
  return yaml.split('\n').findIndex((l) => l.includes(`customerCode: "${code}"`)) + 1;
}

/** Six customers, every other one with a billing address. */
function sixPeople(): Person[] {
  return people(6).map((p, i) => (i % 2 === 0 ? { ...p, city: 'Calgary' } : p));
}

test('a first apply creates everything and a second plan shows no changes', async () => {
  const box = await Sandbox.start();
  try {
    const wanted = sixPeople();
    box.write('c.yaml', yamlOf(wanted));

    const before = await box.run(['plan', 'c.yaml', '--detailed-exitcode']);
    assert.equal(before.code, 2, show(before));
    assert.match(before.stdout, /^Plan: 6 to create, 0 to update, 0 unchanged, 0 remote only\.$/m);
    assert.equal(writes(box.stats()), 0, 'plan writes nothing');

    const apply = await box.run(['apply', 'c.yaml', '--auto-approve']);
    assert.equal(apply.code, 0, show(apply));
    assert.match(apply.stdout, /Apply complete: 6 created, 0 updated, 0 stale, 0 failed\./);

    const remote = await box.customers();
    assert.deepEqual(codesOf(remote), wanted.map((p) => p.customerCode).sort());
    for (const p of wanted) {
      const c = remote.find((r) => r.customerCode === p.customerCode);
      assert.equal(c?.contactName, p.contactName);
      assert.equal(c?.cellphone, p.cellPhone);
    }

    const written = writes(box.stats());
    const again = await box.run(['plan', 'c.yaml', '--detailed-exitcode']);
    assert.equal(again.code, 0, show(again));
    assert.match(again.stdout, /No changes\./);
    assert.match(again.stdout, /^Plan: 0 to create, 0 to update, 6 unchanged, 0 remote only\.$/m);
    assert.equal(writes(box.stats()), written, 'a plan never writes');

    // Without --detailed-exitcode a plan with changes still exits 0.
    box.write('c.yaml', yamlOf([...wanted, ...people(1, 'NEW')]));
    const plain = await box.run(['plan', 'c.yaml']);
    assert.equal(plain.code, 0, show(plain));
    assert.match(plain.stdout, /^Plan: 1 to create, 0 to update, 6 unchanged, 0 remote only\.$/m);
  } finally {
    await box.close();
  }
});

test('an edited field shows up as exactly that field, in text and in --json', async () => {
  const box = await Sandbox.start();
  try {
    const wanted = sixPeople();
    box.write('c.yaml', yamlOf(wanted));
    const first = await box.run(['apply', 'c.yaml', '--auto-approve']);
    assert.equal(first.code, 0, show(first));

    const edited = wanted.map((p, i) =>
      i === 1 ? { ...p, contactName: 'Person Two' } : i === 4 ? { ...p, city: 'Edmonton' } : p,
    );
    box.write('c.yaml', yamlOf(edited));

    const text = await box.run(['plan', 'c.yaml', '--detailed-exitcode']);
    assert.equal(text.code, 2, show(text));
    const yaml = box.read('c.yaml');
    const changeLines = text.stdout
      .split('\n')
      .filter((l) => /^\s+~ /.test(l))
      .map((l) =>
        l
          .trim()
          .replace(/\s+/g, ' ')
          .replace(/\(id \d+,/, '(id N,'),
      );
    assert.deepEqual(changeLines, [
      `~ E2E-0001 will be updated (id N, c.yaml:${lineOf(yaml, 'E2E-0001')})`,
      '~ contactName "Person 1" -> "Person Two"',
      `~ E2E-0004 will be updated (id N, c.yaml:${lineOf(yaml, 'E2E-0004')})`,
      '~ billingAddress.city "Calgary" -> "Edmonton"',
    ]);
    assert.match(text.stdout, /^Plan: 0 to create, 2 to update, 4 unchanged, 0 remote only\.$/m);

    const json = await box.run(['plan', 'c.yaml', '--json']);
    assert.equal(json.code, 0, show(json));
    const plan = jsonOut(json);
    assert.ok(isRecord(plan));
    assert.equal(plan['version'], 1);
    assert.ok(Array.isArray(plan['actions']));
    const updates = plan['actions'].filter((a) => isRecord(a) && a['type'] === 'update');
    assert.deepEqual(
      updates.map((a) => (isRecord(a) ? [a['key'], a['changes']] : undefined)),
      [
        ['E2E-0001', [{ field: 'contactName', old: 'Person 1', new: 'Person Two' }]],
        ['E2E-0004', [{ field: 'billingAddress.city', old: 'Calgary', new: 'Edmonton' }]],
      ],
    );

    const apply = await box.run(['apply', 'c.yaml', '--auto-approve']);
    assert.equal(apply.code, 0, show(apply));
    assert.match(apply.stdout, /Apply complete: 0 created, 2 updated/);
    assert.equal((await box.customerByCode('E2E-0001')).contactName, 'Person Two');
    const settled = await box.run(['plan', 'c.yaml', '--detailed-exitcode']);
    assert.equal(settled.code, 0, show(settled));
  } finally {
    await box.close();
  }
});

/** The parts of a --json plan that must not depend on how the remote side was read. */
function comparable(plan: unknown): unknown {
  assert.ok(isRecord(plan) && Array.isArray(plan['actions']) && isRecord(plan['summary']));
  const { remoteOnly: _remoteOnly, ...summary } = plan['summary'];
  return {
    summary,
    actions: plan['actions'].filter((a) => isRecord(a) && a['type'] !== 'remote-only'),
  };
}

test('--fetch lookup, list and auto give the same plan', async () => {
  const box = await Sandbox.start({ seed: 5 });
  try {
    const wanted = sixPeople();
    box.write('c.yaml', yamlOf(wanted));
    const first = await box.run(['apply', 'c.yaml', '--auto-approve']);
    assert.equal(first.code, 0, show(first));
    const edited = [
      ...wanted.map((p, i) => (i === 2 ? { ...p, cellPhone: '0499000000' } : p)),
      ...people(2, 'NEW'),
    ];
    box.write('c.yaml', yamlOf(edited));

    const plans = new Map<string, unknown>();
    for (const how of ['lookup', 'list', 'auto']) {
      const run = await box.run(['plan', 'c.yaml', '--json', '--verbose', '--fetch', how]);
      assert.equal(run.code, 0, show(run));
      plans.set(how, jsonOut(run));
    }
    const list = plans.get('list');
    assert.ok(isRecord(list) && isRecord(list['summary']) && isRecord(list['fetch']));
    assert.equal(list['summary']['remoteOnly'], 5, 'the seeded customers are remote only');
    assert.equal(list['fetch']['strategy'], 'list');
    const lookup = plans.get('lookup');
    assert.ok(isRecord(lookup) && isRecord(lookup['fetch']));
    assert.equal(lookup['fetch']['strategy'], 'lookup');
    assert.deepEqual(comparable(lookup), comparable(list), 'lookup and list agree');
    assert.deepEqual(comparable(plans.get('auto')), comparable(list), 'auto and list agree');
    const summary = isRecord(list['summary']) ? list['summary'] : {};
    assert.deepEqual(
      [summary['create'], summary['update'], summary['unchanged']],
      [2, 1, 5],
      'the plan itself is right',
    );
  } finally {
    await box.close();
  }
});

test('--markdown stays under 65,536 characters for a big plan; --json carries a version', async () => {
  const box = await Sandbox.start();
  try {
    box.write('c.yaml', yamlOf(people(1500)));
    const md = await box.run(['plan', 'c.yaml', '--markdown', '--fetch', 'list']);
    assert.equal(md.code, 0, show(md));
    assert.ok(md.stdout.length < 65_536, `markdown is ${md.stdout.length} characters`);
    assert.match(
      md.stdout,
      /\*\*Plan: 1500 to create, 0 to update, 0 unchanged, 0 remote only\.\*\*/,
    );
    assert.match(md.stdout, /more changes not shown here/);
    assert.match(md.stdout, /\| ➕ create \| `E2E-0000` \|/);

    const json = await box.run(['plan', 'c.yaml', '--json', '--fetch', 'list']);
    assert.equal(json.code, 0, show(json));
    const plan = jsonOut(json);
    assert.ok(isRecord(plan));
    assert.equal(plan['version'], 1);
    assert.ok(Array.isArray(plan['actions']));
    assert.equal(plan['actions'].length, 1500);
  } finally {
    await box.close();
  }
});
