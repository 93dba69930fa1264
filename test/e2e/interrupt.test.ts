import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { RunningCli } from '../support/cli.js';
import { GatedClock, heldAtLeast, pumpUntil, releaseUntilExit } from '../support/gated-clock.js';
import { answers } from '../support/payment-kit.js';
import {
  Sandbox,
  answered,
  codesOf,
  duplicates,
  isRecord,
  jsonOut,
  people,
  show,
  sleep,
  yamlOf,
} from './helpers.js';

/** Polls until `ready()` holds, failing the test if the CLI exits or time runs out first. */
async function until(cli: RunningCli, ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!ready()) {
    if (cli.child.exitCode !== null) assert.fail(`the CLI exited before ${what}`);
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Another apply and a plan afterwards: the files and Helcim agree, each customer once. */
async function assertConverges(box: Sandbox, codes: readonly string[]): Promise<void> {
  const again = await box.run(['apply', 'c.yaml', '--auto-approve']);
  assert.equal(again.code, 0, show(again));
  const plan = await box.run(['plan', 'c.yaml', '--detailed-exitcode']);
  assert.equal(plan.code, 0, show(plan));
  const remote = await box.customers();
  assert.deepEqual(duplicates(remote), []);
  assert.deepEqual(codesOf(remote), [...codes].sort());
}

test('apply killed with SIGKILL mid-run: plan and apply again converge, no duplicate', async () => {
  // Answers are held until the test lets them go: the kill lands after exactly 8 creates, with
  // more in flight, however busy the machine.
  const gate = new GatedClock(100);
  const box = await Sandbox.start({ latencyMs: 100, clock: gate });
  try {
    const wanted = people(30);
    box.write('c.yaml', yamlOf(wanted));
    gate.close();
    const cli = box.start(['apply', 'c.yaml', '--auto-approve', '--journal', 'apply.jsonl']);
    await pumpUntil(
      gate,
      cli,
      () => answers(box.stats()),
      () => answered(box.stats(), 'POST /v2/customers') >= 8,
      '8 creates',
    );
    await heldAtLeast(gate, cli, 1, 'a create in flight');
    cli.child.kill('SIGKILL');
    const killed = await cli.done;
    assert.equal(killed.signal, 'SIGKILL');
    const created = answered(box.stats(), 'POST /v2/customers');
    assert.equal(created, 8, 'killed mid-run');
    // Creates the dead process had in flight still land.
    gate.open();
    await sleep(0);
    // The journal was flushed line by line: what it tells is in Helcim.
    const journal = box.read('apply.jsonl').trim().split('\n');
    assert.ok(journal.length >= 1 && journal.length <= created, `${journal.length} lines`);

    await assertConverges(
      box,
      wanted.map((p) => p.customerCode),
    );
    assert.equal(answered(box.stats(), 'POST /v2/customers'), wanted.length, 'one create each');
    assert.equal(answered(box.stats(), 'POST /v2/customers', '400'), 0, 'no duplicate attempt');
  } finally {
    gate.open();
    await box.close();
  }
});

/** Writes in flight at once: the client's default for Helcim. */
const IN_FLIGHT = 5;

test('SIGINT during apply lets in-flight writes finish, reports them, exits 130; a second run converges', async () => {
  const gate = new GatedClock(150);
  const box = await Sandbox.start({ latencyMs: 150, clock: gate });
  try {
    const wanted = people(30);
    box.write('c.yaml', yamlOf(wanted));
    gate.close();
    const cli = box.start(['apply', 'c.yaml', '--auto-approve', '--json', '--journal', 'j.jsonl']);
    await pumpUntil(
      gate,
      cli,
      () => answers(box.stats()),
      () => answered(box.stats(), 'POST /v2/customers') >= 5,
      '5 creates',
    );
    await heldAtLeast(gate, cli, IN_FLIGHT, `${IN_FLIGHT} creates in flight`);
    const before = answered(box.stats(), 'POST /v2/customers');
    cli.child.kill('SIGINT');
    // Held answers go one at a time until it exits, however many it still sends.
    await releaseUntilExit(gate, cli);
    gate.open();
    const run = await cli.done;
    assert.equal(run.code, 130, show(run));
    const created = answered(box.stats(), 'POST /v2/customers');
    assert.ok(created >= before + IN_FLIGHT, `the creates in flight finished (${created})`);

    const report = jsonOut(run);
    assert.ok(isRecord(report) && isRecord(report['summary']));
    assert.equal(report['interrupted'], true);
    const summary = report['summary'];
    assert.ok(typeof summary['created'] === 'number' && typeof summary['skipped'] === 'number');
    assert.ok(summary['skipped'] > 0, 'writes not started are reported as skipped');
    assert.equal(summary['created'] + summary['skipped'], wanted.length);
    // In-flight creates were waited for: everything Helcim has is in the report and the journal.
    assert.equal((await box.customers()).length, summary['created']);
    assert.equal(box.read('j.jsonl').trim().split('\n').length, summary['created']);

    await assertConverges(
      box,
      wanted.map((p) => p.customerCode),
    );
    assert.equal(answered(box.stats(), 'POST /v2/customers'), wanted.length, 'one create each');
  } finally {
    gate.open();
    await box.close();
  }
});

test('SIGINT while reading Helcim exits 130 promptly and writes nothing', async () => {
  // A service that never answers: the CLI is stuck in its fetch when the signal comes.
  const seen: IncomingMessage[] = [];
  const server = createServer((req) => seen.push(req));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(typeof address === 'object' && address !== null);
  const port = address.port;
  const box = await Sandbox.start();
  try {
    box.write('c.yaml', yamlOf(people(3)));
    for (const [command, fetch] of [
      ['plan', 'list'],
      ['apply', 'lookup'],
    ] as const) {
      seen.length = 0;
      const approve = command === 'apply' ? ['--auto-approve'] : [];
      const cli = box.start([command, 'c.yaml', ...approve, '--fetch', fetch], {
        env: { HELCIM_API_URL: `http://127.0.0.1:${port}/v2` },
      });
      await until(cli, () => seen.length > 0, 'the first request');
      const signalled = Date.now();
      cli.child.kill('SIGINT');
      const run = await cli.done;
      assert.equal(run.code, 130, `${command}: ${show(run)}`);
      assert.match(run.stderr, /Interrupted before any change was made; nothing was written/);
      assert.doesNotMatch(run.stderr, /error:/);
      // Generous (a busy machine), and still well short of the 30 s request timeout.
      const took = Date.now() - signalled;
      assert.ok(took < 15_000, `${command} took ${took} ms to exit`);
      assert.ok(seen.every((r) => r.method === 'GET'));
    }
  } finally {
    server.closeAllConnections();
    server.close();
    await box.close();
  }
});
