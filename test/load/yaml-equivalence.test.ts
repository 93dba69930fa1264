import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadYaml } from '../../src/load/yaml.js';
import { loadWholeFile } from '../../src/load/yaml-document.js';
import { generateCustomers } from '../../bench/generate.js';
import { fixture, snapshot } from './yaml-helpers.js';

/**
 * The fast path, the per-record fallback and the whole-file fallback must give the same records,
 * the same places for every key and the same problems.
 */
function assertSameAllWays(name: string, text: string): void {
  const fast = snapshot(loadYaml(name, text));
  assert.deepEqual(snapshot(loadYaml(name, text, { fastRecords: false })), fast, `${name}: slices`);
  assert.deepEqual(
    snapshot(loadWholeFile(name, text, 'customerCode')),
    fast,
    `${name}: whole file`,
  );
}

const FIXTURES = [
  'basic.yaml',
  'comments.yaml',
  'quoted.yaml',
  'nulls.yaml',
  'text-scalars.yaml',
  'nested-lists.yaml',
  'fallback.yaml',
  'top-level.yaml',
  'bad-keys.yaml',
  'no-customers.yaml',
  'customers-not-list.yaml',
  'empty.yaml',
  'comments-only.yaml',
];

for (const name of FIXTURES) {
  test(`fast path and fallbacks agree: ${name}`, () => {
    assertSameAllWays(name, fixture(name));
  });
}

test('fast path and fallbacks agree: CRLF', () => {
  assertSameAllWays('crlf.yaml', fixture('basic.yaml').replace(/\n/g, '\r\n'));
});

test('fast path and fallbacks agree: 200 generated customers, as the bench writes them', () => {
  const lines = ['customers:'];
  for (const c of generateCustomers(200)) {
    let lead = '  - ';
    for (const [key, value] of Object.entries(c)) {
      if (typeof value === 'string') lines.push(`${lead}${key}: ${JSON.stringify(value)}`);
      else if (value !== undefined) {
        lines.push(`${lead}${key}:`);
        for (const [k, v] of Object.entries(value)) lines.push(`      ${k}: ${String(v)}`);
      }
      lead = '    ';
    }
  }
  assertSameAllWays('generated.yaml', lines.join('\n') + '\n');
});

test('with broken records, the records around them are the same both ways', () => {
  // The wording differs on purpose: the fast path's diagnosis replaces the package's message.
  for (const name of ['bad-syntax.yaml', 'bad-tab.yaml', 'bad-alias-bomb.yaml']) {
    const text = fixture(name);
    const records = (fast: boolean) =>
      snapshot(loadYaml(name, text, { fastRecords: fast })).records;
    assert.deepEqual(records(false), records(true), name);
    const lines = (fast: boolean) =>
      loadYaml(name, text, { fastRecords: fast }).problems.map(
        (p) => p.place.kind === 'yaml' && p.place.line,
      );
    assert.equal(lines(false).length, lines(true).length, name);
  }
});
