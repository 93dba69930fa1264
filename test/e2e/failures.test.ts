/**
 * Failures that round-trip, through the built CLI against each provider's emulator: records the
 * remote side refuses go to a failures CSV in their input's own columns plus `error`; a person
 * fixes that file and applies it, and the account converges with no duplicate. The emulators
 * refuse chosen records with `rejectValue` (deterministic) or every write with `reject:1`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { PaymentKitRig, updatesDone } from '../support/payment-kit.js';
import {
  Sandbox,
  answered,
  codesOf,
  countRequests,
  duplicates,
  isRecord,
  jsonOut,
  show,
} from './helpers.js';

const REJECT = 'REJECT-ME';
const BOM = '\uFEFF';
const TOKEN = 'helcim-SECRET-e2e-token-4d1f';

/** The rows of an error file written by the tool, BOM and line ends taken off. */
function rowsOf(text: string): string[] {
  assert.ok(text.startsWith(BOM), 'an error file starts with a byte-order mark, for Excel');
  return text.slice(1).split('\r\n').slice(0, -1);
}

const CSV = [
  'contactName,customerCode,cellPhone',
  'Ada,FL-1,4035550101',
  `"Bob, ${REJECT}",FL-2,4035550102`,
  'Cy,FL-3,4035550103',
  `Di ${REJECT},FL-4,4035550104`,
  'Ed,FL-5,4035550105',
].join('\n');

test('Helcim: refused records go to crm.failures.csv in their own columns plus error; fixed and applied, the account converges with each customer created once', async () => {
  const box = await Sandbox.start({ rejectValue: REJECT, token: TOKEN });
  try {
    box.write('crm.csv', CSV + '\n');
    const first = await box.run(['apply', 'crm.csv', '--auto-approve']);
    assert.equal(first.code, 1, show(first));
    assert.match(
      first.stdout,
      /Failed records: 2 in crm\.failures\.csv; fix them there and apply it again/,
      show(first),
    );
    const refused = first.stdout
      .split('\n')
      .filter((l) => l.includes('FL-2') && l.includes('failed'));
    assert.equal(refused.length, 1, show(first));
    assert.equal(
      refused[0]?.split('contactName is not accepted').length,
      2,
      `the field's error is said once on its line: ${refused[0] ?? ''}`,
    );
    const failures = box.read('crm.failures.csv');
    assert.ok(!failures.includes(TOKEN), 'the token is in no failures file');
    assert.equal(box.mode('crm.failures.csv'), 0o600);
    const expectedError = `"Helcim refused it (400): contactName: contactName is not accepted: it holds ""${REJECT}"" (emulator: rejectValue)"`;
    assert.deepEqual(rowsOf(failures), [
      'contactName,customerCode,cellPhone,error',
      `"Bob, ${REJECT}",FL-2,4035550102,${expectedError}`,
      `Di ${REJECT},FL-4,4035550104,${expectedError}`,
    ]);

    box.write('crm.failures.csv', failures.replaceAll(` ${REJECT}`, ' Fixed'));
    const second = await box.run(['apply', 'crm.failures.csv', '--auto-approve']);
    assert.equal(second.code, 0, show(second));
    assert.doesNotMatch(second.stdout, /Failed records/);
    const plan = await box.run(['plan', 'crm.failures.csv', '--detailed-exitcode']);
    assert.equal(plan.code, 0, show(plan));

    const remote = await box.customers();
    assert.deepEqual(duplicates(remote), []);
    assert.deepEqual(codesOf(remote), ['FL-1', 'FL-2', 'FL-3', 'FL-4', 'FL-5']);
    assert.equal(remote.find((c) => c.customerCode === 'FL-4')?.contactName, 'Di Fixed');
    assert.equal(remote.find((c) => c.customerCode === 'FL-2')?.contactName, 'Bob, Fixed');
    const stats = box.stats();
    assert.equal(answered(stats, 'POST /v2/customers', '200'), 5, 'each customer created once');
    assert.equal(answered(stats, 'POST /v2/customers', '400'), 2, 'a refusal is not retried');
  } finally {
    await box.close();
  }
});

