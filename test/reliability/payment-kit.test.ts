/**
 * Payment Kit's apply when things go wrong, through the built CLI against its emulator: Ctrl-C
 * in the middle, `kill -9` at seeded points, and 429s, 5xx, resets, hangs and lost answers. Each
 * time, planning and applying again must end with every record as the files want it, written
 * once, and no other field or customer changed: Payment Kit holds payment data, so a field the
 * files do not manage must come through byte for byte, live customers above all.
 *
 * The emulator's latency waits on a gated clock (test/support/gated-clock.ts): the test decides
 * when each request is answered, so a run is stopped at an exact point however busy the machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../src/core/random.js';
import type { CliRun } from '../support/cli.js';
import { GatedClock, heldAtLeast, pumpUntil, releaseUntilExit } from '../support/gated-clock.js';
import {
  PaymentKitRig,
  answers,
  expectedAfter,
  pkYaml,
  settled,
  updatesDone,
  type PkDesired,
  type PkWire,
} from '../support/payment-kit.js';
import { FULL, isRecord, jsonLines, killPoints, show, size } from './support.js';

/** The emulator's latency: only waits of this length are held by the gate. */
const LATENCY_MS = 3;
/** Writes the CLI keeps in flight against Payment Kit. */
const IN_FLIGHT = 5;
/** Customers in the account that no file manages. */
const BYSTANDERS = 4;

/**
 * What the files want of the first `count` test customers: a new name for each; for some a
 * metadata key set, a key Payment Kit holds removed (null), an address key changed.
 */
function desiredOf(customers: readonly PkWire[], count: number, seed: number): PkDesired[] {
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  return customers.slice(0, count).map((c, i) => {
    const d: PkDesired = { did: c.did, name: `${c.name ?? 'Someone'} ${pick(['Jr', 'Sr', 'II'])}` };
    const metadata: Record<string, string | null> = {};
    if (i % 3 === 0) metadata['tier'] = pick(['gold', 'silver']);
    if (i % 4 === 0 && c.metadata['crm_id'] !== undefined) metadata['crm_id'] = null;
    if (Object.keys(metadata).length > 0) d.metadata = metadata;
    if (i % 5 === 0) d.address = { city: pick(['Springfield', 'Shelbyville']) };
    return d;
  });
}

/** The account before any apply, and what the files want of it. */
interface Scenario {
  tests: PkWire[];
  lives: PkWire[];
  desired: PkDesired[];
}

async function scenario(rig: PaymentKitRig, count: number, seed: number): Promise<Scenario> {
  const tests = await rig.customers();
  const lives = await rig.customers(true);
  assert.ok(tests.length >= count + BYSTANDERS, `${tests.length} test customers`);
  const desired = desiredOf(tests, count, seed);
  rig.write('customers.yaml', pkYaml(desired));
  return { tests, lives, desired };
}

/**
 * Every customer is either as it was or as the files want it (nothing half-written, no field
 * nobody asked for), customers no file manages and live ones are untouched, and each update was
 * carried out once: as many answered PUTs as customers changed. Returns how many are done.
 */
