/**
 * The files this tool writes beside its inputs (rejects, failures): their default names, and a
 * directory read without them, at any depth; named directly they are inputs like any other.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverFiles } from '../../src/load/files.js';
import {
  defaultFailuresPath,
  defaultRejectsPath,
  errorRowsCsv,
  isErrorFileName,
  rejectsCsv,
  writeErrorRows,
} from '../../src/load/rejects.js';
import type { RawRecord } from '../../src/load/types.js';

const dir = mkdtempSync(join(tmpdir(), 'helcim-error-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = 'customerCode,contactName\nC1,Ada\n';

function csvRecord(cells: Record<string, string>, row = 2): RawRecord {
  const place = { kind: 'csv', file: 'crm.csv', row } as const;
  return { file: 'crm.csv', place, value: {}, cells, locate: () => place };
}

test('the failures file of an input sits beside it; a failures file is its own', () => {
  assert.equal(defaultFailuresPath('/d/crm.csv'), '/d/crm.failures.csv');
  assert.equal(defaultFailuresPath('/d/crm.tsv'), '/d/crm.failures.csv');
  assert.equal(defaultFailuresPath('/d/customers.yaml'), '/d/customers.failures.csv');
  assert.equal(defaultFailuresPath('/d/crm.failures.csv'), '/d/crm.failures.csv');
  assert.equal(defaultFailuresPath('/d/CRM.FAILURES.CSV'), '/d/CRM.FAILURES.CSV');
  assert.equal(defaultFailuresPath('/d/crm.rejects.csv'), '/d/crm.rejects.failures.csv');
  assert.equal(defaultRejectsPath('/d/crm.failures.csv'), '/d/crm.failures.rejects.csv');
  assert.ok(isErrorFileName('a.rejects.csv') && isErrorFileName('A.Failures.CSV'));
  assert.ok(!isErrorFileName('failures.csv') && !isErrorFileName('a.failures.yaml'));
});

test('a directory is read without its rejects and failures files, at any depth', () => {
  mkdirSync(join(dir, 'in', 'sub'), { recursive: true });
  for (const name of [
    'in/crm.csv',
    'in/crm.failures.csv',
    'in/crm.rejects.csv',
    'in/sub/b.csv',
    'in/sub/b.FAILURES.csv',
    'in/sub/b.rejects.failures.csv',
  ])
    writeFileSync(join(dir, name), GOOD);
  const { files, problems } = discoverFiles(['in'], { cwd: dir });
  assert.deepEqual(problems, []);
  assert.deepEqual(
    files.map((f) => f.name),
    ['in/crm.csv', 'in/sub/b.csv'],
  );
  const named = discoverFiles(['in/crm.failures.csv'], { cwd: dir });
  assert.deepEqual(
    named.files.map((f) => f.name),
    ['in/crm.failures.csv'],
    'named, it is read: that is how a fixed failures file is applied',
  );
});

test('an error file is the rejects writer: same columns, quoting, BOM and error column', () => {
  const record = csvRecord({ customerCode: '=C1', contactName: 'Ada, Countess', error: 'old' });
  const rows = [{ record, error: 'cellPhone: too short' }];
  const text = errorRowsCsv(rows);
  assert.equal(
    text,
    '\uFEFFcustomerCode,contactName,error\r\n\'=C1,"Ada, Countess",cellPhone: too short\r\n',
  );
  const problem = {
    severity: 'error',
    code: 'x',
    message: 'cellPhone: too short',
    place: record.place,
  } as const;
  assert.equal(rejectsCsv([{ record, problems: [problem] }]), text);
  const path = join(dir, 'crm.failures.csv');
  writeErrorRows(path, rows);
  assert.equal(readFileSync(path, 'utf8'), text);
});

test("a failures file of a mapped source is read with that source's mapping, with commas", async () => {
  const { loadDesiredState } = await import('../../src/desired/index.js');
  const root = join(dir, 'mapped');
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'helcim-sync.yaml'),
    [
      'sources:',
      '  - path: crm.csv',
      '    mapping: crm',
      "    delimiter: ';'",
      'mappings:',
      '  crm:',
      '    columns:',
      '      customerCode: ID',
      '      contactName: Name',
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'crm.csv'), 'ID;Name\nC1;Ada\n');
  writeFileSync(join(root, 'crm.failures.csv'), 'ID,Name,error\nC2,Bob,"Helcim refused it"\n');
  const state = loadDesiredState(['crm.failures.csv'], { cwd: root });
  assert.deepEqual(state.problems, []);
  assert.deepEqual(
    state.customers.map((c) => [c.key, c.data['contactName']]),
    [['C2', 'Bob']],
  );
});
