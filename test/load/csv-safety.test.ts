import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neutralizeCell, restoreCell } from '../../src/load/csv-safety.js';

test('formula-like cells are neutralised and restored exactly', () => {
  const values = [
    '=SUM(A1:A9)',
    '+1 403 555 0101',
    '-5',
    '@home',
    '\tindent',
    '\rx',
    "'=already",
    "''+x",
    'plain',
    "'quoted",
    '',
    "'",
  ];
  for (const value of values) {
    const cell = neutralizeCell(value);
    assert.ok(!/^[=+\-@\t\r]/.test(cell), `${JSON.stringify(cell)} would run as a formula`);
    assert.equal(restoreCell(cell), value);
  }
  assert.equal(neutralizeCell('=1+1'), "'=1+1");
  assert.equal(neutralizeCell('plain'), 'plain');
});