async function checkAccount(rig: PaymentKitRig, s: Scenario, where: string): Promise<number> {
  const now = new Map((await rig.customers()).map((c) => [c.id, c]));
  assert.equal(now.size, s.tests.length, `${where}: test customers came or went`);
  const wanted = new Map(s.desired.map((d) => [d.did, d]));
  let done = 0;
  for (const before of s.tests) {
    const current = now.get(before.id);
    assert.ok(current !== undefined, `${where}: ${before.did} is gone`);
    const d = wanted.get(before.did);
    if (d === undefined) {
      assert.deepEqual(current, before, `${where}: ${before.did} is managed by no file`);
      continue;
    }
    const after = expectedAfter(before, d);
    if (isDeepEqual(settled(current), after)) done++;
    else assert.deepEqual(current, before, `${where}: ${before.did} is neither before nor after`);
  }
  assert.deepEqual(await rig.customers(true), s.lives, `${where}: a live customer changed`);
  assert.equal(updatesDone(rig.stats()), done, `${where}: PUTs answered vs customers updated`);
  return done;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

/** Whatever the journal says was updated is in Payment Kit as the files want it. */
async function checkJournal(rig: PaymentKitRig, s: Scenario, where: string): Promise<void> {
  const byDid = new Map(s.tests.map((c) => [c.did, c]));
  const wanted = new Map(s.desired.map((d) => [d.did, d]));
  for (const entry of jsonLines(rig.read('apply.jsonl'))) {
    assert.ok(isRecord(entry) && entry['v'] === 1, JSON.stringify(entry));
    if (entry['status'] !== 'updated') continue;
    const before = byDid.get(String(entry['key']));
    const d = wanted.get(String(entry['key']));
    assert.ok(before !== undefined && d !== undefined, `${where}: ${JSON.stringify(entry)}`);
    assert.equal(entry['id'], before.id);
    assert.deepEqual(
      settled(await rig.customer(before.id)),
      expectedAfter(before, d),
      `${where}: the journal says ${before.did} was updated`,
    );
  }
}

/** `promise`'s value, or undefined when it takes longer than `ms` (a generous bound). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Apply, then plan: exit 0 twice, nothing left to do. */
async function converge(rig: PaymentKitRig, count: number): Promise<void> {
  const last = await rig.run(['apply', 'customers.yaml', '--auto-approve']);
  assert.equal(last.code, 0, show(last));
  const plan = await rig.run(['plan', 'customers.yaml', '--detailed-exitcode']);
  assert.equal(plan.code, 0, show(plan));
  assert.match(plan.stdout, new RegExp(`^Plan: 0 to create, 0 to update, ${count} unchanged`, 'm'));
}

test(`Ctrl-C during an apply of ${size(30, 300)} Payment Kit updates: the writes in flight finish and are reported, exit 130; the next apply converges`, async () => {
  const total = size(30, 300);
  const gate = new GatedClock(LATENCY_MS);
  const rig = await PaymentKitRig.start({
    seed: total + BYSTANDERS,
    clock: gate,
    latencyMs: LATENCY_MS,
  });
  try {
    const s = await scenario(rig, total, 5);
    gate.close();
    const cli = rig.start([
      'apply',
      'customers.yaml',
      '--auto-approve',
      '--json',
      '--journal',
      'apply.jsonl',
    ]);
    const first = Math.floor(total / 3);
    await pumpUntil(
      gate,
      cli,
      () => answers(rig.stats()),
      () => updatesDone(rig.stats()) >= first,
      `${first} updates`,
    );
    await heldAtLeast(gate, cli, IN_FLIGHT, `${IN_FLIGHT} updates in flight`);
    cli.child.kill('SIGINT');
    await releaseUntilExit(gate, cli);
    gate.open();
    const run = await cli.done;
    assert.equal(run.code, 130, show(run));

    const report: unknown = JSON.parse(run.stdout);
    assert.ok(isRecord(report) && isRecord(report['summary']), show(run));
    assert.equal(report['interrupted'], true);
    const { updated, skipped, failed, stale } = report['summary'];
    assert.ok(typeof updated === 'number' && typeof skipped === 'number', show(run));
    assert.deepEqual([failed, stale], [0, 0]);
    assert.ok(
      updated >= first + IN_FLIGHT,
      `the ${IN_FLIGHT} writes in flight were waited for (${updated})`,
    );
    assert.ok(skipped > 0, 'writes not started are reported as skipped');
    assert.equal(updated + skipped, total);
    // Everything Payment Kit did is in the report and the journal: nothing done silently.
    assert.equal(await checkAccount(rig, s, 'after Ctrl-C'), updated);
    assert.equal(jsonLines(rig.read('apply.jsonl')).length, updated);
    await checkJournal(rig, s, 'after Ctrl-C');

    await converge(rig, total);
    assert.equal(await checkAccount(rig, s, 'at the end'), total, 'each update once');
  } finally {
    gate.open();
    await rig.close();
  }
});

test('Ctrl-C while plan or apply reads Payment Kit exits 130 without waiting for the read, and writes nothing', async () => {
  const gate = new GatedClock(LATENCY_MS);
  const rig = await PaymentKitRig.start({ seed: 3, clock: gate, latencyMs: LATENCY_MS });
  try {
    const customers = await rig.customers();
    rig.write('customers.yaml', pkYaml(desiredOf(customers, 3, 1)));
    gate.close();
    for (const args of [['plan'], ['apply', '--auto-approve']]) {
      // The earlier run's read is still held: this run's is the next one.
      const earlier = gate.held;
      const cli = rig.start([...args, 'customers.yaml']);
      // The read has reached Payment Kit and is never answered while the signal is handled.
      await heldAtLeast(gate, cli, earlier + 1, 'the first read');
      cli.child.kill('SIGINT');
      const run = await within(cli.done, 15_000);
      assert.ok(run !== undefined, `${args[0] ?? ''} still waits for its read after Ctrl-C`);
      assert.equal(run.code, 130, show(run));
      assert.match(run.stderr, /Interrupted before any change was made; nothing was written/);
      assert.doesNotMatch(run.stderr, /error:/);
    }
    gate.open();
    assert.equal(updatesDone(rig.stats()), 0);
    assert.deepEqual(await rig.customers(), customers);
  } finally {
    gate.open();
    await rig.close();
  }
});

test(`apply of ${size(60, 500)} Payment Kit updates killed with SIGKILL at ${size(2, 5)} seeded points converges: nothing lost, nothing written twice, no other field touched`, async (t) => {
  const total = size(60, 500);
  const kills = size(2, 5);
  // Each kill may land up to IN_FLIGHT more writes: the points leave work for every round.
  const points = killPoints(kills, total - IN_FLIGHT * (kills + 1), 4242);
  const gate = new GatedClock(LATENCY_MS);
  const rig = await PaymentKitRig.start({
    seed: total + BYSTANDERS,
    clock: gate,
    latencyMs: LATENCY_MS,
  });
  try {
    const s = await scenario(rig, total, 77);
    const args = ['apply', 'customers.yaml', '--auto-approve', '--journal', 'apply.jsonl'];
    for (const point of points) {
      const startedAt = updatesDone(rig.stats());
      gate.close();
      const running = rig.start(args);
      await pumpUntil(
        gate,
        running,
        () => answers(rig.stats()),
        () => updatesDone(rig.stats()) >= Math.max(point, startedAt + 1),
        `update ${point}`,
      );
      const left = total - updatesDone(rig.stats());
      await heldAtLeast(gate, running, Math.min(IN_FLIGHT, left), 'writes in flight');
      running.child.kill('SIGKILL');
      const run: CliRun = await running.done;
      assert.equal(
        run.signal,
        'SIGKILL',
        `the run ended before the kill at ${point}: ${show(run)}`,
      );

      // Writes the dead process had sent still land, unanswered: the server got them.
      const inFlight = gate.held;
      const answered = answers(rig.stats());
      gate.open();
      while (answers(rig.stats()) < answered + inFlight) await new Promise((r) => setTimeout(r, 1));

      const done = await checkAccount(rig, s, `after the kill at ${point}`);
      t.diagnostic(
        `killed at ${point}: ${done} of ${total} updated, ${inFlight} landed unanswered`,
      );
      await checkJournal(rig, s, `after the kill at ${point}`);
    }
    assert.ok(updatesDone(rig.stats()) < total, 'the kills left work to do');

    await converge(rig, total);
    assert.equal(await checkAccount(rig, s, 'at the end'), total, 'each update once');
    await checkJournal(rig, s, 'at the end');
  } finally {
    gate.open();
    await rig.close();
  }
});

const FAULTS = '500:0.05,429:0.04,reset:0.04,hang:0.02,lost-response:0.05';
const MAX_ROUNDS = 8;

test(`apply of ${size(60, 600)} Payment Kit updates under 20% faults (429, 500, resets, hangs, lost answers) converges with every record exact`, async (t) => {
  const total = size(60, 600);
  const rig = await PaymentKitRig.start({ seed: total + BYSTANDERS });
  try {
    const s = await scenario(rig, total, 2026);
    await rig.reopen({ faults: FAULTS, faultSeed: 2026 });
    const rounds: string[] = [];
    let converged = false;
    for (let round = 1; round <= MAX_ROUNDS && !converged; round++) {
      const run = await rig.run([
        'apply',
        'customers.yaml',
        '--auto-approve',
        '--json',
        '--timeout',
        '1000',
        '--journal',
        'apply.jsonl',
      ]);
      rounds.push(`round ${round}: exit ${run.code}`);
      // Exit 1 with failed records is expected under faults; anything else is not.
      assert.ok(run.code === 0 || run.code === 1, show(run));
      if (run.code === 0) converged = true;
    }
    const faulty = rig.stats();
    t.diagnostic(`${rounds.join(', ')}; faults injected: ${JSON.stringify(faulty.faults)}`);
    assert.ok(converged, `no convergence in ${MAX_ROUNDS} rounds: ${rounds.join(', ')}`);
    const injected = Object.values(faulty.faults).reduce((a, b) => a + b, 0);
    assert.ok(injected >= 5, `only ${injected} faults were injected`);
    if (FULL) {
      for (const kind of ['500', '429', 'reset', 'hang', 'lost-response'] as const)
        assert.ok((faulty.faults[kind] ?? 0) > 0, `no ${kind} fault was injected`);
      const lostWrites = faulty.requests['PUT /api/customers/{id}']?.['lost-response'] ?? 0;
      assert.ok(lostWrites > 0, 'no update lost its answer');
    }
    for (const entry of jsonLines(rig.read('apply.jsonl')))
      assert.ok(isRecord(entry) && entry['v'] === 1, JSON.stringify(entry));

    // Checked on the same account without faults, so the check itself cannot be fooled. A PUT
    // whose answer was lost is sent again (it is idempotent): no count of PUTs to compare here.
    await rig.reopen();
    const now = new Map((await rig.customers()).map((c) => [c.id, c]));
    const wanted = new Map(s.desired.map((d) => [d.did, d]));
    for (const before of s.tests) {
      const current = now.get(before.id);
      assert.ok(current !== undefined, `${before.did} is gone`);
      const d = wanted.get(before.did);
      if (d === undefined) assert.deepEqual(current, before, `${before.did} is managed by no file`);
      else assert.deepEqual(settled(current), expectedAfter(before, d), before.did);
    }
    assert.equal(now.size, s.tests.length);
    assert.deepEqual(await rig.customers(true), s.lives, 'a live customer changed');
    const plan = await rig.run(['plan', 'customers.yaml', '--detailed-exitcode']);
    assert.equal(plan.code, 0, show(plan));
  } finally {
    await rig.close();
  }
});
