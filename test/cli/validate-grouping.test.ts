import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/run.js';
import { parseConfigText, SILENCEABLE_WARNINGS } from '../../src/load/config.js';

let dir = '';

/** 100 rows, each without a street1 or a postal code: the same two errors on every row. */
function exportRows(): string {
  const rows = ['customerCode,contactName,billingAddress.name,billingAddress.city'];
  for (let i = 1; i <= 100; i++) rows.push(`C-${1000 + i},Ann ${i},Ann ${i},Boston`);
  return rows.join('\n') + '\n';
}

/** A mapped CRM export: phones with extensions, country names, a Notes column not read. */
function crmRows(): string {
  const rows = ['ID,Name,Street,Zip,Phone,Country,Province,Notes'];
  for (let i = 1; i <= 20; i++)
    rows.push(
      `C-${i},Ann ${i},${i} Main St,02110,(617) 555-01${10 + i} ext. ${i},United States,MA,x`,
    );
  rows.push('C-99,Bad Phone,9 Main St,02110,12,United States,MA,x');
  return rows.join('\n') + '\n';
}

function crmConfig(silence: string): string {
  return [
    'sources:',
    '  - path: crm.csv',
    '    mapping: crm',
    'mappings:',
    '  crm:',
    silence,
    '    columns:',
    '      customerCode: ID',
    '      contactName: Name',
    '      cellPhone: Phone',
    '      billingAddress.name: Name',
    '      billingAddress.street1: Street',
    '      billingAddress.postalCode: Zip',
    '      billingAddress.country: Country',
    '      billingAddress.province: Province',
    '',
  ].join('\n');
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'helcim-grouping-'));
  writeFileSync(join(dir, 'export.csv'), exportRows());
  writeFileSync(join(dir, 'crm.csv'), crmRows());
  writeFileSync(join(dir, 'loud.yaml'), crmConfig(''));
  writeFileSync(
    join(dir, 'quiet.yaml'),
    crmConfig(
      '    silence: [country-converted, phone-extension, csv-unused-columns, invalid-phone]',
    ),
  );
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await run(args, {
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: { NO_COLOR: '1' },
    cwd: dir,
    signal: new AbortController().signal,
  });
  return { code, stdout: out };
}

test('validate of 100 rows with the same two errors each: 3 lines of each in full, then its count, rows and hint', async () => {
  const r = await cli(['validate', 'export.csv']);
  assert.equal(r.code, 1);
  const street = 'billingAddress.street1: an address needs a street1';
  const postal = 'billingAddress.postalCode: an address needs a postalCode';
  const hint = (path: string): string =>
    `add a ${path} column, or read the file with a mapping (see "mappings" in the README)`;
  assert.deepEqual(r.stdout.split('\n'), [
    `export.csv: row 2: error: ${street}`,
    `export.csv: row 3: error: ${street}`,
    `export.csv: row 4: error: ${street}`,
    `export.csv: error: ${street}: 100 rows (2-101)`,
    `  hint: ${hint('billingAddress.street1')}`,
    `export.csv: row 2: error: ${postal}`,
    `export.csv: row 3: error: ${postal}`,
    `export.csv: row 4: error: ${postal}`,
    `export.csv: error: ${postal}: 100 rows (2-101)`,
    `  hint: ${hint('billingAddress.postalCode')}`,
    'problems repeated on many rows are grouped; --verbose lists each one',
    '200 errors, 0 warnings: 0 of 100 records valid in 1 file',
    '',
  ]);
});

test('validate --verbose of the same 100 rows prints all 200 problems, one line each', async () => {
  const r = await cli(['validate', 'export.csv', '--verbose']);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.filter((l) => /^export\.csv: row \d+: error: /.test(l)).length, 200);
  assert.equal(lines.filter((l) => l.startsWith('  hint: add a billingAddress.')).length, 200);
  assert.equal(lines.length, 401);
});

test('validate --json of the same 100 rows keeps all 200 problems', async () => {
  const r = await cli(['validate', 'export.csv', '--json']);
  const json: unknown = JSON.parse(r.stdout);
  const problems: unknown = Reflect.get(Object(json), 'problems');
  assert.ok(Array.isArray(problems));
  assert.equal(problems.length, 200);
});

test('a mapping without silence: its warnings are reported, with the silence line that would quiet them', async () => {
  const r = await cli(['validate', '--config', 'loud.yaml']);
  assert.match(
    r.stdout,
    /^warnings an export gives on purpose can be silenced in mapping "crm": silence: \[csv-unused-columns, phone-extension, country-converted\]$/m,
  );
  assert.match(r.stdout, /^1 error, 22 warnings: 20 of 21 records valid in 1 file$/m);
});

test("a mapping's silence list hides those warnings, counts them as silenced, and never hides an error", async () => {
  const r = await cli(['validate', '--config', 'quiet.yaml']);
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.split('\n'), [
    'crm.csv: row 22, column "Phone": error: cellPhone: "12" has 2 digits; Helcim takes 10 to 16',
    '  hint: write the full number with its area code',
    '1 error, 0 warnings (22 silenced): 20 of 21 records valid in 1 file',
    '',
  ]);
  const json: unknown = JSON.parse(
    (await cli(['validate', '--config', 'quiet.yaml', '--json'])).stdout,
  );
  assert.equal(Reflect.get(Object(Reflect.get(Object(json), 'summary')), 'silenced'), 22);
});

test('silence: a code that is not a silenceable warning is refused by the config schema', () => {
  const { problems } = parseConfigText(
    'mappings:\n  crm:\n    silence: [missing-field]\n    columns:\n      customerCode: ID\n',
    { file: '/p/helcim-sync.yaml', shown: 'helcim-sync.yaml', cwd: '/p' },
  );
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.severity, 'error');
  assert.match(problems[0]?.message ?? '', /silence/);
});

test("the config schema's silence codes are exactly SILENCEABLE_WARNINGS", () => {
  const path = fileURLToPath(new URL('../../../schemas/config.schema.json', import.meta.url));
  const schema: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const codes: unknown = [
    'properties',
    'mappings',
    'additionalProperties',
    'properties',
    'silence',
    'items',
    'enum',
  ].reduce<unknown>((node, key) => Reflect.get(Object(node), key), schema);
  assert.deepEqual(codes, [...SILENCEABLE_WARNINGS]);
});
