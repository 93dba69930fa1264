import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadYaml } from '../../src/load/yaml.js';
import { formatPlace } from '../../src/load/types.js';
import { brief, fixture, plain } from './yaml-helpers.js';

function load(name: string) {
  return loadYaml(name, fixture(name));
}

function values(name: string): unknown[] {
  return load(name).records.map((r) => plain(r.value));
}

test('reads the basic customers file, each record placed at its `-`', () => {
  const result = load('basic.yaml');
  assert.deepEqual(result.problems, []);
  assert.deepEqual(
    result.records.map((r) => formatPlace(r.place)),
    ['basic.yaml:3:3', 'basic.yaml:13:3'],
  );
  const [first] = result.records;
  assert.ok(first);
  assert.equal(first.file, 'basic.yaml');
  assert.deepEqual(plain(first.value), {
    customerCode: 'CUST-001',
    contactName: 'Ada Lovelace',
    cellPhone: '0412345678',
    billingAddress: {
      name: 'Ada Lovelace',
      street1: '12 King St W',
      city: 'Toronto',
      province: 'ON',
      country: 'CAN',
      postalCode: 'M5V 2T6',
    },
  });
});

test('every scalar stays text as written: leading zeros, numbers, booleans, dates', () => {
  const [record] = values('text-scalars.yaml');
  assert.deepEqual(plain(record), {
    customerCode: '007',
    contactName: 'yes',
    businessName: 'true',
    cellPhone: '0412345678',
    billingAddress: {
      name: '1e3',
      street1: '0x1F',
      street2: '.inf',
      city: '012',
      province: '-1',
      country: '1_000',
      postalCode: '10001',
      phone: '+14165550123',
      email: '2025-04-10',
    },
  });
  const basic = load('basic.yaml').records[1]?.value;
  assert.ok(basic !== null && typeof basic === 'object' && 'cellPhone' in basic);
  assert.equal(basic.cellPhone, '0412345679');
});

test('null, Null, NULL, ~ and empty values are null; quoted "null" and other spellings are text', () => {
  const [record] = values('nulls.yaml');
  assert.deepEqual(plain(record), {
    customerCode: 'N-1',
    contactName: null,
    businessName: null,
    cellPhone: null,
    billingAddress: { name: null, street1: null, street2: 'nULL', city: null, province: 'none' },
  });
});

test('comments, blank lines, items at the key`s indentation and `#` inside values', () => {
  const result = load('comments.yaml');
  assert.deepEqual(result.problems, []);
  assert.deepEqual(
    result.records.map((r) => formatPlace(r.place)),
    ['comments.yaml:5:1', 'comments.yaml:14:1', 'comments.yaml:18:1'],
  );
  assert.deepEqual(plain(result.records[0]?.value), {
    customerCode: 'W-1',
    contactName: 'José Núñez',
    billingAddress: { name: 'José Núñez', city: 'Calgary#not-a-comment', street1: '1' },
  });
  assert.equal(formatPlace(result.records[1]!.locate('contactName')), 'comments.yaml:15:5');
});

test('quoted keys and values decode escapes and doubled single quotes', () => {
  const [record] = values('quoted.yaml');
  assert.deepEqual(plain(record), {
    customerCode: 'Q-1',
    contactName: "Dennis O'Brien",
    businessName: 'Tab\there, "quoted", café, A\u{1F600} # not a comment',
    cellPhone: '0412 345 678',
    billingAddress: {
      name: 'a: b',
      street1: 'x #y',
      street2: '   padded   ',
      city: '',
      province: '',
      country: 'null',
      postalCode: '~',
    },
  });
});

test('CRLF line ends read the same as LF, with the same places', () => {
  const lf = load('basic.yaml');
  const crlf = loadYaml('basic.yaml', fixture('basic.yaml').replace(/\n/g, '\r\n'));
  assert.deepEqual(
    crlf.records.map((r) => r.value),
    lf.records.map((r) => r.value),
  );
  assert.equal(
    formatPlace(crlf.records[0]!.locate('billingAddress.postalCode')),
    'basic.yaml:12:7',
  );
});

test('lists inside a record, including nested lists and an item mapping on the next line', () => {
  const [record] = values('nested-lists.yaml');
  assert.deepEqual(plain(record), {
    customerCode: 'L-1',
    tags: ['vip', ['nested'], { deep: 'value' }],
    notes: ['same indent as key'],
    contactName: 'Lists',
  });
});

