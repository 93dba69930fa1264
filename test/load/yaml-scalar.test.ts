import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeDoubleQuoted,
  decodeSingleQuoted,
  isNullPlain,
  plainEnd,
} from '../../src/load/yaml-scalar.js';
import { pathSegments } from '../../src/load/yaml-record.js';
import { loadYaml } from '../../src/load/yaml.js';
import { loadWholeFile } from '../../src/load/yaml-document.js';
import { mulberry32 } from '../../bench/generate.js';
import { fixture, snapshot } from './yaml-helpers.js';

test('double-quoted scalars: escapes as the yaml package decodes them', () => {
  const dq = (s: string) => decodeDoubleQuoted(s, 0, s.length)?.value;
  assert.equal(dq('"a\\tb\\n\\"c\\\\"'), 'a\tb\n"c\\');
  assert.equal(dq('"\\x41\\u00e9\\U0001F600\\_\\0"'), 'Aé\u{1F600}\u00a0\0');
  assert.equal(dq('"unclosed'), undefined);
  assert.equal(dq('"bad \\q escape"'), undefined);
  assert.equal(dq('"bad \\xZZ"'), undefined);
  assert.equal(decodeDoubleQuoted('"ab" # c', 0, 8)?.end, 4);
});

test("single-quoted scalars: '' is a quote, backslashes are text", () => {
  const sq = (s: string) => decodeSingleQuoted(s, 0, s.length)?.value;
  assert.equal(sq("'O''Brien'"), "O'Brien");
  assert.equal(sq("'a\\nb'"), 'a\\nb');
  assert.equal(sq("''"), '');
  assert.equal(sq("'open"), undefined);
});

test('plain scalars end before ` #` and trailing blanks; `: ` inside is refused', () => {
  const end = (s: string) => plainEnd(s, 0, s.length);
  assert.equal(end('abc  # c'), 3);
  assert.equal(end('a#b'), 3);
  assert.equal(end('http://x'), 8);
  assert.equal(end('a: b'), -1);
  assert.equal(end('a:'), -1);
  assert.ok(isNullPlain('~') && isNullPlain('NULL') && !isNullPlain('nULL'));
});

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
    const full = loadWholeFile('m.yaml', text, 'customerCode');
    if (!full.problems.some((p) => p.code.startsWith('yaml-'))) {
      assert.deepEqual(snapshot(result), snapshot(full), `mutation ${i}:\n${text}`);
    }
  }
});
