import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCsv } from '../../src/load/csv.js';
import type { CsvOptions } from '../../src/load/csv.js';
import { formatPlace } from '../../src/load/types.js';
import type { LoadResult, Problem } from '../../src/load/types.js';

export const CSV_FIXTURES = fileURLToPath(new URL('../../../test/fixtures/csv/', import.meta.url));

export function fixture(name: string): string {
  return CSV_FIXTURES + name;
}

export function loadFixture(name: string, options: CsvOptions = {}): LoadResult {
  return loadCsv(name, readFileSync(fixture(name)), options);
}

/** Problems as `place: severity: message` lines: what a person reads. */
export function lines(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${formatPlace(p.place)}: ${p.severity}: ${p.message}`);
}