test('Helcim: apply --json names the failures files; --failures FILE gathers CSV and YAML records; a run with nothing failed writes no file and removes none', async () => {
  const box = await Sandbox.start({ rejectValue: REJECT });
  try {
    box.write('crm.csv', CSV + '\n');
    box.write(
      'more.yaml',
      [
        'customers:',
        '  - customerCode: FY-1',
        `    contactName: "Yan ${REJECT}"`,
        '  - customerCode: FY-2',
        '    contactName: Yoko',
        '',
      ].join('\n'),
    );
    mkdirSync(box.path('out'));
    const json = await box.run([
      'apply',
      'crm.csv',
      'more.yaml',
      '--auto-approve',
      '--json',
      '--failures',
      'out/fix-me.failures.csv',
    ]);
    assert.equal(json.code, 1, show(json));
    const report = jsonOut(json);
    assert.ok(isRecord(report));
    assert.deepEqual(report['failuresFiles'], [
      { path: box.path('out/fix-me.failures.csv'), records: 3 },
    ]);
    assert.ok(!existsSync(box.path('crm.failures.csv')), 'one file, the one asked for');
    const gathered = rowsOf(box.read('out/fix-me.failures.csv'));
    assert.equal(gathered[0], 'contactName,customerCode,cellPhone,error');
    const starts = [
      `"Bob, ${REJECT}",FL-2,4035550102,`,
      `Di ${REJECT},FL-4,4035550104,`,
      `Yan ${REJECT},FY-1,,`,
    ];
    assert.equal(gathered.length, 4);
    starts.forEach((start, i) => assert.ok(gathered[i + 1]?.startsWith(start), gathered[i + 1]));

    // Without --failures, the YAML record is listed, and no file is made for it.
    box.write('other.yaml', `customers:\n  - customerCode: FY-9\n    contactName: "Z ${REJECT}"\n`);
    const yaml = await box.run(['apply', 'other.yaml', '--auto-approve']);
    assert.equal(yaml.code, 1, show(yaml));
    assert.match(yaml.stdout, /1 failed record of YAML files is listed above only/);
    assert.match(yaml.stdout, /FY-9 \(other\.yaml:2\): create failed/);
    assert.ok(!existsSync(box.path('other.failures.csv')));

    // Everything in crm.csv exists or is fixed now: nothing fails, nothing is written or removed.
    box.write('crm.failures.csv', 'an earlier,error\n');
    box.write('crm.csv', CSV.replaceAll(` ${REJECT}`, '') + '\n');
    const clean = await box.run(['apply', 'crm.csv', '--auto-approve', '--json']);
    assert.equal(clean.code, 0, show(clean));
    const cleanReport = jsonOut(clean);
    assert.ok(isRecord(cleanReport));
    assert.deepEqual(cleanReport['failuresFiles'], []);
    assert.equal(box.read('crm.failures.csv'), 'an earlier,error\n');
    assert.equal(box.read('out/fix-me.failures.csv').split('\r\n').length, 5, 'left as it was');

    // The folder is read without its failures files (or the codes would be taken twice).
    const folder = await box.run(['plan', '.', '--detailed-exitcode']);
    assert.doesNotMatch(folder.stderr, /failures|more than one record/, show(folder));

    // --failures takes a name a folder is read without, and never replaces a person's data.
    const named = await box.run(['apply', 'crm.csv', '--auto-approve', '--failures', 'fix.csv']);
    assert.notEqual(named.code, 0, show(named));
    assert.match(named.stderr, /--failures fix\.csv: name the failures file \*\.failures\.csv/);
    box.write('data.failures.csv', 'customerCode,contactName\nX1,Xi\n');
    const refused = await box.run([
      'apply',
      'crm.csv',
      '--auto-approve',
      '--failures',
      'data.failures.csv',
    ]);
    assert.notEqual(refused.code, 0, show(refused));
    assert.match(
      refused.stderr,
      /--failures data\.failures\.csv: it exists and is not a failures or rejects file/,
    );
    assert.equal(box.read('data.failures.csv'), 'customerCode,contactName\nX1,Xi\n');
  } finally {
    await box.close();
  }
});

