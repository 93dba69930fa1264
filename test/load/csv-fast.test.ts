import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { generateCustomers, CSV_COLUMNS } from '../../bench/generate.js';
import { mulberry32 } from '../../src/core/random.js';
import type { CustomerData } from '../../src/core/customer.js';
import { loadConfig } from '../../src/load/config.js';
import { loadCsv } from '../../src/load/csv.js';
import type { CsvOptions } from '../../src/load/csv.js';
import { parsePlain, plainShape } from '../../src/load/csv-fast.js';
import { csvFieldPaths } from '../../src/load/csv-plan.js';
import { helcimFields } from '../../src/providers/helcim/fields.js';

const FIELD_PATHS = csvFieldPaths(helcimFields);
import { detectDelimiter } from '../../src/load/csv-delimiter.js';
import { decodeInput } from '../../src/load/files.js';
import { csvOptionsFor } from '../../src/load/index.js';
import type { LoadResult } from '../../src/load/types.js';
import { CSV_FIXTURES, fixture } from './csv-helpers.js';

/** Everything a later stage can see of a load: values, places, cells, issues, problems. */
function observable(result: LoadResult): unknown {
  return {
    problems: result.problems,
    records: result.records.map((r) => ({
      kind: r.constructor.name,
      file: r.file,
      place: r.place,
      value: r.value,
      cells: r.cells,
      issues: 'issues' in r ? r.issues : undefined,
      places: FIELD_PATHS.map((p) => r.locate(p)),
    })),
  };
}

/**
 * Loads `data` by both paths, as bytes and as text (what a file decoded from another encoding
 * gives), asserts they agree, and says whether the fast path took it.
 */
function assertSame(name: string, data: Buffer, options: CsvOptions = {}): boolean {
  const slow = observable(loadCsv(name, data, { ...options, fastPath: false }));
  assert.deepEqual(observable(loadCsv(name, data, options)), slow, `${name}: the paths differ`);
  const text = data.toString('utf8');
  const slowText = observable(loadCsv(name, text, { ...options, fastPath: false }));
  assert.deepEqual(observable(loadCsv(name, text, options)), slowText, `${name}: text differs`);
  const body = trimEnd(data);
  return plainShape(body, options.delimiter ?? detectDelimiter(body)) !== undefined;
}

/** As the loader reads a file: without the blank lines at its end. */
function trimEnd(data: Buffer): Buffer {
  return Buffer.from(data.toString('utf8').replace(/[\r\n\t ]+$/, ''));
}

function crlf(data: Buffer): Buffer {
  return Buffer.from(data.toString('utf8').replace(/\r?\n/g, '\r\n'));
}

const mapped = loadConfig({ cwd: CSV_FIXTURES, path: fixture('crm.helcim-sync.yaml') }).config;

test('every CSV fixture loads to the same records and problems by both paths', () => {
  const names = readdirSync(CSV_FIXTURES).filter((n) => /\.(csv|tsv)$/.test(n));
  assert.ok(names.length >= 14);
  let tookFast = 0;
  for (const name of names) {
    const bytes = readFileSync(fixture(name));
    // As the loader gets it (BOM removed), and as given.
    const read = decodeInput(bytes, { path: fixture(name), name, kind: 'csv' }).data;
    const data = typeof read === 'string' ? Buffer.from(read) : (read ?? bytes);
    const options = csvOptionsFor(mapped, fixture(name));
    for (const variant of [data, crlf(data), bytes]) {
      assertSame(name, variant, options);
      assertSame(name, variant, { ...options, emptyCells: 'clear' });
    }
    if (assertSame(name, data, options)) tookFast++;
  }
  // The comparison means something only if the fast path read most of them.
  assert.ok(tookFast >= 8, `only ${tookFast} fixtures took the fast path`);
});

