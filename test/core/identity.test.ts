import { helcimInfo } from '../../src/providers/helcim/info.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RemoteCustomer } from '../../src/core/customer.js';
import { planAdoption } from '../../src/adopt/match.js';
import type { DesiredCustomer } from '../../src/desired/index.js';
import type { Place, RawRecord } from '../../src/load/types.js';
import { planChanges } from '../../src/plan/plan.js';
import { validateRecords } from '../../src/validate/index.js';

function record(value: unknown, row: number): RawRecord {
  const place: Place = { kind: 'csv', file: 'in.csv', row };
  return { file: 'in.csv', place, value, locate: (path) => ({ ...place, column: path }) };
}

/** Pairs of identity values a person would call the same customer, and pairs they would not. */
const SAME: readonly [string, string][] = [
  ['Acme', 'ACME'],
  ['Acme Ltd', 'acme  ltd'],
  ['Acme Ltd', ' Acme Ltd '],
];
const DIFFERENT: readonly [string, string][] = [
  ['Acme', 'Acme Ltd'],
  ['Acme', 'Acne'],
];

/** Whether validate, plan and adopt each take `a` and `b` for the same customer. */
function verdicts(a: string, b: string): { validate: boolean; plan: boolean; adopt: boolean } {
  const options = { matchKey: 'businessName' };
  const validated = validateRecords(
    [record({ businessName: a }, 2), record({ businessName: b }, 3)],
    options,
  );
  const duplicate = validated.problems.some((p) => p.code === 'duplicate-identity');

  const one = validateRecords([record({ businessName: a }, 2)], options).customers[0];
  assert.ok(one !== undefined);
  const remote: RemoteCustomer = { id: '7', customerCode: 'R7', businessName: b };
  const plan = planChanges([{ key: one.key, data: one.data, source: 'in.csv row 2' }], [remote], {
    provider: 'helcim',
    matchKey: 'businessName',
    fetch: { strategy: 'list', calls: 1, fetched: 1 },
  });
  const matched = plan.summary.create === 0;

  const adoption = planAdoption(
    [one satisfies DesiredCustomer],
    [remote],
    'businessName',
    helcimInfo,
  );
  const adopted = adoption.adoptions[0]?.kind === 'adopt';
  return { validate: duplicate, plan: matched, adopt: adopted };
}

test('validate, plan and adopt agree on which business names are one customer', () => {
  for (const [a, b] of SAME)
    assert.deepEqual(verdicts(a, b), { validate: true, plan: true, adopt: true }, `${a} / ${b}`);
  for (const [a, b] of DIFFERENT)
    assert.deepEqual(verdicts(a, b), { validate: false, plan: false, adopt: false }, `${a} / ${b}`);
});
