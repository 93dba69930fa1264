import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/run.js';
import { loadCsv } from '../../src/load/csv.js';
import { CSV_FIXTURES } from '../load/csv-helpers.js';

let dir = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'helcim-validate-'));
  cpSync(join(CSV_FIXTURES, 'crm-export.csv'), join(dir, 'crm-export.csv'));
  cpSync(join(CSV_FIXTURES, 'crm.helcim-sync.yaml'), join(dir, 'crm.yaml'));
  writeFileSync(join(dir, 'good.yaml'), 'customers:\n  - customerCode: C1\n    contactName: Ada\n');
  writeFileSync(
    join(dir, 'bad.yaml'),
    'customers:\n  - customerCode: C1\n    contactName: Ada\n  - customerCode: C2\n    cellPhone: "12"\n',
  );
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await run(args, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { NO_COLOR: '1' },
    cwd: dir,
    signal: new AbortController().signal,
  });
  return { code, stdout: out, stderr: err };
}

test('valid input: exit 0 and a summary', async () => {
  const r = await cli(['validate', 'good.yaml', '--config', 'none.yaml']);
  assert.equal(r.code, 1, 'a --config that does not exist is an error');
  const ok = await cli(['validate', 'good.yaml']);
  assert.equal(ok.stdout, '0 errors, 0 warnings: 1 of 1 record valid in 1 file\n');
  assert.equal(ok.code, 0);
});

test('errors: one line per problem with place and hint, exit 1', async () => {
  const r = await cli(['validate', 'bad.yaml']);
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.split('\n'), [
    'bad.yaml:4:3: error: contactName: a customer needs a contactName or a businessName',
    '  hint: fill in at least one of them',
    'bad.yaml:5:5: error: cellPhone: "12" has 2 digits; Helcim takes 10 to 16',
    '  hint: write the full number with its area code',
    '1 error, 0 warnings: 1 of 2 records valid in 1 file'.replace('1 error', '2 errors'),
    '',
  ]);
});

test('--json: versioned, with summary and problems', async () => {
  const r = await cli(['validate', 'bad.yaml', '--json']);
  assert.equal(r.code, 1);
  const json: unknown = JSON.parse(r.stdout);
  assert.ok(typeof json === 'object' && json !== null);
  assert.deepEqual(Reflect.get(json, 'summary'), {
    files: 1,
    records: 2,
    valid: 1,
    rejected: 1,
    errors: 2,
    warnings: 0,
  });
  assert.equal(Reflect.get(json, 'version'), 1);
  assert.equal(Reflect.get(json, 'ok'), false);
  const problems: unknown = Reflect.get(json, 'problems');
  assert.ok(Array.isArray(problems));
  assert.deepEqual(problems[1], {
    severity: 'error',
    code: 'invalid-phone',
    message: 'cellPhone: "12" has 2 digits; Helcim takes 10 to 16',
    place: { kind: 'yaml', file: 'bad.yaml', line: 5, column: 5 },
    path: 'cellPhone',
    hint: 'write the full number with its area code',
    location: 'bad.yaml:5:5',
  });
});

test('no paths: the config sources are validated', async () => {
  const r = await cli(['validate', '--json', '--config', 'crm.yaml']);
  const json: unknown = JSON.parse(r.stdout);
  assert.ok(typeof json === 'object' && json !== null);
  // crm-export-semicolon.csv is a source in the fixture config but not copied here.
  assert.match(r.stdout, /crm-export-semicolon.csv/);
  assert.equal(r.code, 1);
});

test('--skip-invalid writes a 0600 rejects CSV with the input columns and an error column', async () => {
  const r = await cli(['validate', 'crm-export.csv', '--skip-invalid', '--config', 'crm.yaml']);
  assert.equal(r.code, 0);
  const path = join(dir, 'crm-export.rejects.csv');
  assert.match(r.stdout, /wrote 2 rejected records to .*crm-export\.rejects\.csv/);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const original = loadCsv('crm-export.csv', readFileSync(join(dir, 'crm-export.csv')));
  const rejects = loadCsv('crm-export.rejects.csv', readFileSync(path));
  const headers = Object.keys(rejects.records[0]?.cells ?? {});
  assert.deepEqual(headers, [...Object.keys(original.records[0]?.cells ?? {}), 'error']);
  assert.equal(rejects.records[0]?.cells?.['Country'], 'Canda');
  assert.match(
    rejects.records[0]?.cells?.['error'] ?? '',
    /unknown country "Canda" \(did you mean CAN \(Canada\)\?\)/,
  );
  // Fed straight back in, the rejects file is read with the mapping of the file it came from.
  const again = await cli(['validate', 'crm-export.rejects.csv', '--json', '--config', 'crm.yaml']);
  const json: unknown = JSON.parse(again.stdout);
  assert.ok(typeof json === 'object' && json !== null);
  assert.deepEqual(Reflect.get(json, 'summary'), {
    files: 1,
    records: 2,
    valid: 0,
    rejected: 2,
    errors: 5,
    warnings: 1,
  });
});

test('--rejects FILE collects YAML rejects as dotted-path columns', async () => {
  const r = await cli(['validate', 'bad.yaml', '--rejects', 'out.csv']);
  assert.equal(r.code, 0);
  const text = readFileSync(join(dir, 'out.csv'), 'utf8');
  assert.equal(
    text,
    '\uFEFFcustomerCode,cellPhone,error\r\nC2,12,contactName: a customer needs a contactName or a businessName (fill in at least one of them); cellPhone: ""12"" has 2 digits; Helcim takes 10 to 16 (write the full number with its area code)\r\n'.replace(
      ',contactName: a customer needs a contactName or a businessName (fill in at least one of them); cellPhone: ""12"" has 2 digits; Helcim takes 10 to 16 (write the full number with its area code)',
      ',"contactName: a customer needs a contactName or a businessName (fill in at least one of them); cellPhone: ""12"" has 2 digits; Helcim takes 10 to 16 (write the full number with its area code)"',
    ),
  );
});

test('a YAML file with a syntax error counts none of its records valid, and says it may hold more', async () => {
  writeFileSync(
    join(dir, 'broken.yaml'),
    'customers:\n  - customerCode: B1\n    contactName: Ada\n  - customerCode: B2\n    contactName: Bob\n    x: [\n',
  );
  const r = await cli(['validate', 'broken.yaml']);
  assert.equal(r.code, 1);
  const last = r.stdout.trimEnd().split('\n').at(-1);
  assert.match(
    last ?? '',
    /: 0 of 1 record valid in 1 file; broken\.yaml could not be read in full/,
  );
  const json = await cli(['validate', 'broken.yaml', '--json']);
  const summary: unknown = Reflect.get(JSON.parse(json.stdout) as object, 'summary');
  assert.ok(typeof summary === 'object' && summary !== null);
  assert.equal(Reflect.get(summary, 'valid'), 0);
  assert.deepEqual(Reflect.get(summary, 'unreadableFiles'), ['broken.yaml']);
  rmSync(join(dir, 'broken.yaml'));
});
