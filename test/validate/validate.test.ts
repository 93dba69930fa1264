import { getField } from '../../src/core/fields.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadYaml } from '../../src/load/yaml.js';
import { formatPlace } from '../../src/load/types.js';
import type { Place, Problem, RawRecord } from '../../src/load/types.js';
import { validateRecords } from '../../src/validate/index.js';
import type { ValidateOptions } from '../../src/validate/index.js';

function record(value: unknown, row = 2): RawRecord {
  const place: Place = { kind: 'csv', file: 'in.csv', row };
  return { file: 'in.csv', place, value, locate: (path) => ({ ...place, column: path }) };
}

function check(value: unknown, options: ValidateOptions = {}): string[] {
  return validateRecords([record(value)], options).problems.map(
    (p: Problem) =>
      `${formatPlace(p.place)}: ${p.severity}: ${p.message}${p.hint === undefined ? '' : ` [${p.hint}]`}`,
  );
}

const ADDRESS = {
  name: 'Ada',
  street1: '1 Main St',
  postalCode: 'T2P 1J9',
  province: 'AB',
  country: 'CAN',
};
const GOOD = {
  customerCode: 'C1',
  contactName: 'Ada',
  cellPhone: '4035550101',
  billingAddress: ADDRESS,
};

test('a valid customer passes, normalised', () => {
  const result = validateRecords([record({ ...GOOD, contactName: '  Ada   Lovelace ' })]);
  assert.deepEqual(result.problems, []);
  assert.equal(result.customers[0]?.key, 'C1');
  assert.equal(result.customers[0]?.data.contactName, 'Ada Lovelace');
});

test('every problem of a record is reported, each at its field', () => {
  assert.deepEqual(check({ cellPhone: '12', billingAddress: { street1: 'x', country: 'USA' } }), [
    'in.csv: row 2, column "contactName": error: contactName: a customer needs a contactName or a businessName [fill in at least one of them]',
    'in.csv: row 2, column "cellPhone": error: cellPhone: "12" has 2 digits; Helcim takes 10 to 16 [write the full number with its area code]',
    'in.csv: row 2, column "billingAddress.name": error: billingAddress.name: an address needs a name',
    'in.csv: row 2, column "billingAddress.postalCode": error: billingAddress.postalCode: an address needs a postalCode',
    'in.csv: row 2, column "billingAddress.province": error: billingAddress.province: a province or state is required with country USA (the United States)',
    'in.csv: row 2, column "customerCode": error: customerCode: missing; it identifies the customer, so every record needs one [add a customerCode, or set `matchKey` in helcim-sync.yaml (e.g. billingAddress.email)]',
  ]);
});

test('a province needs a country; a bad province code gets a guess', () => {
  assert.deepEqual(check({ ...GOOD, billingAddress: { ...ADDRESS, country: undefined } }), [
    'in.csv: row 2, column "billingAddress.province": error: billingAddress.province: "AB" needs a country [add billingAddress.country (CAN or USA), or remove the province]',
  ]);
  assert.deepEqual(check({ ...GOOD, billingAddress: { ...ADDRESS, province: 'AX' } }), [
    'in.csv: row 2, column "billingAddress.province": error: billingAddress.province: "AX" is not a province or state code of Canada [did you mean AB?]',
  ]);
});

test('country names and alpha-2 codes become alpha-3 with one note per spelling; unknown ones get a guess', () => {
  const result = validateRecords([
    record({ ...GOOD, billingAddress: { ...ADDRESS, country: 'Canada' } }, 2),
    record({ ...GOOD, customerCode: 'C2', billingAddress: { ...ADDRESS, country: 'Canada' } }, 3),
    record({ ...GOOD, customerCode: 'C3', billingAddress: { ...ADDRESS, country: 'ca' } }, 4),
  ]);
  assert.deepEqual(
    result.customers.map((c) => getField(c.data, 'billingAddress.country')),
    ['CAN', 'CAN', 'CAN'],
  );
  assert.deepEqual(
    result.problems.map((p) => `${formatPlace(p.place)}: ${p.message}`),
    [
      'in.csv: row 2, column "billingAddress.country": billingAddress.country: country "Canada" read as CAN (2 records in this file, first here)',
      'in.csv: row 4, column "billingAddress.country": billingAddress.country: country "ca" read as CAN',
    ],
  );
  assert.deepEqual(check({ ...GOOD, billingAddress: { ...ADDRESS, country: 'Germny' } }), [
    'in.csv: row 2, column "billingAddress.country": error: billingAddress.country: unknown country "Germny" [did you mean DEU (Germany)?]',
  ]);
});

