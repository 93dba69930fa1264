import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactRanges, groupProblems } from '../../src/cli/problem-groups.js';
import { formatProblems } from '../../src/cli/problems.js';
import type { Problem } from '../../src/load/types.js';

function atRow(
  row: number,
  message: string,
  extra: Partial<Problem> = {},
  file = 'crm.csv',
): Problem {
  return {
    severity: 'error',
    code: 'missing-field',
    message,
    place: { kind: 'csv', file, row },
    path: message.split(':')[0] ?? '',
    ...extra,
  };
}

const rows = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const STREET = 'billingAddress.street1: an address needs a street1';

test('compactRanges writes runs of consecutive rows as ranges: 2-5, 9, 12-20', () => {
  assert.equal(compactRanges([...rows(12, 20), 9, ...rows(2, 5)]), '2-5, 9, 12-20');
  assert.equal(compactRanges(rows(2, 101)), '2-101');
  assert.equal(compactRanges([7]), '7');
});

test('compactRanges lists ten ranges at most, then …', () => {
  const everyOther = rows(1, 30).map((n) => n * 2);
  assert.equal(compactRanges(everyOther), '2, 4, 6, 8, 10, 12, 14, 16, 18, 20, …');
});

test('a problem on 100 rows prints 3 lines in full and one line with its count and rows', () => {
  const problems = rows(2, 101).map((r) => atRow(r, STREET));
  const report = formatProblems(problems, { color: false, verbose: false });
  assert.equal(report.grouped, true);
  assert.deepEqual(report.text.split('\n'), [
    `crm.csv: row 2: error: ${STREET}`,
    `crm.csv: row 3: error: ${STREET}`,
    `crm.csv: row 4: error: ${STREET}`,
    `crm.csv: error: ${STREET}: 100 rows (2-101)`,
    '',
  ]);
});

test('--verbose prints every one of 100 repeated problems', () => {
  const problems = rows(2, 101).map((r) => atRow(r, STREET));
  const report = formatProblems(problems, { color: false, verbose: true });
  assert.equal(report.grouped, false);
  assert.equal(report.text.trimEnd().split('\n').length, 100);
});

test('a problem repeated 4 times is printed 4 times: a group line would save nothing', () => {
  const entries = groupProblems(rows(2, 5).map((r) => atRow(r, STREET)));
  assert.deepEqual(
    entries.map((e) => e.kind),
    ['problem', 'problem', 'problem', 'problem'],
  );
});

test('errors that differ in the value they quote are not grouped: each value may need its own fix', () => {
  const problems = rows(2, 11).map((r) =>
    atRow(r, `billingAddress.country: unknown country "Place ${r}"`, { code: 'unknown-country' }),
  );
  const entries = groupProblems(problems);
  assert.equal(entries.length, 10);
  assert.ok(entries.every((e) => e.kind === 'problem'));
});

test('problems with different hints are never grouped together', () => {
  const problems = rows(2, 21).map((r) =>
    atRow(r, 'billingAddress.province: "Mass" is not a province or state code', {
      code: 'invalid-province',
      hint: r % 2 === 0 ? 'did you mean MA?' : 'did you mean MN?',
    }),
  );
  const groups = groupProblems(problems).filter((e) => e.kind === 'group');
  assert.deepEqual(
    groups.map((g) => (g.kind === 'group' ? `${g.first.hint ?? ''}: ${g.where}` : '')),
    [
      'did you mean MA?: 10 rows (2, 4, 6, 8, 10, 12, 14, 16, 18, 20)',
      'did you mean MN?: 10 rows (3, 5, 7, 9, 11, 13, 15, 17, 19, 21)',
    ],
  );
});

test('warnings that differ only in the values they quote are one group, the differing values shown as …', () => {
  const problems = rows(2, 101).map((r) =>
    atRow(
      r,
      `cellPhone: extension ${r} dropped from "617-555-0110 x${r}": Helcim phone fields hold a number only`,
      { severity: 'warning', code: 'phone-extension' },
    ),
  );
  const groups = groupProblems(problems).filter((e) => e.kind === 'group');
  assert.equal(groups.length, 1);
  const group = groups[0];
  assert.ok(group?.kind === 'group');
  assert.equal(
    group.message,
    'cellPhone: extension … dropped from "…": Helcim phone fields hold a number only',
  );
  assert.equal(group.count, 100);
});

test('the same problem in two files is two groups, each with its own rows', () => {
  const problems = [
    ...rows(2, 11).map((r) => atRow(r, STREET, {}, 'a.csv')),
    ...rows(2, 6).map((r) => atRow(r, STREET, {}, 'b.csv')),
  ];
  const text = formatProblems(problems, { color: false, verbose: false }).text;
  assert.match(text, /^a\.csv: error: .*: 10 rows \(2-11\)$/m);
  assert.match(text, /^b\.csv: error: .*: 5 rows \(2-6\)$/m);
});

test('a grouped problem is printed where it first occurs; the others stay in their places', () => {
  const problems = [
    atRow(2, STREET),
    atRow(2, 'contactName: a customer needs a contactName or a businessName', {
      code: 'missing-name',
    }),
    ...rows(3, 10).map((r) => atRow(r, STREET)),
  ];
  const lines = formatProblems(problems, { color: false, verbose: false }).text.split('\n');
  assert.deepEqual(lines, [
    `crm.csv: row 2: error: ${STREET}`,
    `crm.csv: row 3: error: ${STREET}`,
    `crm.csv: row 4: error: ${STREET}`,
    `crm.csv: error: ${STREET}: 9 rows (2-10)`,
    'crm.csv: row 2: error: contactName: a customer needs a contactName or a businessName',
    '',
  ]);
});

test('a YAML file groups by line numbers', () => {
  const problems = rows(0, 5).map((i): Problem => ({
    severity: 'error',
    code: 'missing-field',
    message: STREET,
    path: 'billingAddress.street1',
    place: { kind: 'yaml', file: 'c.yaml', line: 2 + i * 7, column: 5 },
  }));
  const text = formatProblems(problems, { color: false, verbose: false }).text;
  assert.match(text, /^c\.yaml: error: .*: 6 times \(lines 2, 9, 16, 23, 30, 37\)$/m);
});
