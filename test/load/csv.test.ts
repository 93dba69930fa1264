import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCsv } from '../../src/load/csv.js';
import { paymentKitFields } from '../../src/providers/payment-kit/fields.js';
import { lines, loadFixture } from './csv-helpers.js';

const ADA = {
  customerCode: 'C1',
  contactName: 'Ada Lovelace',
  cellPhone: '4035550101',
  billingAddress: {
    name: 'Ada Lovelace',
    street1: '1 Main St',
    city: 'Calgary',
    province: 'AB',
    country: 'CAN',
    postalCode: 'T2P 1J9',
  },
};

test('dotted-path header: rows become records, quoted commas kept', () => {
  const { records, problems } = loadFixture('basic.csv');
  assert.deepEqual(problems, []);
  assert.deepEqual(records[0]?.value, ADA);
  assert.deepEqual(records[1]?.place, { kind: 'csv', file: 'basic.csv', row: 3 });
  const second = records[1]?.value;
  assert.ok(typeof second === 'object' && second !== null && 'billingAddress' in second);
  assert.deepEqual(second.billingAddress, {
    name: 'Grace Hopper',
    street1: '2 King St W, Suite 5',
    city: 'Toronto',
    province: 'ON',
    country: 'CAN',
    postalCode: 'M5V 2T6',
  });
});

test('BOM and CRLF give the same records as the plain file', () => {
  const plain = loadFixture('basic.csv').records.map((r) => r.value);
  const messy = loadFixture('bom-crlf.csv');
  assert.deepEqual(messy.problems, []);
  assert.deepEqual(
    messy.records.map((r) => r.value),
    plain,
  );
});

test('semicolon and tab delimiters are detected from the header line', () => {
  const semi = loadFixture('semicolon.csv');
  assert.deepEqual(semi.problems, []);
  assert.deepEqual(semi.records[0]?.value, {
    ...ADA,
    billingAddress: { ...ADA.billingAddress, street1: '1 Main St; Rear' },
  });
  const tab = loadFixture('tab.tsv');
  assert.deepEqual(tab.problems, []);
  assert.deepEqual(tab.records[0]?.value, ADA);
});

test('a configured delimiter wins over detection', () => {
  const { records } = loadCsv('x.csv', Buffer.from('a;b,customerCode\n1;2,C9\n'), {
    delimiter: ',',
  });
  assert.equal(records.length, 1);
});

test('a multi-line quoted cell does not shift later row numbers', () => {
  const { records } = loadFixture('multiline.csv');
  assert.equal(records.length, 2);
  assert.equal(records[1]?.locate('cellPhone').kind, 'csv');
  assert.deepEqual(records[1]?.locate('cellPhone'), {
    kind: 'csv',
    file: 'multiline.csv',
    row: 3,
    column: 'cellPhone',
  });
});

test('blank trailing lines and whitespace-only lines are not records', () => {
  const { records, problems } = loadFixture('trailing-blank.csv');
  assert.deepEqual(problems, []);
  assert.equal(records.length, 1);
});

test('spaces around cells and before quotes are tolerated', () => {
  const { records, problems } = loadFixture('spaces.csv');
  assert.deepEqual(problems, []);
  const value = records[0]?.value;
  assert.ok(typeof value === 'object' && value !== null && 'billingAddress' in value);
  assert.deepEqual(value.billingAddress, {
    name: 'Ada Lovelace',
    street1: '1 Main St',
    city: 'Calgary',
    province: 'ab',
    country: 'CAN',
    postalCode: 't2p 1j9',
  });
});

test('a ragged row is an error on that row; the other rows still load', () => {
  const { records, problems } = loadFixture('ragged.csv');
  assert.deepEqual(problems, []);
  assert.equal(records.length, 3);
  const ragged = records[1];
  assert.ok(ragged !== undefined && 'issues' in ragged && Array.isArray(ragged.issues));
  assert.deepEqual(lines(ragged.issues), [
    'ragged.csv: row 3: error: row has 6 cells but the header has 9',
  ]);
  assert.equal(ragged.cells?.['billingAddress.city'], 'Toronto');
});

test('an unclosed quote names the row where it opens; earlier rows are kept', () => {
  const { records, problems } = loadFixture('unclosed-quote.csv');
  assert.deepEqual(lines(problems), [
    'unclosed-quote.csv: row 3: error: a quoted cell starts here and is never closed',
  ]);
  assert.equal(records.length, 1);
});

test('unknown, misspelt and hostile header names are reported with a guess', () => {
  const { problems } = loadFixture('unknown-columns.csv');
  assert.deepEqual(lines(problems), [
    'unknown-columns.csv: row 1, column "bilingAddress.city": error: unknown column "bilingAddress.city": not a customer field',
    'unknown-columns.csv: row 1, column "__proto__": error: unknown column "__proto__": not a customer field',
    'unknown-columns.csv: row 1, column "constructor": error: unknown column "constructor": not a customer field',
  ]);
  assert.equal(problems[0]?.hint, 'did you mean `billingAddress.city`?');
});

test('a map column without its key gets a hint that names the key, not a `.*` path', () => {
  const { problems } = loadCsv('m.csv', Buffer.from('did,metadata.\nz1abc,x\n'), {
    fields: paymentKitFields,
  });
  assert.deepEqual(lines(problems), [
    'm.csv: row 1, column "metadata.": error: unknown column "metadata.": not a customer field',
  ]);
  assert.equal(problems[0]?.hint, 'a metadata column names its key: `metadata.<key>`');
});

test('duplicate headers are reported', () => {
  const { problems } = loadCsv(
    'd.csv',
    Buffer.from('customerCode,contactName,contactName\nC1,A,B\n'),
  );
  assert.deepEqual(lines(problems), [
    'd.csv: row 1, column "contactName": error: column "contactName" appears twice in the header',
  ]);
});

test('a header without rows is a warning, an empty body an error', () => {
  assert.deepEqual(lines(loadFixture('header-only.csv').problems), [
    'header-only.csv: row 1: warning: file has a header but no rows',
  ]);
  assert.deepEqual(lines(loadCsv('e.csv', Buffer.from('\n\n')).problems), [
    'e.csv: error: file is empty',
  ]);
});

test('cells stay text: a leading zero survives', () => {
  const { records } = loadFixture('leading-zero.csv');
  assert.deepEqual(records[0]?.value, {
    customerCode: 'C1',
    contactName: 'Ada',
    cellPhone: '0412345678',
  });
});

test('cells are given back by header for the rejects file', () => {
  const { records } = loadFixture('basic.csv');
  assert.equal(records[1]?.cells?.['billingAddress.street1'], '2 King St W, Suite 5');
  assert.equal(records[1]?.cells?.['customerCode'], 'C2');
});

test('emptyCells: clear keeps empty cells as empty values', () => {
  const text = Buffer.from('customerCode,contactName,businessName\nC1,Ada,\n');
  assert.deepEqual(loadCsv('x.csv', text).records[0]?.value, {
    customerCode: 'C1',
    contactName: 'Ada',
  });
  assert.deepEqual(loadCsv('x.csv', text, { emptyCells: 'clear' }).records[0]?.value, {
    customerCode: 'C1',
    contactName: 'Ada',
    businessName: '',
  });
});

test('a stray quote inside a cell is read literally', () => {
  const { records, problems } = loadCsv(
    'q.csv',
    Buffer.from('customerCode,contactName\nC1,Ada 5" tall\n'),
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(records[0]?.value, { customerCode: 'C1', contactName: 'Ada 5" tall' });
});
