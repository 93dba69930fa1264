/**
 * Apply under 20% faults of every kind, lost responses included: re-running plan + apply
 * converges on exactly the desired records, with no duplicate and nothing left to do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../src/core/random.js';
import {
  FULL,
  Rig,
  differences,
  duplicateCodes,
  edited,
  generateCustomers,
  jsonLines,
  isRecord,
  show,
  size,
  yamlOf,
} from './support.js';

const FAULTS = '500:0.04,522:0.03,429:0.03,reset:0.04,hang:0.02,lost-response:0.04';
const MAX_ROUNDS = 8;

test(`apply of ${size(100, 1000)} records under 20% faults converges: exact records, no duplicate, no change left`, async (t) => {
  const total = size(100, 1000);
  const rand = mulberry32(6);
  // 40% of the records exist already: half of them with other values (updates), half as wanted.
  const wanted = generateCustomers(total, 61, 'FLT');
  const existing = Math.floor(total * 0.4);
  const before = wanted.slice(0, existing).map((c, i) => (i % 2 === 0 ? edited(c, rand) : c));
  // Customers no file manages: they must come through untouched.
  const bystanders = generateCustomers(5, 62, 'OTHER');

  const rig = await Rig.start();
  try {
    rig.write('before.yaml', yamlOf([...before, ...bystanders]));
    const setup = await rig.run(['apply', 'before.yaml', '--auto-approve']);
    assert.equal(setup.code, 0, show(setup));
    const untouched = await rig.customers();

    await rig.reopen({ faults: FAULTS, faultSeed: 2026 });
    rig.write('customers.yaml', yamlOf(wanted));
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

    // The faults did happen, of every kind, and creates did lose their answers.
    const injected = Object.values(faulty.faults).reduce((a, b) => a + b, 0);
    assert.ok(injected >= 5, `only ${injected} faults were injected`);
    if (FULL) {
      for (const kind of ['500', '522', '429', 'reset', 'hang', 'lost-response'] as const)
        assert.ok((faulty.faults[kind] ?? 0) > 0, `no ${kind} fault was injected`);
      const lostCreates = faulty.requests['POST /v2/customers']?.['lost-response'] ?? 0;
      assert.ok(lostCreates > 0, 'no create lost its answer');
    }

    // The emulator refuses a second customer with the same code, so duplicates cannot show up
    // in the account; a create sent again blindly after a lost answer shows up as that refusal.
    // (Whether Helcim itself refuses them is unverified: the client must not need it.)
    assert.equal(
      faulty.requests['POST /v2/customers']?.['400'] ?? 0,
      0,
      'a create was sent again for a customer that already existed',
    );

    // The journal survived the faults line by line.
    for (const entry of jsonLines(rig.read('apply.jsonl')))
      assert.ok(isRecord(entry) && entry['v'] === 1, JSON.stringify(entry));

    // Checked on the same account without faults, so the check itself cannot be fooled.
    await rig.reopen();
    const listed = await rig.customers();
    assert.deepEqual(duplicateCodes(listed), [], 'a customer was created twice');
    assert.deepEqual(differences(listed, wanted), []);
    const wantedCodes = new Set(wanted.map((c) => c.customerCode));
    const others = listed.filter((c) => !wantedCodes.has(c.code));
    const byCode = (a: { code: string }, b: { code: string }): number =>
      a.code.localeCompare(b.code);
    assert.deepEqual(
      others.sort(byCode),
      untouched.filter((c) => c.code.startsWith('OTHER-')).sort(byCode),
      'customers no file manages were changed',
    );
    assert.equal(listed.length, total + bystanders.length);

    const again = await rig.run(['plan', 'customers.yaml', '--detailed-exitcode']);
    assert.equal(again.code, 0, show(again));
    assert.match(
      again.stdout,
      new RegExp(`^Plan: 0 to create, 0 to update, ${total} unchanged`, 'm'),
    );
  } finally {
    await rig.close();
  }
});
