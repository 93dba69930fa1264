import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadYaml } from '../../src/load/yaml.js';
import { formatPlace } from '../../src/load/types.js';
import { brief, field, fixture, plain } from './yaml-helpers.js';

function load(name: string) {
  return loadYaml(name, fixture(name));
}

function codes(name: string): string[] {
  return load(name).records.map((r) => {
    const v = r.value;
    return typeof v === 'object' && v !== null && 'customerCode' in v
      ? String(v.customerCode)
      : '?';
  });
}

test('empty and comment-only files are an error at 1:1', () => {
  for (const name of ['empty.yaml', 'comments-only.yaml']) {
    const result = load(name);
    assert.equal(result.records.length, 0);
    assert.deepEqual(result.problems.map(brief), [
      `error empty-file ${name}:1:1: the file has no content (only blank lines or comments)`,
    ]);
  }
});

test('`customers: []` is a warning; `customers` as a mapping or text is an error', () => {
  assert.deepEqual(load('no-customers.yaml').problems.map(brief), [
    'warning no-customers no-customers.yaml:1:1: `customers` is empty: there is nothing to sync',
  ]);
  assert.deepEqual(loadYaml('f.yaml', 'customers:\n# none yet\n').problems.map(brief), [
    'warning no-customers f.yaml:1:1: `customers` is empty: there is nothing to sync',
  ]);
  assert.deepEqual(load('customers-not-list.yaml').problems.map(brief), [
    'error customers-not-a-list customers-not-list.yaml:1:1: `customers` must be a list of customers, but it is a mapping',
  ]);
  const text = loadYaml('f.yaml', 'customers: Ada\n');
  assert.deepEqual(text.problems.map(brief), [
    'error customers-not-a-list f.yaml:1:1: `customers` must be a list of customers, but it is the text `Ada`',
  ]);
  assert.match(text.problems[0]?.hint ?? '', /list item starting with `- `/);
});

test('a file without `customers:` or whose top level is not a mapping is an error', () => {
  assert.deepEqual(loadYaml('f.yaml', 'customer:\n  - customerCode: A\n').problems.map(brief), [
    'warning unknown-top-level-key f.yaml:1:1: unknown top-level key `customer` is ignored',
    'error missing-customers f.yaml:1:1: the file has no `customers:` key',
  ]);
  assert.deepEqual(loadYaml('f.yaml', '- customerCode: A\n').problems.map(brief), [
    'error yaml-top-level f.yaml:1:1: the top level of the file must be a mapping with a `customers:` key',
  ]);
});

test('syntax errors: each broken record reported at its line, with a fix, and the rest still load', () => {
  const result = load('bad-syntax.yaml');
  assert.deepEqual(codes('bad-syntax.yaml'), ['B-3', 'B-6']);
  assert.deepEqual(result.problems.map(brief), [
    'error yaml-syntax bad-syntax.yaml:3:5: expected `key: value`, but `contactName Ada Lovelace` has no `: `',
    'error yaml-syntax bad-syntax.yaml:5:18: the quoted value starting here has no closing "',
    'error yaml-syntax bad-syntax.yaml:11:8: bad indentation: this line starts at column 8, but the entries it could belong to start at column 7 (line 10)',
    'error yaml-syntax bad-syntax.yaml:13:18: the value `Alan: Turing` contains `: `, which YAML reads as a nested key',
  ]);
  assert.deepEqual(
    result.problems.map((p) => p.hint),
    [
      'add a `:` after the key, e.g. `contactName: ...`',
      'end the value with " on the same line',
      'line it up at column 7; to nest it under the key above, that key must have no value on its own line',
      'put the value in quotes: "Alan: Turing"',
    ],
  );
});

test('a `:` without a space after it is pointed out', () => {
  const result = loadYaml('f.yaml', 'customers:\n  - customerCode: A\n    contactName:Ada\n');
  assert.deepEqual(result.problems.map(brief), [
    'error yaml-syntax f.yaml:3:5: expected `key: value`, but `contactName:Ada` has no `: `',
  ]);
  assert.equal(result.problems[0]?.hint, 'put a space after the `:`');
});

