import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { defaultConfig } from '../../src/load/config-types.js';
import { loadCsv } from '../../src/load/csv.js';
import { neutralizeCell, restoreCell } from '../../src/load/csv-safety.js';
import { decodeInput } from '../../src/load/files.js';
import { csvOptionsFor } from '../../src/load/index.js';
import type { InputFile } from '../../src/load/files.js';
import { rejectsCsv } from '../../src/load/rejects.js';
import type { Place, Problem, RawRecord } from '../../src/load/types.js';

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

test('a rejects file with formula-like values loads back to exactly the original values', () => {
  const place: Place = { kind: 'csv', file: 'in.csv', row: 2 };
  const cells = {
    customerCode: 'C1',
    contactName: '=HYPERLINK("http://evil.example","click")',
    cellPhone: '+1 403 555 0101',
    'billingAddress.street1': '-5 Main St',
    'billingAddress.city': '@home',
    'billingAddress.name': "'=already quoted",
    'billingAddress.email': '\ttabbed',
    'billingAddress.postalCode': "''+x",
    'billingAddress.province': "'plain",
    '=SUM(A1)': 'a risky header',
  };
  const record: RawRecord = { file: 'in.csv', place, value: {}, locate: () => place, cells };
  const problems: Problem[] = [
    { severity: 'error', code: 'x', message: '-1 is not a phone', place },
    { severity: 'error', code: 'y', message: 'second', place, hint: '@ fix it' },
  ];
  const text = rejectsCsv([{ record, problems }]);
  const written: unknown = parse(text.slice(1));
  assert.ok(Array.isArray(written));
  for (const row of written) {
    assert.ok(Array.isArray(row));
    for (const cell of row) assert.doesNotMatch(String(cell), /^[=+\-@\t\r]/);
  }
  const file: InputFile = { path: '/x/in.rejects.csv', name: 'in.rejects.csv', kind: 'csv' };
  const decoded = decodeInput(Buffer.from(text), file).data;
  assert.ok(decoded !== undefined);
  // Both parsers: the file as read (fast path) and with its BOM still on (csv-parse).
  for (const data of [decoded, Buffer.from(text)]) {
    const loaded = loadCsv(file.name, data);
    assert.equal(loaded.records.length, 1);
    assert.deepEqual(loaded.records[0]?.cells, {
      ...cells,
      error: '-1 is not a phone; second (@ fix it)',
    });
    const value = loaded.records[0]?.value;
    assert.ok(typeof value === 'object' && value !== null && 'contactName' in value);
    assert.equal(value.contactName, cells.contactName);
    assert.deepEqual(
      loaded.problems.map((p) => p.place),
      [{ kind: 'csv', file: file.name, row: 1, column: '=SUM(A1)' }],
    );
  }
});

test('a rejects file of a tab- or semicolon-delimited source is read with commas', () => {
  const config = defaultConfig('/data');
  config.sources.push({ path: '/data/crm.tsv', delimiter: '\t' });
  config.delimiter = ';';
  assert.equal(csvOptionsFor(config, '/data/crm.tsv').delimiter, '\t');
  assert.equal(csvOptionsFor(config, '/data/crm.rejects.csv').delimiter, ',');
  assert.equal(csvOptionsFor(config, '/data/other.csv').delimiter, ';');
});
