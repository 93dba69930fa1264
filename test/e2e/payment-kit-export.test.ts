/**
 * Payment Kit's export through the built CLI, against its emulator over real HTTP: the test
 * customers (and only they) as a desired-state file, YAML or CSV, the same bytes every time,
 * safe to open in a spreadsheet, without Payment Kit's read-only fields, and planning back to no
 * changes. Values that trip up YAML, CSV and spreadsheets are set over plain HTTP first.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CliRun } from '../support/cli.js';
import { PaymentKitRig, type PkWire } from '../support/payment-kit.js';
import { isRecord, jsonOut, show } from './helpers.js';

let rig: PaymentKitRig;
let tests: PkWire[];
let lives: PkWire[];
/** `export --out customers.yaml` and `export --out customers.csv`, run once for every test. */
const exports = new Map<'yaml' | 'csv', CliRun>();

/** Odd values, set on the first test customers in the dashboard's way (a PUT). */
const ODD: Record<string, unknown>[] = [
  {
    name: '=HYPERLINK("http://evil.example","click")',
    description: '@SUM(1+1)',
    // A key with a dot: CSV writes it as the column metadata.crm.id, which must load back.
    metadata: { note: '+1 555 0100', vip: 'yes', zip: '00123', 'crm.id': 'C-7' },
  },
  {
    name: '-5 Dash',
    phone: '+15551234567',
    address: {
      country: 'CA',
      state: 'ON',
      city: 'Toronto',
      line1: '"Quoted", with comma',
      line2: '',
      postal_code: 'M5V 2T6',
    },
  },
  { name: 'null', email: 'Someone@Example.COM', metadata: { 'odd key: #1': 'true' } },
  { name: 'Key: Value # not a comment', description: "O'Brien's\ttab" },
];

/** Payment Kit's fields that are its own, never desired state. */
const READ_ONLY =
  /livemode|balance|delinquent|created_at|updated_at|invoice_prefix|shipping|token_balance|cus_/;

before(async () => {
  rig = await PaymentKitRig.start({ seed: 5 });
  const seeded = await rig.customers();
  for (const [i, body] of ODD.entries()) {
    const c = seeded[i];
    assert.ok(c !== undefined);
    await rig.update(c.id, body);
  }
  tests = await rig.customers();
  lives = await rig.customers(true);
  // Independent runs, side by side: the file stays quick on two cores.
  const [yaml, csv] = await Promise.all([
    rig.run(['export', '--out', 'customers.yaml']),
    rig.run(['export', '--out', 'customers.csv']),
  ]);
  exports.set('yaml', yaml);
  exports.set('csv', csv);
});

function exported(format: 'yaml' | 'csv'): string {
  const run = exports.get(format);
  assert.ok(run !== undefined);
  assert.equal(run.code, 0, show(run));
  return rig.read(`customers.${format}`);
}

after(async () => rig.close());

/** DIDs in code-unit order, as an export sorts them. */
function sortedDids(customers: readonly PkWire[]): string[] {
  return customers.map((c) => c.did).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

for (const format of ['yaml', 'csv'] as const) {
  test(`${format}: export holds the test customers only, sorted by DID, byte-identical twice, no read-only field, and validates and plans back to no changes`, async () => {
    const file = `customers.${format}`;
    const run = exports.get(format);
    assert.ok(run !== undefined);
    assert.equal(run.code, 0, show(run));
    assert.equal(run.stdout, '');
    // Nothing but the count: a note here would mean the file does not load back cleanly.
    assert.equal(run.stderr, `exported ${tests.length} customers to ${file}\n`);
    assert.equal(rig.mode(file).toString(8), '600');
    const text = rig.read(file);

    const positions = sortedDids(tests).map((did) => text.indexOf(did));
    assert.ok(
      positions.every((p) => p >= 0),
      'every test customer is exported',
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      'sorted by DID',
    );
    for (const live of lives) assert.ok(!text.includes(live.did), `live ${live.did} exported`);
    assert.doesNotMatch(text, READ_ONLY);

    const [again, validated, planned] = await Promise.all([
      rig.run(['export', '--format', format]),
      rig.run(['validate', file]),
      rig.run(['plan', file, '--detailed-exitcode', '--json']),
    ]);
    assert.equal(again.code, 0, show(again));
    assert.equal(again.stdout, text, 'a second export gives the same bytes');
    assert.equal(validated.code, 0, show(validated));
    assert.equal(planned.code, 0, show(planned));
    const plan = jsonOut(planned);
    assert.ok(isRecord(plan));
    assert.deepEqual(plan['summary'], {
      create: 0,
      update: 0,
      unchanged: tests.length,
      remoteOnly: 0,
      conflict: 0,
    });
  });
}

test('csv: only managed columns, and formula-like cells are neutralised with a quote', async () => {
  const text = exported('csv');
  const [header, ...rows] = text.trimEnd().split('\n');
  assert.ok(header !== undefined);
  for (const column of header.split(','))
    assert.match(
      column,
      /^(did|name|email|phone|description|address\.(country|state|city|line1|line2|postal_code)|"?metadata\..+)$/,
      `column ${column}`,
    );
  assert.ok(header.startsWith('did,name,email,phone,description,address.country'), header);
  const body = rows.join('\n');
  for (const cell of [
    `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    `'@SUM(1+1)`,
    `'-5 Dash`,
    `'+15551234567`,
    `'+1 555 0100`,
  ])
    assert.ok(body.includes(cell), `missing cell ${cell}\n${text}`);
  for (const row of rows)
    for (const cell of row.split(','))
      assert.doesNotMatch(cell, /^"?[=+\-@\t\r]/, `cell ${cell} would run as a formula`);
});

test('yaml: odd values are quoted so they load back as the same text', async () => {
  const text = exported('yaml');
  const lines = text.split('\n');
  assert.match(
    lines[0] ?? '',
    /^# yaml-language-server: \$schema=\S+payment-kit-customers\.schema\.json$/,
  );
  for (const expected of [
    '    name: "null"',
    '    name: "Key: Value # not a comment"',
    '    email: Someone@example.com',
    '      vip: "yes"',
    '      zip: "00123"',
    '      "odd key: #1": "true"',
    '      line1: "\\"Quoted\\", with comma"',
  ])
    assert.ok(lines.includes(expected), `missing line ${expected}\n${text}`);
  assert.ok(!text.includes('line2: ""'), 'empty fields are left out');
});
