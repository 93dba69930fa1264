import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadDesiredState,
  streamDesiredState,
  type DesiredCustomer,
  type DesiredOptions,
  type DesiredState,
} from '../../src/desired/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BAD = join(ROOT, 'test/fixtures/bad');

/** What a plan sees of a state: comparable across the two loaders (no record objects). */
function seen(customers: readonly DesiredCustomer[], state: DesiredState): unknown {
  return {
    customers: customers.map(({ key, data, place, clear }) => ({ key, data, place, clear })),
    problems: state.problems,
    fatal: state.fatal,
    rejected: state.rejected.map((r) => ({ place: r.record.place, problems: r.problems })),
    silenced: state.silenced,
  };
}

/** Streams with chunks of `chunk` records; the customers handed over minus those withdrawn. */
function streamed(paths: string[], options: DesiredOptions, chunk: number): unknown {
  const handed: DesiredCustomer[] = [];
  let configFirst = false;
  const state = streamDesiredState(paths, options, {
    chunk,
    config: () => (configFirst = handed.length === 0),
    customers: (customers) => handed.push(...customers),
  });
  assert.ok(configFirst, 'the config comes before any customer');
  assert.equal(state.customers.length, 0, 'every customer went to the sink');
  const out = new Set(state.withdrawn);
  return seen(
    handed.filter((_, i) => !out.has(i)),
    state,
  );
}

function assertSame(paths: string[], options: DesiredOptions, what: string): void {
  const whole = loadDesiredState(paths, options);
  for (const chunk of [1, 2, 1000])
    assert.deepEqual(
      streamed(paths, options, chunk),
      seen(whole.customers, whole),
      `${what}, chunk ${chunk}`,
    );
}

interface Case {
  files: string[];
  args: string[];
}

function isCases(value: unknown): value is { cases: Case[] } {
  return (
    typeof value === 'object' && value !== null && 'cases' in value && Array.isArray(value.cases)
  );
}

test('streamed a chunk at a time, every bad-input case gives the same customers, problems and rejects as loaded whole', () => {
  const manifest: unknown = JSON.parse(readFileSync(join(BAD, 'manifest.json'), 'utf8'));
  assert.ok(isCases(manifest));
  let csv = 0;
  for (const c of manifest.cases) {
    const configAt = c.args.indexOf('--config');
    const configPath = configAt < 0 ? undefined : c.args[configAt + 1];
    const paths = c.args.filter(
      (a, i) => !a.startsWith('--') && (configAt < 0 || i !== configAt + 1),
    );
    if (paths.some((p) => p.endsWith('.csv'))) csv++;
    assertSame(
      paths,
      { cwd: BAD, ...(configPath === undefined ? {} : { configPath }) },
      c.args.join(' '),
    );
  }
  assert.ok(csv >= 20, `only ${csv} CSV cases`);
});

test('streamed, the examples and the CSV fixtures load as they do whole', () => {
  assertSame(['customers.csv', 'customers.yaml'], { cwd: join(ROOT, 'examples') }, 'examples');
  assertSame([], { cwd: join(ROOT, 'examples/payment-kit') }, 'payment-kit');
  assertSame([], { cwd: join(ROOT, 'examples/spreadsheet-export') }, 'spreadsheet-export');
  assertSame(['.'], { cwd: join(ROOT, 'test/fixtures/csv') }, 'test/fixtures/csv');
});

test('a duplicate found after its first record was handed over withdraws that record, and both are reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-stream-'));
  try {
    const rows = ['customerCode,contactName'];
    for (let i = 1; i <= 9; i++) rows.push(`C${i},Person ${i}`);
    rows.push('C2,Person 2 again');
    writeFileSync(join(dir, 'customers.csv'), rows.join('\n') + '\n');
    const handed: DesiredCustomer[] = [];
    const state = streamDesiredState(
      ['customers.csv'],
      { cwd: dir },
      {
        chunk: 3,
        customers: (customers) => handed.push(...customers),
      },
    );
    // Both were handed over (the second before its first could be checked again); both go.
    assert.deepEqual(
      state.withdrawn.map((i) => handed[i]?.place),
      [
        { kind: 'csv', file: 'customers.csv', row: 3 },
        { kind: 'csv', file: 'customers.csv', row: 11 },
      ],
    );
    assert.deepEqual(
      state.problems.map((p) => [p.code, p.place.kind === 'csv' ? p.place.row : 0]),
      [
        ['duplicate-identity', 3],
        ['duplicate-identity', 11],
      ],
    );
    assert.deepEqual(
      state.rejected.map((r) => r.record.place),
      [
        { kind: 'csv', file: 'customers.csv', row: 3 },
        { kind: 'csv', file: 'customers.csv', row: 11 },
      ],
    );
    assertSame(['customers.csv'], { cwd: dir }, 'duplicate across chunks');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
