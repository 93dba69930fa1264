import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CliRun } from '../support/cli.js';
import { Sandbox, people, show, yamlOf } from './helpers.js';

const TOKEN = 'tok_SECRET_e2e_123';
const WRONG = 'tok_SECRET_wrong_456';

function assertNoSecret(where: string, text: string): void {
  for (const secret of [TOKEN, WRONG, 'SECRET']) {
    assert.ok(!text.includes(secret), `${where} contains ${secret}:\n${text}`);
  }
}

test('the token never appears in stdout, stderr, saved plans, journals or rejects files', async () => {
  const box = await Sandbox.start({
    token: TOKEN,
    faults: 'lost-response:0.2,500:0.1',
    faultSeed: 5,
  });
  try {
    box.write(
      'c.yaml',
      yamlOf([...people(6), { customerCode: 'BAD-1', contactName: 'Bad', cellPhone: '1' }]),
    );
    const runs: CliRun[] = [];
    const run = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => {
      const r = await box.run(args, { env });
      runs.push(r);
      return r;
    };

    // Failing runs first: a wrong token, verbose, both ways of reading Helcim.
    const denied = await run(['plan', 'c.yaml', '--skip-invalid', '--verbose', '--fetch', 'list'], {
      HELCIM_API_TOKEN: WRONG,
    });
    assert.equal(denied.code, 1, show(denied));
    assert.match(denied.stderr, /401/);
    const deniedApply = await run(
      ['apply', 'c.yaml', '--skip-invalid', '--verbose', '--auto-approve', '--fetch', 'lookup'],
      { HELCIM_API_TOKEN: WRONG },
    );
    assert.equal(deniedApply.code, 1, show(deniedApply));
    assert.match(deniedApply.stderr, /401/);
    // A token that cannot be sent in a header.
    const unsendable = await run(['plan', 'c.yaml', '--skip-invalid', '--verbose'], {
      HELCIM_API_TOKEN: `${TOKEN}\u00e9 x`,
    });
    assert.equal(unsendable.code, 1, show(unsendable));

    // Then runs that work, through faults, leaving every kind of file behind.
    const plan = await run(['plan', 'c.yaml', '--skip-invalid', '--verbose', '--out', 'plan.json']);
    assert.equal(plan.code, 0, show(plan));
    const json = await run([
      'plan',
      'c.yaml',
      '--skip-invalid',
      '--json',
      '--verbose',
      '--fetch',
      'list',
    ]);
    assert.equal(json.code, 0, show(json));
    const apply = await run([
      'apply',
      'plan.json',
      '--auto-approve',
      '--verbose',
      '--journal',
      'apply.jsonl',
    ]);
    assert.ok(apply.code === 0 || apply.code === 1, show(apply));
    const again = await run(['apply', 'c.yaml', '--skip-invalid', '--auto-approve', '--json']);
    assert.ok(again.code === 0 || again.code === 1, show(again));

    for (const [i, r] of runs.entries()) {
      assertNoSecret(`run ${i} stdout`, r.stdout);
      assertNoSecret(`run ${i} stderr`, r.stderr);
    }
    const files = box.files();
    for (const name of ['plan.json', 'apply.jsonl', 'c.rejects.csv']) {
      assert.ok(files.has(name), `${name} was written`);
    }
    for (const [name, text] of files) assertNoSecret(name, text);
  } finally {
    await box.close();
  }
});
