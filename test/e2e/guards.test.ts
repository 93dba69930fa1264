import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox, codesOf, people, show, writes, yamlOf } from './helpers.js';

test('--max-creates and --max-updates refuse the plan before any write', async () => {
  const box = await Sandbox.start();
  try {
    box.write('c.yaml', yamlOf(people(5)));
    const refused = await box.run(['apply', 'c.yaml', '--auto-approve', '--max-creates', '4']);
    assert.equal(refused.code, 1, show(refused));
    assert.match(
      refused.stderr,
      /creates 5 customers, more than --max-creates 4; nothing was written/,
    );
    assert.equal(writes(box.stats()), 0);

    const saved = await box.run(['plan', 'c.yaml', '--out', 'plan.json']);
    assert.equal(saved.code, 0, show(saved));
    const fromPlan = await box.run(['apply', 'plan.json', '--auto-approve', '--max-creates', '0']);
    assert.equal(fromPlan.code, 1, show(fromPlan));
    assert.equal(writes(box.stats()), 0);

    const allowed = await box.run(['apply', 'c.yaml', '--auto-approve', '--max-creates', '5']);
    assert.equal(allowed.code, 0, show(allowed));
    const written = writes(box.stats());
    assert.equal(written, 5);

    box.write('c.yaml', yamlOf(people(5).map((p) => ({ ...p, contactName: `${p.contactName}!` }))));
    const updates = await box.run(['apply', 'c.yaml', '--auto-approve', '--max-updates', '2']);
    assert.equal(updates.code, 1, show(updates));
    assert.match(updates.stderr, /updates 5 customers, more than --max-updates 2/);
    assert.equal(writes(box.stats()), written);
  } finally {
    await box.close();
  }
});

test('apply without a terminal and without --auto-approve writes nothing and exits 1', async () => {
  const box = await Sandbox.start();
  try {
    box.write('c.yaml', yamlOf(people(3)));
    // Even "yes" on a piped stdin is no confirmation: only a person at a terminal can give one.
    const run = await box.run(['apply', 'c.yaml'], { input: 'yes\n' });
    assert.equal(run.code, 1, show(run));
    assert.match(run.stderr, /refusing to apply without confirmation/);
    assert.match(run.stderr, /--auto-approve/);

    const saved = await box.run(['plan', 'c.yaml', '--out', 'plan.json']);
    assert.equal(saved.code, 0, show(saved));
    const fromPlan = await box.run(['apply', 'plan.json'], { input: 'yes\n' });
    assert.equal(fromPlan.code, 1, show(fromPlan));
    assert.equal(writes(box.stats()), 0);
    assert.equal((await box.customers()).length, 0);
  } finally {
    await box.close();
  }
});

test('--skip-invalid writes the invalid records to a rejects file and applies the valid ones', async () => {
  const box = await Sandbox.start();
  try {
    const valid = people(3);
    box.write(
      'c.yaml',
      yamlOf([
        ...valid,
        { customerCode: 'BAD-0001', contactName: 'Short Phone', cellPhone: '123' },
        { customerCode: 'BAD-0002', contactName: '' },
      ]),
    );
    const strict = await box.run(['apply', 'c.yaml', '--auto-approve']);
    assert.equal(strict.code, 1, show(strict));
    assert.match(strict.stderr, /nothing was fetched or written/);
    assert.equal(box.stats().totalRequests, 0, 'invalid files stop the run before any request');

    const run = await box.run(['apply', 'c.yaml', '--auto-approve', '--skip-invalid']);
    assert.equal(run.code, 0, show(run));
    assert.match(run.stderr, /wrote 2 invalid records to .*c\.rejects\.csv/);
    const rejects = box.read('c.rejects.csv');
    assert.match(rejects, /BAD-0001/);
    assert.match(rejects, /BAD-0002/);
    assert.doesNotMatch(rejects, /E2E-/);
    assert.deepEqual(
      codesOf(await box.customers()),
      valid.map((p) => p.customerCode),
    );
  } finally {
    await box.close();
  }
});

test('a match key that hits two customers in Helcim is a conflict: exit 1, nothing written', async () => {
  const box = await Sandbox.start();
  try {
    const address = {
      name: 'Twin',
      street1: '1 Main St',
      postalCode: 'T2P 1J9',
      email: 'twin@example.com',
    };
    for (const code of ['TWIN-A', 'TWIN-B'])
      await box.request('POST', '/customers', {
        customerCode: code,
        contactName: 'Twin',
        billingAddress: address,
      });
    box.write('helcim-sync.yaml', 'version: 1\nmatchKey: billingAddress.email\n');
    const record = (name: string, email: string): string[] => [
      `  - contactName: "${name}"`,
      '    billingAddress:',
      '      name: "Twin"',
      '      street1: "1 Main St"',
      '      postalCode: "T2P 1J9"',
      `      email: "${email}"`,
    ];
    box.write(
      'c.yaml',
      [
        'customers:',
        ...record('Twin Renamed', 'twin@example.com'),
        ...record('New', 'new@example.com'),
      ]
        .join('\n')
        .concat('\n'),
    );
    const before = writes(box.stats());

    const plan = await box.run(['plan', 'c.yaml', '--detailed-exitcode']);
    assert.equal(plan.code, 1, show(plan));
    assert.match(
      plan.stdout,
      /! twin@example\.com: 2 customers in helcim have billingAddress\.email/,
    );
    assert.match(plan.stderr, /the plan has 1 conflict/);

    const apply = await box.run(['apply', 'c.yaml', '--auto-approve']);
    assert.equal(apply.code, 1, show(apply));
    // The rest of the plan goes ahead; the conflicting record is left alone.
    assert.equal(writes(box.stats()), before + 1);
    const twins = (await box.customers()).filter((c) => c.customerCode.startsWith('TWIN-'));
    assert.deepEqual(
      twins.map((c) => c.contactName),
      ['Twin', 'Twin'],
    );
  } finally {
    await box.close();
  }
});
