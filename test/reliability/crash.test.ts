/**
 * `kill -9` in the middle of an apply, five times at seeded random points, then apply again: the
 * account ends as wanted, nobody twice. Creates still in flight when the process dies are carried
 * out by the server without the client ever hearing of them: the dangerous case for duplicates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Rig,
  differences,
  duplicateCodes,
  generateCustomers,
  isRecord,
  jsonLines,
  killPoints,
  show,
  size,
  yamlOf,
} from './support.js';
import { GatedClock, heldAtLeast, pumpUntil } from '../support/gated-clock.js';
import { answers } from '../support/payment-kit.js';

const KILLS = 5;
/** Creates an apply has in flight at once (its default concurrency). */
const IN_FLIGHT = 5;

/** Creates the emulator has answered with 200, from its stats (polled in this process). */
function createsDone(rig: Rig): number {
  return rig.stats().requests['POST /v2/customers']?.['200'] ?? 0;
}

test(`apply of ${size(60, 500)} creates killed with SIGKILL at ${KILLS} random points converges with no duplicate`, async (t) => {
  const total = size(60, 500);
  const wanted = generateCustomers(total, 77, 'KIL');
  // Each kill leaves creates in flight that still land: the points stop short of the last five,
  // so the final run has work left.
  const points = killPoints(KILLS, total - IN_FLIGHT, 4242);
  // Answers are held until the test lets them go, one at a time: each kill lands right after
  // its exact number of creates, with creates in flight, however busy the machine.
  const gate = new GatedClock(40);
  const rig = await Rig.start({ latencyMs: 40, clock: gate });
  try {
    rig.write('customers.yaml', yamlOf(wanted));
    const args = ['apply', 'customers.yaml', '--auto-approve', '--journal', 'apply.jsonl'];
    for (const point of points) {
      gate.close();
      const running = rig.start(args);
      // Creates that landed after an earlier kill may already reach this point: then the kill
      // comes at the run's first request.
      const reached = createsDone(rig) >= point;
      await pumpUntil(
        gate,
        running,
        () => answers(rig.stats()),
        () => createsDone(rig) >= point,
        `${point} creates`,
      );
      // Otherwise every create it can have in flight is: the plan holds those not yet done.
      const inFlight = reached ? 1 : Math.min(IN_FLIGHT, total - createsDone(rig));
      await heldAtLeast(gate, running, inFlight, `${inFlight} requests in flight after ${point}`);
      running.child.kill('SIGKILL');
      const run = await running.done;
      assert.equal(
        run.signal,
        'SIGKILL',
        `the run ended before the kill at ${point}: ${show(run)}`,
      );
      // The creates it had in flight are carried out without it hearing of them.
      gate.open();
      await new Promise((resolve) => setImmediate(resolve));

      const listed = await rig.customers();
      t.diagnostic(`killed at ${point} creates: ${listed.length} customers in the account`);
      assert.deepEqual(duplicateCodes(listed), [], `duplicates after the kill at ${point}`);
      // Whatever the journal says was created is there: it was flushed line by line.
      const ids = new Set(listed.map((c) => String(c.id)));
      for (const entry of jsonLines(rig.read('apply.jsonl'))) {
        assert.ok(isRecord(entry), JSON.stringify(entry));
        if (entry['status'] === 'created')
          assert.ok(
            ids.has(String(entry['id'])),
            `journal names a missing id: ${JSON.stringify(entry)}`,
          );
      }
    }
    const creates = createsDone(rig);
    assert.ok(creates < total, `the kills left nothing to do (${creates} of ${total} done)`);

    const last = await rig.run(args);
    assert.equal(last.code, 0, show(last));
    const listed = await rig.customers();
    assert.deepEqual(duplicateCodes(listed), [], 'a customer was created twice');
    assert.equal(listed.length, total);
    assert.deepEqual(differences(listed, wanted), []);
    // Every create was sent once and answered: none was repeated or refused as a duplicate
    // (the emulator's refusal of a known code would hide a duplicate from the listing above).
    assert.equal(createsDone(rig), total);
    assert.equal(rig.stats().requests['POST /v2/customers']?.['400'] ?? 0, 0);

    const again = await rig.run(['plan', 'customers.yaml', '--detailed-exitcode']);
    assert.equal(again.code, 0, show(again));
  } finally {
    gate.open();
    await rig.close();
  }
});