test('tab indentation is an error at the tab; the next record still loads', () => {
  const result = load('bad-tab.yaml');
  assert.deepEqual(result.problems.map(brief), [
    'error yaml-syntax bad-tab.yaml:3:1: a tab is used for indentation',
  ]);
  assert.match(result.problems[0]?.hint ?? '', /spaces/);
  assert.deepEqual(codes('bad-tab.yaml'), ['TAB-2']);
});

test('duplicate keys name the key and both lines; the first value is kept', () => {
  const result = load('bad-keys.yaml');
  const dups = result.problems.filter((p) => p.code === 'duplicate-key');
  assert.deepEqual(dups.map(brief), [
    'error duplicate-key bad-keys.yaml:4:5: duplicate key `contactName` on line 4: it is already set on line 3',
    'error duplicate-key bad-keys.yaml:7:7: duplicate key `city` on line 7: it is already set on line 6',
  ]);
  assert.deepEqual(
    dups.map((p) => p.path),
    ['contactName', 'billingAddress.city'],
  );
  assert.deepEqual(plain(result.records[0]?.value), {
    customerCode: 'K-1',
    contactName: 'First',
    billingAddress: { city: 'Calgary' },
  });
});

test('__proto__, constructor and prototype keys are reported and never stored', () => {
  const result = load('bad-keys.yaml');
  assert.deepEqual(result.problems.filter((p) => p.code === 'reserved-key').map(brief), [
    'error reserved-key bad-keys.yaml:9:5: `__proto__` cannot be used as a key (it names JavaScript object internals); it was ignored',
    'error reserved-key bad-keys.yaml:11:5: `constructor` cannot be used as a key (it names JavaScript object internals); it was ignored',
    'error reserved-key bad-keys.yaml:13:7: `prototype` cannot be used as a key (it names JavaScript object internals); it was ignored',
  ]);
  const k2 = result.records[1]?.value;
  assert.deepEqual(plain(k2), {
    customerCode: 'K-2',
    billingAddress: { city: 'Toronto' },
  });
  assert.ok(typeof k2 === 'object' && k2 !== null);
  assert.equal(Object.hasOwn(k2, '__proto__'), false);
  assert.equal('polluted' in {}, false);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
});

test('list items that are not mappings are errors at their `-`', () => {
  const result = load('bad-keys.yaml');
  assert.deepEqual(result.problems.filter((p) => p.code === 'record-not-a-mapping').map(brief), [
    'error record-not-a-mapping bad-keys.yaml:15:3: a customer must be a mapping of fields, but this item is the text `just a string`',
    'error record-not-a-mapping bad-keys.yaml:16:3: a customer must be a mapping of fields, but this item is a list',
    'error record-not-a-mapping bad-keys.yaml:17:3: a customer must be a mapping of fields, but this item is empty',
  ]);
  assert.deepEqual(codes('bad-keys.yaml'), ['K-1', 'K-2', 'K-3']);
});

test('an alias bomb inside a record is refused fast; the other records load', () => {
  const start = performance.now();
  const result = load('bad-alias-bomb.yaml');
  // Generous (a busy machine): expanding the bomb would take minutes and gigabytes.
  const took = performance.now() - start;
  assert.ok(took < 20_000, `took ${Math.round(took)} ms`);
  assert.deepEqual(result.problems.map(brief), [
    'error yaml-alias-bomb bad-alias-bomb.yaml:4:12: the YAML aliases (`*name`) here expand into too much data, like a "billion laughs" attack; this data was not loaded',
  ]);
  assert.deepEqual(codes('bad-alias-bomb.yaml'), ['BOMB-2']);
});

