import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDesiredState } from '../../src/desired/index.js';

function loadIn(
  files: Record<string, string>,
  paths: string[],
): ReturnType<typeof loadDesiredState> {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-mapping-hints-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return loadDesiredState(paths, { cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CONFIG = [
  'provider: helcim',
  'matchKey: billingAddress.email',
  'sources:',
  '  - path: crm.csv',
  '    mapping: crm',
  'mappings:',
  '  crm:',
  '    columns:',
  '      contactName: Name',
  '      billingAddress.name: Name',
  '      billingAddress.email: Email',
  '      billingAddress.street1: Street',
  '      billingAddress.country: Country',
  '',
].join('\n');

function hintsByPath(state: ReturnType<typeof loadDesiredState>): Map<string, string | undefined> {
  return new Map(state.problems.map((p) => [p.path ?? '', p.hint]));
}

test('a required field the mapping does not read is hinted at the mapping: map a column, or a constant', () => {
  const state = loadIn(
    {
      'helcim-sync.yaml': CONFIG,
      'crm.csv': 'Name,Email,Street,Country\nAda,ada@example.com,1 Main St,CAN\n',
    },
    [],
  );
  const hints = hintsByPath(state);
  assert.equal(
    hints.get('billingAddress.postalCode'),
    'map a column to billingAddress.postalCode in mapping "crm", or give it a constant: { value: ... }',
  );
  assert.equal(
    hints.get('billingAddress.province'),
    'map a column to billingAddress.province in mapping "crm", or give it a constant: { value: ... }',
  );
});

test('a required field the mapping reads from an empty cell keeps the hint about the cell', () => {
  const state = loadIn(
    {
      'helcim-sync.yaml': CONFIG,
      'crm.csv': 'Name,Email,Street,Country\n,ada@example.com,,USA\n',
    },
    [],
  );
  const street = state.problems.find((p) => p.path === 'billingAddress.street1');
  assert.ok(street !== undefined, 'the empty Street cell is reported');
  assert.doesNotMatch(street.hint ?? '', /in mapping/);
  const name = state.problems.find((p) => p.code === 'missing-name');
  assert.equal(name?.hint, 'fill in at least one of them');
});

test('a name or an identity the mapping does not read is hinted at the mapping, without a constant', () => {
  const config = CONFIG.replace('      contactName: Name\n', '').replace(
    '      billingAddress.email: Email\n',
    '',
  );
  const state = loadIn(
    {
      'helcim-sync.yaml': config,
      'crm.csv': 'Name,Email,Street,Country\nAda,ada@example.com,1 Main St,ZAF\n',
    },
    [],
  );
  const hints = hintsByPath(state);
  assert.equal(hints.get('contactName'), 'map a column to contactName in mapping "crm"');
  assert.equal(
    hints.get('billingAddress.email'),
    'map a column to billingAddress.email in mapping "crm"',
  );
});

test('a CSV read without a mapping is hinted to get the column', () => {
  const state = loadIn(
    {
      'plain.csv':
        'customerCode,contactName,billingAddress.name,billingAddress.country\nC1,Ada,Ada,ZAF\n',
    },
    ['plain.csv'],
  );
  assert.equal(
    hintsByPath(state).get('billingAddress.street1'),
    'add a billingAddress.street1 column, or read the file with a mapping (see "mappings" in the README)',
  );
});
