/**
 * The files are checked before the remote side is: a pull request from a fork, whose pipeline has
 * no secrets, still shows the mistakes in its files, as `terraform plan` shows a configuration's
 * errors before it configures a provider.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'helcim-sync-files-first-'));
  writeFileSync(join(dir, 'helcim-sync.yaml'), 'provider: payment-kit\nlivemode: false\n');
  writeFileSync(
    join(dir, 'bad.yaml'),
    'customers:\n  - did: z1abc\n    name: Ada\n    email: not-an-email\n',
  );
  writeFileSync(join(dir, 'good.yaml'), 'customers:\n  - did: z1abc\n    name: Ada\n');
});

after(() => rmSync(dir, { recursive: true, force: true }));

for (const fetch of ['auto', 'list']) {
  test(`with no Payment Kit URL or key, plan (--fetch ${fetch}) reports the files' errors first`, async () => {
    // runCli passes none of the parent's PAYMENT_KIT_* variables.
    const run = await runCli(['plan', 'bad.yaml', '--fetch', fetch], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /bad\.yaml:4:\d+: error: email: "not-an-email" is not an email address/,
    );
    // A plan that lists while the files load says only "nothing was written".
    assert.match(run.stderr, /nothing was (fetched or )?written/);
    assert.doesNotMatch(run.stderr, /Payment Kit URL/);
  });

  test(`with valid files and no Payment Kit URL, plan (--fetch ${fetch}) says how to set it`, async () => {
    const run = await runCli(['plan', 'good.yaml', '--fetch', fetch], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /No Payment Kit URL was given/);
    assert.match(run.stderr, /Set PAYMENT_KIT_URL/);
  });
}