test('an alias bomb made of mappings is refused fast too', () => {
  // Parsers share an aliased mapping rather than copy it: walking the shares must not expand them.
  const lines = ['customers:', '  - customerCode: BOMB-1', '    a0: &a0 {x: y}'];
  for (let i = 1; i <= 30; i++) lines.push(`    a${i}: &a${i} {l: *a${i - 1}, r: *a${i - 1}}`);
  lines.push('  - customerCode: BOMB-2');
  const result = loadYaml('m.yaml', lines.join('\n') + '\n');
  assert.deepEqual(
    result.problems.map((p) => p.code),
    ['yaml-alias-bomb'],
  );
  assert.deepEqual(codes2(result.records), ['BOMB-2']);
});

test('an alias bomb at the top level loads nothing', () => {
  const result = load('bad-alias-bomb-top.yaml');
  assert.equal(result.records.length, 0);
  assert.deepEqual(
    result.problems.map((p) => `${p.code} ${formatPlace(p.place)}`),
    ['yaml-alias-bomb bad-alias-bomb-top.yaml:2:8'],
  );
});

test('an alias to an anchor in another record works (whole-file reading)', () => {
  const text =
    'customers:\n  - customerCode: A\n    billingAddress: &home\n      city: Calgary\n' +
    '  - customerCode: B\n    billingAddress: *home\n';
  const result = loadYaml('f.yaml', text);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(plain(result.records[1]?.value), {
    customerCode: 'B',
    billingAddress: { city: 'Calgary' },
  });
  assert.equal(formatPlace(result.records[1]!.place), 'f.yaml:5:3');
  const missing = loadYaml(
    'f.yaml',
    'customers:\n  - customerCode: A\n    billingAddress: *nowhere\n',
  );
  assert.deepEqual(missing.problems.map(brief), [
    'error yaml-syntax f.yaml:3:21: alias `*nowhere` refers to no anchor `&nowhere` defined before it',
  ]);
});

test('a huge single line does not crash and messages stay short', () => {
  const long = 'x'.repeat(2_000_000);
  const ok = loadYaml('f.yaml', `customers:\n  - customerCode: A\n    contactName: ${long}\n`);
  assert.deepEqual(ok.problems, []);
  assert.equal(String(field(ok.records[0]?.value, 'contactName')).length, long.length);
  const bad = loadYaml(
    'f.yaml',
    `customers:\n  - customerCode: A\n    contactName: "${long}\n  - customerCode: B\n`,
  );
  assert.deepEqual(
    bad.problems.map((p) => `${p.code} ${formatPlace(p.place)}`),
    ['yaml-syntax f.yaml:3:18'],
  );
  assert.ok(bad.problems.every((p) => p.message.length < 200));
  const key = loadYaml('f.yaml', `${long}: 1\ncustomers: []\n`);
  assert.ok(key.problems.every((p) => p.message.length < 200));
  assert.deepEqual(
    key.problems.map((p) => p.code),
    ['yaml-syntax', 'unknown-top-level-key', 'no-customers'],
  );
});

test('multiple documents and lone CRs go to the full parser and are reported, not crashed on', () => {
  const docs = loadYaml('f.yaml', 'customers:\n  - customerCode: A\n---\ncustomers: []\n');
  assert.deepEqual(docs.problems.map(brief), [
    'error yaml-syntax f.yaml:3:1: the file holds more than one YAML document (`---`)',
  ]);
  // The `yaml` package does not break lines at a lone CR (old Mac line ends): it reports them.
  const cr = loadYaml('f.yaml', 'customers:\r  - customerCode: A\r');
  assert.equal(cr.records.length, 0);
  assert.ok(cr.problems.some((p) => p.severity === 'error'));
});

test('a duplicate `customers` key is an error naming both lines', () => {
  const result = loadYaml(
    'f.yaml',
    'customers:\n  - customerCode: A\ncustomers:\n  - customerCode: B\n',
  );
  assert.deepEqual(result.problems.map(brief), [
    'error duplicate-key f.yaml:3:1: duplicate key `customers` on line 3: it is already set on line 1',
  ]);
  assert.deepEqual(codes2(result.records), ['A']);
});

function codes2(records: { value: unknown }[]): string[] {
  return records.map((r) => String(field(r.value, 'customerCode')));
}
