import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCsv } from '../../src/load/csv.js';
import { validateRecords } from '../../src/validate/index.js';
import { normalizeCustomer } from '../../src/providers/helcim/normalize/index.js';
import { canonicalJson } from '../../src/core/fields.js';
import { helcimFields } from '../../src/providers/helcim/fields.js';
import { ODD_CUSTOMERS, startAccount, type Account } from './support.js';

let account: Account;

before(async () => {
  account = await startAccount(ODD_CUSTOMERS, 0, 'in-process');
});
after(async () => account.close());

function assertNoToken(...texts: string[]): void {
  const token = account.env['HELCIM_API_TOKEN'] ?? '';
  assert.ok(token.length > 0);
  for (const text of texts) assert.ok(!text.includes(token), 'the token leaked into an output');
}

const CODES = ['0007', 'A-001', 'B-002'];

for (const format of ['yaml', 'csv'] as const) {
  test(`${format}: export, validate, then plan shows no changes`, async () => {
    const file = `customers.${format}`;
    const exported = await account.run(['export', '--out', file]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout, '');
    assert.equal(exported.stderr, `exported 3 customers to ${file}\n`);
    const path = join(account.dir, file);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const text = readFileSync(path, 'utf8');
    const positions = CODES.map((c) => text.indexOf(c));
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      'records sorted by code',
    );
    const validated = await account.run(['validate', file]);
    assert.equal(validated.code, 0, validated.stdout);
    const planned = await account.run(['plan', file, '--detailed-exitcode', '--json']);
    assert.equal(planned.code, 0, planned.stdout + planned.stderr);
    const plan: unknown = JSON.parse(planned.stdout);
    assert.ok(typeof plan === 'object' && plan !== null && 'summary' in plan);
    assert.deepEqual(plan.summary, {
      create: 0,
      update: 0,
      unchanged: 3,
      remoteOnly: 0,
      conflict: 0,
    });
    assertNoToken(exported.stdout, exported.stderr, text, planned.stdout, planned.stderr);
  });
}

test('yaml: schema line, odd values quoted, normalised values, empty parts left out', async () => {
  const run = await account.run(['export']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split('\n');
  assert.match(lines[0] ?? '', /^# yaml-language-server: \$schema=\S+customers\.schema\.json$/);
  for (const expected of [
    '  - customerCode: "0007"',
    '    contactName: "Hash # Tag"',
    '    businessName: "yes"',
    '    contactName: "null"',
    '      name: "Key: Value"',
    '      street1: 12 Main St',
    '      postalCode: "00123"',
    '      postalCode: H2X 1Y4',
    '      postalCode: "2025-01-01"',
    '    cellPhone: "4035550101"',
    '      street1: "@home"',
    '      name: "-5 Dash"',
    '      street1: "\\"Quoted\\", with comma"',
    '    contactName: José Núñez 😀',
  ])
    assert.ok(lines.includes(expected), `missing line ${expected}\n${run.stdout}`);
  assert.ok(!run.stdout.includes('street2: ""'), 'empty fields are left out');
  assert.equal(run.stderr, 'exported 3 customers to standard output\n');
});

test('csv: formula-like cells are neutralised on disk and load back exactly', async () => {
  const run = await account.run(['export', '--format', 'csv']);
  assert.equal(run.code, 0, run.stderr);
  const [header, ...rows] = run.stdout.trimEnd().split('\n');
  assert.ok(
    header?.startsWith('customerCode,contactName,businessName,cellPhone,billingAddress.name'),
  );
  assert.ok(!header?.includes('billingAddress.phone'), 'only the columns used');
  assert.ok(rows[2]?.includes(`'=cmd|' /C calc'!A0`), rows[2]);
  assert.ok(rows[0]?.includes(`'+1 Plus`), rows[0]);
  assert.ok(rows[0]?.includes(`'@home`), rows[0]);
  assert.ok(rows[0]?.includes(`'-5 Dash`), rows[0]);
  for (const row of rows)
    for (const cell of row.split(',')) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `cell ${cell}`);
  const loaded = loadCsv('export.csv', run.stdout);
  const { customers, problems } = validateRecords(loaded.records);
  assert.deepEqual(problems, []);
  const byCode = new Map(customers.map((c) => [c.data.customerCode, c.data]));
  for (const original of ODD_CUSTOMERS) {
    const back = byCode.get(original.customerCode);
    assert.ok(back !== undefined);
    assert.equal(
      canonicalJson(helcimFields, back),
      canonicalJson(helcimFields, normalizeCustomer(original)),
    );
  }
});

test('export twice gives byte-identical files', async () => {
  for (const format of ['yaml', 'csv']) {
    const a = await account.run(['export', '--format', format]);
    const b = await account.run(['export', '--format', format]);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout);
  }
});

test('--code and --search choose customers; both narrow', async () => {
  const byCode = await account.run(['export', '--code', 'A-001', '--code', '0007']);
  assert.equal(byCode.code, 0, byCode.stderr);
  assert.match(byCode.stdout, /customerCode: "0007"/);
  assert.match(byCode.stdout, /customerCode: A-001/);
  assert.doesNotMatch(byCode.stdout, /B-002/);
  const search = await account.run(['export', '--search', 'QUÉBEC']);
  assert.match(search.stdout, /A-001/);
  assert.doesNotMatch(search.stdout, /B-002|0007/);
  assert.equal(search.stderr, 'exported 1 customer to standard output\n');
  const both = await account.run(['export', '--search', 'key@example', '--code', 'A-001']);
  assert.equal(both.stderr, 'exported 0 customers to standard output\n');
  assert.match(both.stdout, /^customers: \[\]$/m);
});

test('usage errors: format and extension disagree, cards in CSV', async () => {
  const mismatch = await account.run(['export', '--format', 'csv', '--out', 'x.yaml']);
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.stderr, /--format csv does not match --out x\.yaml/);
  const cards = await account.run(['export', '--format', 'csv', '--include-cards']);
  assert.equal(cards.code, 1);
  assert.match(cards.stderr, /YAML only/);
});
