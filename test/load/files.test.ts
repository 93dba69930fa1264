import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeInput, discoverFiles, readInput } from '../../src/load/files.js';
import type { InputFile } from '../../src/load/files.js';
import { loadDesiredState } from '../../src/desired/index.js';
import { lines } from './csv-helpers.js';

let dir = '';
const GOOD = 'customerCode,contactName\nC1,Ada\n';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'helcim-files-'));
  mkdirSync(join(dir, 'in'));
  writeFileSync(join(dir, 'in', 'b.csv'), GOOD.replace('C1', 'C2'));
  writeFileSync(
    join(dir, 'in', 'a.yaml'),
    'customers:\n  - customerCode: C3\n    contactName: Bo\n',
  );
  writeFileSync(join(dir, 'in', 'a.rejects.csv'), GOOD);
  writeFileSync(join(dir, 'in', 'notes.txt'), 'hello');
  writeFileSync(join(dir, 'in', 'helcim-sync.yaml'), 'version: 1\n');
  mkdirSync(join(dir, 'nothing'));
  writeFileSync(join(dir, 'nothing', 'readme.md'), '#');
  writeFileSync(join(dir, 'customers.csv'), GOOD);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string): InputFile {
  return { path: join(dir, name), name, kind: 'csv' };
}

test('a directory gives its customer files, sorted, without rejects or the config', () => {
  const { files, problems } = discoverFiles(['in'], {
    cwd: dir,
    exclude: [join(dir, 'in', 'helcim-sync.yaml')],
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(
    files.map((f) => [f.name, f.kind]),
    [
      ['in/a.yaml', 'yaml'],
      ['in/b.csv', 'csv'],
    ],
  );
});

test('a missing file is an error with a guess; an empty directory too', () => {
  const { problems } = discoverFiles(['customer.csv', 'nothing'], { cwd: dir });
  assert.deepEqual(lines(problems), [
    'customer.csv: error: no such file or directory',
    'nothing: error: directory has no .yaml, .yml or .csv files, in it or in its subfolders',
  ]);
  assert.equal(problems[0]?.hint, 'did you mean customers.csv?');
});

test('a file of another kind is refused', () => {
  const { problems } = discoverFiles(['in/notes.txt'], { cwd: dir });
  assert.deepEqual(lines(problems), [
    'in/notes.txt: error: not a customers file: expected .yaml, .yml or .csv',
  ]);
});

test('empty, blank and BOM-only files are errors', () => {
  for (const body of ['', '\n  \r\n', '\uFEFF']) {
    writeFileSync(join(dir, 'empty.csv'), body);
    assert.deepEqual(lines(readInput(file('empty.csv')).problems), [
      'empty.csv: error: file is empty',
    ]);
  }
});

test('a binary file is refused', () => {
  writeFileSync(join(dir, 'bin.csv'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]));
  assert.deepEqual(lines(readInput(file('bin.csv')).problems), [
    'bin.csv: error: binary file (a NUL byte at offset 4), not text',
  ]);
});

test('a file over the size limit is refused before it is read', () => {
  writeFileSync(join(dir, 'big.csv'), GOOD.repeat(100));
  const result = readInput(file('big.csv'), { maxBytes: 1000 });
  assert.equal(result.data, undefined);
  assert.deepEqual(lines(result.problems), [
    'big.csv: error: file is 3200 bytes, more than the limit of 1000 bytes',
  ]);
  assert.equal(result.problems[0]?.hint, 'split it into several files');
});

test('Windows-1252 is decoded with a warning naming the line', () => {
  const bytes = Buffer.concat([
    Buffer.from('customerCode,contactName\nC1,Jos'),
    Buffer.from([0xe9]),
    Buffer.from('\n'),
  ]);
  const result = decodeInput(bytes, file('cp1252.csv'));
  assert.equal(typeof result.data, 'string');
  assert.ok(typeof result.data === 'string' && result.data.includes('José'));
  assert.deepEqual(lines(result.problems), [
    'cp1252.csv: warning: not valid UTF-8 (first at line 2); read as Windows-1252',
  ]);
});

test('UTF-8 BOM is stripped; UTF-16 with a BOM is decoded', () => {
  const utf8 = decodeInput(Buffer.from('\uFEFFcustomerCode\n'), file('x.csv'));
  assert.ok(Buffer.isBuffer(utf8.data) && utf8.data.toString('utf8') === 'customerCode\n');
  const utf16 = decodeInput(
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\tb\n', 'utf16le')]),
    file('u.csv'),
  );
  assert.deepEqual(utf16, { data: 'a\tb\n', problems: [] });
});

test('several paths load together; a problem in one does not hide the others', () => {
  const state = loadDesiredState(['customers.csv', 'in', 'missing.yaml'], { cwd: dir });
  assert.deepEqual(
    state.customers.map((c) => c.key),
    ['C1', 'C3', 'C2'],
  );
  assert.deepEqual(lines(state.fatal), ['missing.yaml: error: no such file or directory']);
});

test('the same customer in two files is reported at both places', () => {
  const state = loadDesiredState(['customers.csv', 'in/a.rejects.csv'], { cwd: dir });
  assert.deepEqual(lines(state.problems), [
    'customers.csv: row 2, column "customerCode": error: customerCode: "C1" is used by more than one record (also at in/a.rejects.csv: row 2, column "customerCode")',
    'in/a.rejects.csv: row 2, column "customerCode": error: customerCode: "C1" is used by more than one record (also at customers.csv: row 2, column "customerCode")',
  ]);
});

test('a directory is read recursively, skipping hidden folders, node_modules and other datasets', () => {
  const root = join(dir, 'tree');
  const put = (path: string, text = GOOD): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put('top.csv');
  put('region/east/customers.yaml', 'customers:\n  - customerCode: E1\n    contactName: Ed\n');
  put('region/west.csv');
  put('region/west.rejects.csv');
  put('.git/config.yaml', 'not: customers\n');
  put('.github/workflows/sync.yml', 'on: push\n');
  put('node_modules/pkg/data.csv');
  put('other-dataset/helcim-sync.yaml', 'provider: helcim\n');
  put('other-dataset/customers.csv');
  const { files, problems } = discoverFiles([root], { cwd: dir });
  assert.deepEqual(problems, []);
  assert.deepEqual(
    files.map((f) => f.name),
    ['tree/region/east/customers.yaml', 'tree/region/west.csv', 'tree/top.csv'],
  );
  symlinkSync(root, join(root, 'region', 'loop'));
  assert.deepEqual(
    discoverFiles([root], { cwd: dir }).files.length,
    3,
    'a link back up the tree is not followed again',
  );
  const only = discoverFiles([join(root, 'other-dataset')], { cwd: dir });
  assert.deepEqual(
    only.files.map((f) => f.name),
    ['tree/other-dataset/customers.csv'],
    'a dataset named directly is read, without its config',
  );
});
