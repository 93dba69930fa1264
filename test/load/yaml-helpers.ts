import { readFileSync } from 'node:fs';
import {
  formatPlace,
  type LoadResult,
  type Problem,
  type RawRecord,
} from '../../src/load/types.js';

const FIXTURES = new URL('../../../test/fixtures/yaml/', import.meta.url);

export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** Every dotted path of a value, for comparing `locate` over whole records. */
export function pathsOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const out: string[] = [];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value);
  for (const [key, v] of entries) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.push(path, ...pathsOf(v, path));
  }
  return out;
}

/** A value as JSON would have it: prototypes dropped, for comparing with literals. */
export function plain(value: unknown): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(value));
  return copy;
}

/** `value[key]` if `value` is an object. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

export interface Snapshot {
  records: { place: string; value: unknown; located: Record<string, string> }[];
  problems: string[];
}

/** A load result as plain data: values, places, every key's place, problems. */
export function snapshot(result: LoadResult): Snapshot {
  return {
    records: result.records.map((r: RawRecord) => ({
      place: formatPlace(r.place),
      value: r.value,
      located: Object.fromEntries(
        [...pathsOf(r.value), 'missing', 'billingAddress.missing'].map((p) => [
          p,
          formatPlace(r.locate(p)),
        ]),
      ),
    })),
    problems: result.problems.map(brief),
  };
}

/** `severity code place: message` for assertions. */
export function brief(p: Problem): string {
  return `${p.severity} ${p.code} ${formatPlace(p.place)}: ${p.message}`;
}
