/**
 * Hints that point at the mapping. A field a spreadsheet's rows all lack is rarely a data
 * problem: the mapping does not read it. "an address needs a street1" on every row is fixed once,
 * in the config, and the hint says where and how.
 */
import type { Config } from '../load/config-types.js';
import type { InputFile } from '../load/files.js';
import type { Problem } from '../load/types.js';
import { mappingOf } from './silence.js';

/** Problems about a value that is absent, with whether a constant can stand in for it. */
const ABSENT: ReadonlyMap<string, { constant: boolean }> = new Map([
  ['missing-field', { constant: true }],
  // A name or an identity is the customer's own: the same constant on every row is no fix.
  ['missing-name', { constant: false }],
  ['missing-identity', { constant: false }],
]);

/**
 * Gives each error about a field that no column of its CSV reads the hint that says how to read
 * it. Problems are changed in place: the same objects are listed with their rejected records.
 */
export function hintMappings(
  problems: readonly Problem[],
  files: readonly InputFile[],
  config: Config,
): void {
  const csvFiles = files.filter((f) => f.kind === 'csv');
  if (csvFiles.length === 0) return;
  const byName = new Map(csvFiles.map((f) => [f.name, { mapping: mappingOf(config, f) }]));
  for (const p of problems) {
    const absent = ABSENT.get(p.code);
    if (absent === undefined || p.severity !== 'error' || p.path === undefined) continue;
    if (p.place.kind !== 'csv' || p.place.column !== undefined) continue;
    const file = byName.get(p.place.file);
    if (file === undefined) continue;
    const mapping = file.mapping;
    if (mapping === undefined) {
      // The identity's own hint (set a matchKey) serves a plain CSV better.
      if (p.code !== 'missing-identity')
        p.hint = `add a ${p.path} column, or read the file with a mapping (see "mappings" in the README)`;
      continue;
    }
    const path = p.path;
    if (mapping.columns.some(([mapped]) => mapped === path)) continue;
    p.hint = `map a column to ${path} in mapping "${mapping.name}"${absent.constant ? ', or give it a constant: { value: ... }' : ''}`;
  }
}