function cell(value: string | undefined, quoteAll: boolean): string {
  if (value === undefined) return quoteAll ? '""' : '';
  return quoteAll || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function generatedCsv(customers: CustomerData[], quoteAll: boolean, eol: string): Buffer {
  const lines = [CSV_COLUMNS.join(',')];
  for (const c of customers) {
    const cells = CSV_COLUMNS.map((col) => {
      const [head = '', tail] = col.split('.');
      const holder: unknown = tail === undefined ? c : Reflect.get(c, head);
      const v: unknown =
        typeof holder === 'object' && holder !== null
          ? Reflect.get(holder, tail ?? head)
          : undefined;
      return typeof v === 'string' ? v : undefined;
    });
    lines.push(cells.map((v) => cell(v, quoteAll)).join(','));
  }
  return Buffer.from(lines.join(eol) + eol);
}

test('generated customers load the same by both paths, quoted or not, LF or CRLF', () => {
  const customers = generateCustomers(3000, 7);
  // Cells that need quoting, formula-like cells and a duplicate, so problems are compared too.
  customers[5] = { ...customers[5], contactName: 'Lovelace, Ada "the first"' };
  customers[6] = { ...customers[6], businessName: '\'=HYPERLINK("x")' };
  customers[7] = { ...customers[7], customerCode: customers[8]?.customerCode ?? '' };
  customers[9] = { ...customers[9], contactName: 'two\nlines' };
  for (const quoteAll of [false, true]) {
    for (const eol of ['\n', '\r\n']) {
      const data = generatedCsv(customers, quoteAll, eol);
      assert.ok(assertSame('generated.csv', data), 'generated data must take the fast path');
    }
  }
});

// Random files over pieces that make CSV hard: rows of cells quoted as a writer would, then now
// and then broken the ways real files are (a ragged row, a blank line, a stray or missing quote,
// mixed line ends). Both paths must agree on every file, whichever one the fast path takes.
const PIECES = ['a', 'é', ' ', ',', ';', '\t', '"', '\n', '\r\n', '\r', "'=", "'", '-', '@'];
const BREAKS = ['', '\n', ',', '"', '\r', 'x"', '\n\n', '\r\n', ' "a"'];

function randomCsv(rand: () => number, delimiter: string): string {
  const pick = (list: readonly string[]): string => list[Math.floor(rand() * list.length)] ?? '';
  const width = 2 + Math.floor(rand() * 3);
  const header = ['customerCode', 'contactName', 'cellPhone', 'billingAddress.city'].slice(
    0,
    width,
  );
  const lines = [header.join(delimiter)];
  const eol = rand() < 0.5 ? '\n' : '\r\n';
  for (let r = Math.floor(rand() * 5); r > 0; r--) {
    const cells: string[] = [];
    for (let c = 0; c < width; c++) {
      let text = '';
      for (let i = Math.floor(rand() * 4); i > 0; i--) text += pick(PIECES);
      const risky = /["\r\n]/.test(text) || text.includes(delimiter) || rand() < 0.2;
      cells.push(risky ? `"${text.replace(/"/g, '""')}"` : text);
    }
    lines.push(cells.join(delimiter));
  }
  let csv = lines.join(eol);
  if (rand() < 0.4) {
    const at = Math.floor(rand() * (csv.length + 1));
    csv = csv.slice(0, at) + pick(BREAKS) + csv.slice(at);
  }
  return csv;
}

test('random files: both paths agree on every one', () => {
  const rand = mulberry32(42);
  let plain = 0;
  for (let n = 0; n < 4000; n++) {
    const delimiter = n % 4 === 0 ? ';' : ',';
    const data = Buffer.from(randomCsv(rand, delimiter));
    if (assertSame(`random-${n}.csv`, data)) plain++;
    assertSame(`random-${n}.csv`, data, { delimiter: n % 2 === 0 ? ',' : ';' });
  }
  assert.ok(plain > 1000 && plain < 3900, `${plain} of 4000 random files were plain`);
});

test('where the fast path accepts a file, its rows are exactly csv-parse rows', () => {
  const cases: [input: string, plain: boolean][] = [
    ['a,b\n1,2', true],
    ['a,b\r\n"1\n2","x""y"\r\n,', true],
    ['"a",b\n"",', true],
    ['a,b\n1;2,"3,4"', true],
    ['a,b\n1,2,3', false],
    ['a,b\n1', false],
    ['a,b\n\n1,2', false],
    ['a\n\nb', false],
    ['a\n"b"', false],
    ['a,b\n1,2\n', false],
    ['a,b\n1,"2"x', false],
    ['a,b\n1,2"', false],
    ['a,b\n"1,2', false],
    ['a,b\r\n1,2\n3,4', false],
    ['a,b\n1,2\r3,4', false],
    ['\uFEFFa,b\n1,2', false],
  ];
  for (const [input, plain] of cases) {
    const bytes = Buffer.from(input);
    const rows: string[][] = [];
    assert.equal(
      parsePlain(bytes, ',', (row) => rows.push(row)),
      plain,
      JSON.stringify(input),
    );
    if (plain) assert.deepEqual(rows, parse(bytes), JSON.stringify(input));
    else assert.deepEqual(rows, [], JSON.stringify(input));
  }
});
