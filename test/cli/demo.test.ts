import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInProcess } from '../support/cli.js';

test('the demo plans the examples, applies them and converges, for Helcim then Payment Kit, with no token or network', async () => {
  // A developer's own Payment Kit variables must not point the demo at a real account.
  const run = await runInProcess(['demo'], {
    timeoutMs: 60_000,
    env: { PAYMENT_KIT_URL: 'http://127.0.0.1:9/payment', PAYMENT_KIT_ACCESS_KEY: 'real-key' },
  });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const split = run.stdout.indexOf('==> An emulated Payment Kit');
  assert.ok(split > 0, 'the Payment Kit part comes after the Helcim part');
  const helcim = run.stdout.slice(0, split);
  const paymentKit = run.stdout.slice(split);
  assert.match(helcim, /Plan: 5 to create, 1 to update, 0 unchanged, 5 remote only\./);
  assert.match(helcim, /~ cellPhone\s+"4165550000" -> "4165550102"/);
  assert.match(helcim, /Apply complete: 5 created, 1 updated, 0 stale, 0 failed\./);
  assert.match(helcim, /No changes\. The customers in Helcim match the files\./);
  assert.match(helcim, /Converged: \d+ API calls in all, 11 customers in the account\./);

  assert.match(paymentKit, /Payment Kit \(test mode\): Matched by email/);
  assert.match(paymentKit, /~ name\s+"Ada King" -> "Ada Lovelace"/);
  assert.match(paymentKit, /~ metadata\.plan\s+\(unset\) -> "pro"/);
  assert.match(
    paymentKit,
    /! grace@example\.com: cannot be created: Payment Kit creates customers at checkout/,
  );
  assert.match(
    paymentKit,
    /! grace@example\.com \(\S+customers\.yaml:\d+\): not done: cannot be created/,
  );
  assert.match(
    paymentKit,
    /Plan: 0 to create, 0 to update, 1 unchanged, 3 remote only, 1 conflict\./,
  );
  // The record that cannot be created was never sent: the summary says so beside its count.
  assert.match(
    paymentKit,
    /Apply finished with problems: 0 created, 1 updated, 0 stale, 1 failed \(1 conflict, never sent\)\./,
  );
  assert.match(paymentKit, /Converged: \d+ API calls in all, 4 customers in test mode\./);
  assert.doesNotMatch(run.stdout + run.stderr, /real-key/);
});

test('demo --provider payment-kit runs only the Payment Kit part', async () => {
  const run = await runInProcess(['demo', '--provider', 'payment-kit'], { timeoutMs: 60_000 });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.doesNotMatch(run.stdout, /Helcim/);
  assert.match(run.stdout, /Converged: \d+ API calls in all, 4 customers in test mode\./);
});