test('Helcim: the reject:1 fault refuses every write once (no retry, no lookup), and every record goes to the failures file', async () => {
  const box = await Sandbox.start({ faults: 'reject:1' });
  try {
    box.write('crm.csv', CSV + '\n');
    const run = await box.run(['apply', 'crm.csv', '--auto-approve', '--fetch', 'list']);
    assert.equal(run.code, 1, show(run));
    const rows = rowsOf(box.read('crm.failures.csv'));
    assert.equal(rows.length, 6);
    for (const row of rows.slice(1))
      assert.match(
        row,
        /,"Helcim refused it \(400\): contactName: contactName is not accepted \(emulator: fault ""reject""\)"$/,
      );
    const stats = box.stats();
    assert.equal(stats.faults.reject, 5);
    assert.equal(countRequests(stats, 'POST'), 5, 'one POST a record');
    assert.equal(countRequests(stats, 'GET'), 1, 'the listing only: no lookup after a refusal');
    assert.equal(stats.customers, 0);
  } finally {
    await box.close();
  }
});

test('Payment Kit: a refused update goes to the failures file with the did and the columns as given; fixed and applied, the customer is updated and nothing else is written', async () => {
  const rig = await PaymentKitRig.start({ seed: 3, rejectValue: REJECT });
  try {
    const customers = await rig.customers();
    const [a, b, c] = customers;
    assert.ok(a && b && c);
    rig.write(
      'crm.csv',
      [
        'name,did,metadata.crm',
        `Ann,${a.did},C-1`,
        `"Ben ${REJECT}",${b.did},C-2`,
        `Cat,${c.did},C-3`,
        '',
      ].join('\n'),
    );
    const first = await rig.run(['apply', 'crm.csv', '--auto-approve']);
    assert.equal(first.code, 1, show(first));
    assert.match(first.stdout, /Failed records: 1 in crm\.failures\.csv/);
    const rows = rowsOf(rig.read('crm.failures.csv'));
    assert.deepEqual(rows, [
      'name,did,metadata.crm,error',
      `Ben ${REJECT},${b.did},C-2,"Payment Kit refused it (400): name is not accepted: it holds ""${REJECT}"" (emulator: rejectValue)"`,
    ]);
    assert.ok(!rig.read('crm.failures.csv').includes(rig.emulator.token));
    assert.equal(updatesDone(rig.stats()), 2);

    rig.write('crm.failures.csv', rig.read('crm.failures.csv').replace(`Ben ${REJECT}`, 'Ben'));
    const second = await rig.run(['apply', 'crm.failures.csv', '--auto-approve', '--json']);
    assert.equal(second.code, 0, show(second));
    const report = jsonOut(second);
    assert.ok(isRecord(report));
    assert.deepEqual(report['failuresFiles'], []);
    assert.equal(updatesDone(rig.stats()), 3, 'the fixed record only');
    const after = await rig.customer(b.id);
    assert.equal(after.name, 'Ben');
    assert.equal(after.metadata['crm'], 'C-2');
    const plan = await rig.run(['plan', 'crm.failures.csv', '--detailed-exitcode']);
    assert.equal(plan.code, 0, show(plan));
  } finally {
    await rig.close();
  }
});

test('Payment Kit: the reject:1 fault refuses every PUT once, and each record goes to the failures file', async () => {
  const rig = await PaymentKitRig.start({ seed: 2, faults: 'reject:1' });
  try {
    const [a, b] = await rig.customers();
    assert.ok(a && b);
    rig.write('crm.csv', `did,name\n${a.did},New A\n${b.did},New B\n`);
    const run = await rig.run(['apply', 'crm.csv', '--auto-approve']);
    assert.equal(run.code, 1, show(run));
    const rows = rowsOf(rig.read('crm.failures.csv'));
    assert.equal(rows.length, 3);
    assert.match(rows[1] ?? '', /name is not accepted \(emulator: fault ""reject""\)"$/);
    const stats = rig.stats();
    assert.equal(stats.faults.reject, 2);
    assert.equal(countRequests(stats, 'PUT'), 2, 'not retried');
  } finally {
    await rig.close();
  }
});
