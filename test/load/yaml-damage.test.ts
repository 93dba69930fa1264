import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathSegments } from '../../src/load/yaml-record.js';
import { loadYaml } from '../../src/load/yaml.js';
import { loadWholeFile } from '../../src/load/yaml-document.js';
import { mulberry32 } from '../../bench/generate.js';
import { fixture, snapshot } from './yaml-helpers.js';

test('paths: dotted, JSON pointer, brackets', () => {
  assert.deepEqual(pathSegments('billingAddress.country'), ['billingAddress', 'country']);
  assert.deepEqual(pathSegments('/billingAddress/country'), ['billingAddress', 'country']);
  assert.deepEqual(pathSegments('/a~1b/c~0d'), ['a/b', 'c~d']);
  assert.deepEqual(pathSegments('tags[2].x'), ['tags', '2', 'x']);
  assert.deepEqual(pathSegments(''), []);
});

test('random damage to a file never crashes, and valid results match the full parser', () => {
  const base = fixture('basic.yaml') + fixture('quoted.yaml').replace('customers:\n', '');
  const rand = mulberry32(7);
  const pieces = [
    ':',
    ' ',
    '"',
    "'",
    '\t',
    '-',
    '#',
    '{',
    '[',
    '&a ',
    '*a',
    '\n',
    '  ',
    '|',
    '\r\n',
    '~',
  ];
  for (let i = 0; i < 300; i++) {
    let text = base;
    for (let n = 0; n < 1 + Math.floor(rand() * 3); n++) {
      const at = Math.floor(rand() * text.length);
      const piece = pieces[Math.floor(rand() * pieces.length)] ?? '';
      text =
        rand() < 0.3
          ? text.slice(0, at) + text.slice(at + 1)
          : text.slice(0, at) + piece + text.slice(at);
    }
    const result = loadYaml('m.yaml', text);
    for (const p of result.problems) {
      assert.ok(
        p.place.kind === 'yaml' && p.place.line >= 1 && p.place.column >= 1,
        JSON.stringify(p),
      );
    }
    const full = loadWholeFile('m.yaml', text);
    if (!full.problems.some((p) => p.code.startsWith('yaml-'))) {
      assert.deepEqual(snapshot(result), snapshot(full), `mutation ${i}:\n${text}`);
    }
  }
});
