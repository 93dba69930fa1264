import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { loadYaml } from '../../src/load/yaml.js';
import { schemaReference, SCHEMA_FALLBACK } from '../../src/export/schema-line.js';
import { yamlScalar } from '../../src/export/yaml-text.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TRICKY = [
  '0123',
  '10001',
  '1e3',
  '0x1F',
  '1_000',
  '12:30',
  '.5',
  '.inf',
  '-.inf',
  '+1',
  '-5',
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'n',
  'true',
  'False',
  'null',
  '~',
  'NULL',
  '<<',
  '=',
  '2025-01-01',
  '2001-12-14 21:59:43.10 -5',
  'a # b',
  '#x',
  'a: b',
  'a:',
  'key:value',
  ' lead',
  'trail ',
  '@home',
  '`x`',
  '!tag',
  '&anchor',
  '*alias',
  '|',
  '>',
  '%',
  '?',
  '- x',
  '[x]',
  '{x}',
  "'q'",
  '"dq"',
  'tab\there',
  'line\nbreak',
  'nul\u0000',
  'del\u007f',
  'nel\u0085',
  'ls\u2028',
  'bom\ufeff',
  'back\\slash',
  'José Núñez 😀',
  'Smith, John',
  '12 Main St',
  'CST1001',
  'T2P 1J9',
  'Hopper & Co',
  "O'Brien",
];

test('scalars read back as the same string with YAML 1.1, 1.2 and the project loader', () => {
  for (const value of TRICKY) {
    const written = yamlScalar(value);
    for (const version of ['1.1', '1.2'] as const) {
      const back: unknown = parse(`v: ${written}\n`, { version });
      assert.deepEqual(back, { v: value }, `${JSON.stringify(value)} as ${written} (${version})`);
    }
    const loaded = loadYaml('t.yaml', `customers:\n  - contactName: ${written}\n`);
    assert.equal(
      JSON.stringify(loaded.records[0]?.value),
      JSON.stringify({ contactName: value }),
      written,
    );
  }
});

test('plain where it is safe: ordinary text is not quoted', () => {
  for (const value of ['12 Main St', 'CST1001', 'T2P 1J9', 'Hopper & Co', "O'Brien", 'José'])
    assert.equal(yamlScalar(value), value);
});

test('schema line: relative inside the project, conventional path outside it', () => {
  const root = mkdtempSync(join(tmpdir(), 'helcim-sync-schema-'));
  try {
    writeFileSync(join(root, 'package.json'), '{}');
    const schema = join(root, 'node_modules', 'helcim-sync', 'schemas', 'customers.schema.json');
    mkdirSync(join(root, 'node_modules', 'helcim-sync', 'schemas'), { recursive: true });
    writeFileSync(schema, '{}');
    mkdirSync(join(root, 'data'));
    assert.equal(
      schemaReference(join(root, 'data', 'c.yaml'), root, schema),
      '../node_modules/helcim-sync/schemas/customers.schema.json',
    );
    assert.equal(
      schemaReference(undefined, root, schema),
      'node_modules/helcim-sync/schemas/customers.schema.json',
    );
    assert.equal(schemaReference(join(root, 'c.yaml'), root, '/elsewhere/s.json'), SCHEMA_FALLBACK);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