test('records outside the fast subset (flow, anchors, block and multi-line scalars) still load', () => {
  const result = load('fallback.yaml');
  assert.deepEqual(result.problems, []);
  assert.deepEqual(
    result.records.map((r) => plain(r.value)),
    [
      { customerCode: 'F-1', contactName: 'Fast Record' },
      {
        customerCode: 'F-2',
        contactName: 'Flow Mapping',
        billingAddress: { name: 'Flow', street1: '1 Main St', postalCode: '0123', country: 'CAN' },
      },
      {
        customerCode: 'F-3',
        contactName: 'Anchored',
        billingAddress: { name: 'Anchored', street1: '2 Main St' },
        shippingAddress: { name: 'Anchored', street1: '2 Main St' },
      },
      {
        customerCode: 'F-4',
        contactName: 'Multi Line Plain',
        businessName: 'Block\nScalar\n',
        cellPhone: '0412 345678',
      },
      { customerCode: 'F-5', contactName: 'Fast Again', tags: ['a', 'b', '007'] },
    ],
  );
  assert.deepEqual(
    result.records.map((r) => formatPlace(r.place)),
    [
      'fallback.yaml:2:3',
      'fallback.yaml:4:3',
      'fallback.yaml:7:3',
      'fallback.yaml:13:3',
      'fallback.yaml:21:3',
    ],
  );
});

test('locate gives the exact key, else the nearest parent, else the `-`', () => {
  const [first, second] = load('basic.yaml').records;
  assert.ok(first && second);
  const at = (path: string) => formatPlace(first.locate(path));
  assert.equal(at('billingAddress.country'), 'basic.yaml:11:7');
  assert.equal(at('/billingAddress/country'), 'basic.yaml:11:7');
  assert.equal(at('customerCode'), 'basic.yaml:3:5');
  assert.equal(at('cellPhone'), 'basic.yaml:5:5');
  assert.equal(at('billingAddress'), 'basic.yaml:6:5');
  assert.equal(at('billingAddress.email'), 'basic.yaml:6:5');
  assert.equal(at('shippingAddress.country'), 'basic.yaml:3:3');
  assert.equal(at(''), 'basic.yaml:3:3');
  assert.equal(formatPlace(second.locate('shippingAddress.postalCode')), 'basic.yaml:23:7');
});

test('locate in fallback records: flow mappings, aliases, list items', () => {
  const records = load('fallback.yaml').records;
  assert.equal(formatPlace(records[1]!.locate('billingAddress.postalCode')), 'fallback.yaml:6:56');
  // Inside an alias there are no keys of its own: the alias's key is the place.
  assert.equal(formatPlace(records[2]!.locate('shippingAddress.name')), 'fallback.yaml:12:5');
  assert.equal(formatPlace(records[2]!.locate('billingAddress.name')), 'fallback.yaml:10:7');
  const lists = load('nested-lists.yaml').records[0]!;
  assert.equal(formatPlace(lists.locate('tags.2.deep')), 'nested-lists.yaml:7:9');
  assert.equal(formatPlace(lists.locate('tags[1]')), 'nested-lists.yaml:5:7');
  assert.equal(formatPlace(lists.locate('notes.0')), 'nested-lists.yaml:9:5');
});

test('unknown top-level keys are warnings, with a suggestion when close to `customers`', () => {
  const result = load('top-level.yaml');
  assert.equal(result.records.length, 1);
  assert.deepEqual(result.problems.map(brief), [
    'warning unknown-top-level-key top-level.yaml:1:1: unknown top-level key `version` is ignored',
    'warning unknown-top-level-key top-level.yaml:2:1: unknown top-level key `customer` is ignored',
    'warning unknown-top-level-key top-level.yaml:7:1: unknown top-level key `defaults` is ignored',
  ]);
  assert.equal(result.problems[1]?.hint, 'did you mean `customers`?');
  assert.equal(result.problems[0]?.hint, undefined);
});

test('record values have no Object.prototype behind them', () => {
  const value = load('basic.yaml').records[0]?.value;
  assert.ok(typeof value === 'object' && value !== null);
  assert.equal('toString' in value, false);
  assert.equal('constructor' in value, false);
});