test('address phone and email are checked', () => {
  assert.deepEqual(
    check({ ...GOOD, shippingAddress: { ...ADDRESS, phone: '1234567890123456', email: 'nope' } }),
    [
      'in.csv: row 2, column "shippingAddress.phone": error: shippingAddress.phone: "1234567890123456" has 16 digits; Helcim takes 10 to 15 [write the full number with its area code]',
      'in.csv: row 2, column "shippingAddress.email": error: shippingAddress.email: "nope" is not an email address',
    ],
  );
});

test('unknown fields, numbers and hostile keys are schema errors, never crashes', () => {
  const hostile = JSON.parse(
    '{"customerCode":"C1","contactName":"Ada","__proto__":{"x":1},"constructor":"y","billingAdress":{}}',
  );
  assert.deepEqual(check(hostile), [
    'in.csv: row 2, column "__proto__": error: __proto__: unknown field [known fields: customerCode, contactName, businessName, cellPhone, billingAddress, shippingAddress]',
    'in.csv: row 2, column "constructor": error: constructor: unknown field [known fields: customerCode, contactName, businessName, cellPhone, billingAddress, shippingAddress]',
    'in.csv: row 2, column "billingAdress": error: billingAdress: unknown field [did you mean `billingAddress`?]',
  ]);
  assert.deepEqual(check({ ...GOOD, cellPhone: 4035550101 }), [
    'in.csv: row 2, column "cellPhone": error: cellPhone: must be text, not the number 4035550101 [quote it ("0123") so that it is read as text and keeps any leading zero]',
  ]);
  assert.deepEqual(check('just text'), [
    'in.csv: row 2: error: a customer must be a mapping of fields (customerCode: ..., contactName: ...)',
  ]);
});

test('YAML records are validated at their lines and columns', () => {
  const text = [
    'customers:',
    '  - customerCode: C1',
    '    contactName: Ada',
    '    billingAddress:',
    '      name: Ada',
    '      street1: 1 Main',
    '      postalCode: X',
    '      cuntry: CAN',
    '',
  ].join('\n');
  const loaded = loadYaml('c.yaml', text);
  const result = validateRecords(loaded.records);
  assert.deepEqual(
    result.problems.map((p) => `${formatPlace(p.place)}: ${p.message} [${p.hint ?? ''}]`),
    ['c.yaml:8:7: billingAddress.cuntry: unknown field [did you mean `country`?]'],
  );
  assert.equal(result.rejected.length, 1);
});

test('the match key can be an email; duplicates compare without case, reported at both places', () => {
  const a = record(
    { contactName: 'A', billingAddress: { ...ADDRESS, email: 'Ada@Example.com' } },
    2,
  );
  const b = record(
    { contactName: 'B', billingAddress: { ...ADDRESS, email: 'ada@example.COM' } },
    3,
  );
  const result = validateRecords([a, b], { matchKey: 'billingAddress.email' });
  assert.deepEqual(
    result.problems.map((p) => `${formatPlace(p.place)}: ${p.message}`),
    [
      'in.csv: row 2, column "billingAddress.email": billingAddress.email: "ada@example.com" is used by more than one record (also at in.csv: row 3, column "billingAddress.email")',
      'in.csv: row 3, column "billingAddress.email": billingAddress.email: "ada@example.com" is used by more than one record (also at in.csv: row 2, column "billingAddress.email")',
    ],
  );
  assert.equal(result.rejected.length, 2);
  assert.equal(result.customers.length, 0);
});

test('ignored fields are neither checked nor managed; clear mode lists empty fields', () => {
  const result = validateRecords([record({ ...GOOD, cellPhone: '1', businessName: '' })], {
    ignore: ['cellPhone'],
    emptyCells: 'clear',
  });
  assert.deepEqual(result.problems, []);
  assert.equal(result.customers[0]?.data.cellPhone, undefined);
  assert.deepEqual(result.customers[0]?.clear, ['businessName']);
});

test('a phone extension is dropped with a warning; the record stays valid', () => {
  const result = validateRecords([record({ ...GOOD, cellPhone: '403-555-0101 ext. 12' })]);
  assert.equal(result.customers[0]?.data.cellPhone, '4035550101');
  assert.deepEqual(
    result.problems.map((p) => [p.severity, p.code]),
    [['warning', 'phone-extension']],
  );
});
