import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import {
  Sandbox,
  answered,
  countRequests,
  isRecord,
  people,
  show,
  writes,
  yamlOf,
} from './helpers.js';

test('a customer edited in Helcim after plan --out is reported stale, not overwritten; the rest is applied', async () => {
  const box = await Sandbox.start();
  try {
    const wanted = people(4);
    box.write('c.yaml', yamlOf(wanted));
    const first = await box.run(['apply', 'c.yaml', '--auto-approve']);
    assert.equal(first.code, 0, show(first));

    box.write(
      'c.yaml',
      yamlOf(wanted.map((p, i) => (i < 2 ? { ...p, contactName: `${p.contactName} (new)` } : p))),
    );
    const plan = await box.run(['plan', 'c.yaml', '--out', 'plan.json']);
    assert.equal(plan.code, 0, show(plan));
    assert.match(plan.stdout, /^Plan: 0 to create, 2 to update, 2 unchanged, 0 remote only\.$/m);

    // Someone changes E2E-0000 in the Helcim UI (a PUT straight to the service).
    const edited = await box.customerByCode('E2E-0000');
    await box.request('PUT', `/customers/${edited.id}`, {
      contactName: 'Edited In Helcim',
      cellPhone: '0499111111',
    });
    const statsBefore = box.stats();

    const apply = await box.run(['apply', 'plan.json', '--auto-approve']);
    const after = box.stats();
    assert.equal(apply.code, 1, show(apply));
    assert.match(apply.stdout, /\? E2E-0000 \(c\.yaml:\d+\): skipped as stale: changed in Helcim/);
    assert.match(apply.stdout, /0 created, 1 updated, 1 stale, 0 failed/);

    const stale = await box.customerByCode('E2E-0000');
    assert.equal(stale.contactName, 'Edited In Helcim', 'the edit made in Helcim survives');
    assert.equal(stale.cellphone, '0499111111');
    assert.equal((await box.customerByCode('E2E-0001')).contactName, 'Person 1 (new)');

    // A saved plan is applied as it is, after one listing of this 4-customer account to check it
    // (cheaper than a read per update, as the plan said), then one write.
    assert.match(
      plan.stdout,
      /re-reads what it touches: 1 more call \(one listing of the account\)/,
    );
    const route = (method: string, path: string): number =>
      answered(after, `${method} ${path}`) - answered(statsBefore, `${method} ${path}`);
    assert.equal(route('GET', '/v2/customers'), 1, 'one listing to re-check');
    assert.equal(route('GET', '/v2/customers/{id}'), 0);
    assert.equal(route('PUT', '/v2/customers/{id}'), 1);
    assert.equal(countRequests(after, 'POST'), countRequests(statsBefore, 'POST'));
  } finally {
    await box.close();
  }
});

test('a tampered, truncated or retargeted saved plan is refused with exit 1 and nothing written', async () => {
  const box = await Sandbox.start();
  try {
    box.write('c.yaml', yamlOf(people(3)));
    const plan = await box.run(['plan', 'c.yaml', '--out', 'plan.json']);
    assert.equal(plan.code, 0, show(plan));
    const text = box.read('plan.json');
    const saved: unknown = JSON.parse(text);
    assert.ok(isRecord(saved) && saved['kind'] === 'helcim-sync-plan');

    box.write('tampered.json', text.replace('"Person 1"', '"Mallory"'));
    assert.notEqual(box.read('tampered.json'), text);
    const tampered = await box.run(['apply', 'tampered.json', '--auto-approve']);
    assert.equal(tampered.code, 1, show(tampered));
    assert.match(tampered.stderr, /checksum mismatch/);

    box.write('truncated.json', text.slice(0, Math.floor(text.length / 2)));
    const truncated = await box.run(['apply', 'truncated.json', '--auto-approve']);
    assert.equal(truncated.code, 1, show(truncated));
    assert.match(truncated.stderr, /may be truncated/);

    const elsewhere = await box.run(['apply', 'plan.json', '--auto-approve'], {
      env: { HELCIM_API_URL: 'http://127.0.0.1:9/v2' },
    });
    assert.equal(elsewhere.code, 1, show(elsewhere));
    assert.match(
      elsewhere.stderr,
      /plan\.json: the plan was made against http:\/\/127\.0\.0\.1:\d+\/v2/,
    );

    assert.equal(writes(box.stats()), 0, 'no write for a refused plan');
    assert.equal((await box.customers()).length, 0);

    // The untouched plan is still good.
    const apply = await box.run(['apply', 'plan.json', '--auto-approve']);
    assert.equal(apply.code, 0, show(apply));
    assert.equal((await box.customers()).length, 3);
  } finally {
    await box.close();
  }
});

test('saved plans, journals and rejects files get mode 0600, even when they existed before', async () => {
  const box = await Sandbox.start();
  try {
    box.write('c.yaml', yamlOf([...people(2), { customerCode: 'BAD-1', contactName: '' }]));
    for (const name of ['plan.json', 'apply.jsonl', 'c.rejects.csv']) {
      box.write(name, '');
      chmodSync(box.path(name), 0o644);
    }
    const plan = await box.run(['plan', 'c.yaml', '--skip-invalid', '--out', 'plan.json']);
    assert.equal(plan.code, 0, show(plan));
    const apply = await box.run([
      'apply',
      'plan.json',
      '--auto-approve',
      '--journal',
      'apply.jsonl',
    ]);
    assert.equal(apply.code, 0, show(apply));

    assert.match(box.read('c.rejects.csv'), /BAD-1/);
    const journal = box
      .read('apply.jsonl')
      .trim()
      .split('\n')
      .map((l): unknown => JSON.parse(l));
    assert.equal(journal.length, 2);
    assert.ok(journal.every((e) => isRecord(e) && e['status'] === 'created'));
    for (const name of ['plan.json', 'apply.jsonl', 'c.rejects.csv']) {
      assert.equal(box.mode(name).toString(8), '600', `${name} is private`);
    }
  } finally {
    await box.close();
  }
});
