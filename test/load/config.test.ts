import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfigText } from '../../src/load/config.js';
import { lines } from './csv-helpers.js';

const where = { file: '/proj/helcim-sync.yaml', shown: 'helcim-sync.yaml', cwd: '/proj' };

test('a full config resolves sources, mappings and options', () => {
  const { config, problems } = parseConfigText(
    [
      'version: 1',
      'sources:',
      '  - customers/',
      '  - path: exports/crm.csv',
      '    mapping: crm',
      '    delimiter: ";"',
      'matchKey: billingAddress.email',
      'ignore: [shippingAddress]',
      'emptyCells: clear',
      'csv: { delimiter: auto }',
      'mappings:',
      '  crm:',
      '    columns:',
      '      contactName: [First Name, Last Name]',
      '      billingAddress.country: { value: CAN }',
      '      billingAddress.name: { from: Name, default: Customer }',
      '',
    ].join('\n'),
    where,
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(config.sources, [
    { path: '/proj/customers' },
    { path: '/proj/exports/crm.csv', mapping: 'crm', delimiter: ';' },
  ]);
  assert.equal(config.matchKey, 'billingAddress.email');
  assert.deepEqual(config.ignore, ['shippingAddress']);
  assert.equal(config.emptyCells, 'clear');
  assert.equal(config.delimiter, undefined);
  assert.deepEqual(config.mappings.get('crm')?.columns, [
    ['contactName', { kind: 'columns', from: ['First Name', 'Last Name'], separator: ' ' }],
    ['billingAddress.country', { kind: 'value', value: 'CAN' }],
    [
      'billingAddress.name',
      { kind: 'columns', from: ['Name'], separator: ' ', default: 'Customer' },
    ],
  ]);
});

test('schema errors have places and guesses', () => {
  const { problems } = parseConfigText(
    [
      'version: 1',
      'matchkey: customerCode',
      'emptyCells: erase',
      'mappings:',
      '  m:',
      '    columns:',
      '      billingAdress.city: City',
      '',
    ].join('\n'),
    where,
  );
  assert.deepEqual(lines(problems), [
    'helcim-sync.yaml:2:1: error: matchkey: unknown field',
    'helcim-sync.yaml:3:1: error: emptyCells: "erase" is not allowed',
    'helcim-sync.yaml:7:7: error: mappings.m.columns: "billingAdress.city" is not allowed as a field path',
  ]);
  assert.equal(problems[0]?.hint, 'did you mean `matchKey`?');
  assert.equal(problems[2]?.hint, 'did you mean `billingAddress.city`?');
});

test('a source naming an unknown mapping is an error with a guess', () => {
  const { problems } = parseConfigText(
    [
      'sources:',
      '  - path: a.csv',
      '    mapping: crn',
      'mappings:',
      '  crm:',
      '    columns: { contactName: Name }',
      '',
    ].join('\n'),
    where,
  );
  assert.deepEqual(lines(problems), [
    'helcim-sync.yaml:3:5: error: sources.0.mapping: no mapping named "crn" in mappings',
  ]);
  assert.equal(problems[0]?.hint, 'did you mean `crm`?');
});

test('YAML errors and duplicate keys in the config are reported', () => {
  const dup = parseConfigText('matchKey: customerCode\nmatchKey: cellPhone\n', where);
  assert.equal(dup.problems[0]?.code, 'duplicate-key');
  assert.deepEqual(dup.problems[0]?.place, {
    kind: 'yaml',
    file: 'helcim-sync.yaml',
    line: 2,
    column: 1,
  });
  const bad = parseConfigText('sources: [a.csv\n', where);
  assert.equal(bad.problems[0]?.code, 'yaml-syntax');
});

test('ignoring the match key is refused', () => {
  const { problems } = parseConfigText(
    'ignore: [billingAddress]\nmatchKey: billingAddress.email\n',
    where,
  );
  assert.deepEqual(lines(problems), [
    'helcim-sync.yaml:1:1: error: ignore: "billingAddress" covers the match key billingAddress.email',
  ]);
});

test('no config file: defaults; --config to a missing file: an error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-config-'));
  const none = loadConfig({ cwd: dir });
  assert.deepEqual(none.problems, []);
  assert.equal(none.config.matchKey, 'customerCode');
  assert.equal(none.config.emptyCells, 'unmanaged');
  const missing = loadConfig({ cwd: dir, path: 'other.yaml' });
  assert.deepEqual(lines(missing.problems), ['other.yaml: error: config file not found']);
  writeFileSync(
    join(dir, 'helcim-sync.yaml'),
    '# yaml-language-server: $schema=schemas/config.schema.json\nsources: [in]\n',
  );
  assert.deepEqual(loadConfig({ cwd: dir }).config.sources, [{ path: join(dir, 'in') }]);
});

test('a match key far from every field path names the closest ones, not just a count', () => {
  const { problems } = parseConfigText('matchKey: email\n', where);
  const hint = problems[0]?.hint ?? '';
  assert.match(problems[0]?.message ?? '', /"email" is not allowed/);
  assert.doesNotMatch(hint, /^use one of \d+ values$/);
  assert.match(hint, /`billingAddress\.email`, `shippingAddress\.email`/);
});

test('a misspelt match key is matched against the last part of each field path too', () => {
  const leaf = parseConfigText('matchKey: emial\n', where).problems[0]?.hint ?? '';
  assert.match(
    leaf,
    /^use one of \d+ values; the nearest: `billingAddress\.email`, `shippingAddress\.email`/,
  );
  const whole = parseConfigText('matchKey: billingAdress.emial\n', where).problems[0]?.hint;
  assert.equal(whole, 'did you mean `billingAddress.email`?');
  const contact = parseConfigText('matchKey: contactNmae\n', where).problems[0]?.hint;
  assert.equal(contact, 'did you mean `contactName`?');
});

test('a directory source written with a trailing slash still gives its files its mapping', async () => {
  const { sourceFor } = await import('../../src/load/index.js');
  const { config, problems } = parseConfigText(
    [
      'sources:',
      '  - path: exports/',
      '    mapping: crm',
      'mappings:',
      '  crm:',
      '    columns:',
      '      customerCode: ID',
      '',
    ].join('\n'),
    where,
  );
  assert.deepEqual(problems, []);
  assert.equal(sourceFor(config, '/proj/exports/crm.csv')?.mapping, 'crm');
});
