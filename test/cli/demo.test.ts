import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.js';

test('the demo plans the examples, applies them and converges, with no token or network', async () => {
  const run = await runCli(['demo'], { timeoutMs: 60_000 });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Plan: 5 to create, 1 to update, 0 unchanged, 5 remote only\./);
  assert.match(run.stdout, /~ cellPhone\s+"4165550000" -> "4165550102"/);
  assert.match(run.stdout, /Apply complete: 5 created, 1 updated, 0 stale, 0 failed\./);
  assert.match(run.stdout, /No changes\. The customers in Helcim match the files\./);
  assert.match(run.stdout, /Converged: \d+ API calls in all, 11 customers in the account\./);
});
