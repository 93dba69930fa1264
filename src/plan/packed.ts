/**
 * A desired record's data packed as text: the paths it sets (its shape, shared by every record
 * that sets the same ones) and their values as one text (`encodeValues`). Desired records cross
 * from the loading thread this way. A remote customer is compared by walking that text against
 * its values at the shape's paths (`holdsValues`): a match says that every value the record sets
 * is the customer's, which is what the planner's own comparison asks, so an unchanged record
 * (most of them) is told without building anything, and its data objects are never built on the
 * planning thread.
 */
import type { CustomerData, FieldGroup } from '../core/customer.js';
import type { FieldList } from '../core/fields.js';

/**
 * A path a record sets: a top-level text field, a key of a group or map (`key`), or an empty
 * group or map (`empty`), which sets nothing but is still part of the data.
 */
export interface ShapePath {
  readonly field: string;
  readonly key: string | undefined;
  readonly empty: boolean;
}

export interface Shape {
  readonly paths: readonly ShapePath[];
}

export interface PackedData {
  readonly shape: Shape;
  /** The values at the shape's paths, in order, as `encodeValues` writes them. */
  readonly values: string;
  /** The provider's identity field (the code), read without unpacking. */
  readonly code: string | undefined;
}

/**
 * The paths `data` sets and their values, in the order the unpacked data will have them: the
 * list's fields, a group's keys in the list's order, a map's in its own. Values that are not
 * text, and fields or group keys the list does not have, are left out, as a plan never reads them.
 */
export function pack(list: FieldList, data: CustomerData): { paths: string[]; values: string[] } {
  const paths: string[] = [];
  const values: string[] = [];
  const named = groupPaths(list);
  for (const spec of list.fields) {
    const value = data[spec.name];
    if (value === undefined) continue;
    if (spec.kind === 'text') {
      if (typeof value === 'string') {
        paths.push(spec.name);
        values.push(value);
      }
      continue;
    }
    if (typeof value !== 'object') continue;
    const before = paths.length;
    if (spec.kind === 'group') {
      const names = named.get(spec.name) ?? [];
      spec.keys.forEach((key, k) => {
        const inner = value[key];
        if (typeof inner !== 'string') return;
        paths.push(names[k] ?? `${spec.name}.${key}`);
        values.push(inner);
      });
    } else {
      for (const [key, inner] of Object.entries(value)) {
        if (typeof inner !== 'string') continue;
        paths.push(`${spec.name}.${key}`);
        values.push(inner);
      }
    }
    // A group with no text in it is still there: its name alone, with no value to compare.
    if (paths.length === before) {
      paths.push(spec.name);
      values.push('');
    }
  }
  return { paths, values };
}

/**
 * The values `pack` gives, written into `values` (emptied first), and an id of the paths: equal
 * ids, equal paths. It builds no path, so it costs little more than the values themselves: a
 * number for the text fields and group keys set (a bit each), and the keys of maps.
 */
export function packValues(list: FieldList, data: CustomerData, values: string[]): number | string {
  values.length = 0;
  let mask = 0;
  let bit = 0;
  let rest: string | undefined;
  const set = (): void => {
    if (bit < 30) mask |= 1 << bit;
    else rest = `${rest ?? ''},${bit}`;
  };
  for (const spec of list.fields) {
    const value = data[spec.name];
    if (spec.kind === 'text') {
      if (typeof value === 'string') {
        set();
        values.push(value);
      }
      bit++;
      continue;
    }
    const size = spec.kind === 'group' ? spec.keys.length : 0;
    if (typeof value === 'object') {
      const before = values.length;
      if (spec.kind === 'group') {
        for (let k = 0; k < size; k++) {
          const inner = value[spec.keys[k] ?? ''];
          if (typeof inner !== 'string') continue;
          bit += k;
          set();
          bit -= k;
          values.push(inner);
        }
      } else {
        for (const [key, inner] of Object.entries(value)) {
          if (typeof inner !== 'string') continue;
          rest = `${rest ?? ''}|${bit}:${JSON.stringify(key)}`;
          values.push(inner);
        }
      }
      if (values.length === before) {
        bit += size;
        set();
        bit -= size;
        values.push('');
      }
    }
    bit += size + 1;
  }
  return rest === undefined ? mask : `${mask}${rest}`;
}

const groupPathCache = new WeakMap<FieldList, Map<string, string[]>>();

/** Each group's paths, by its keys' order: built once, not once per record. */
function groupPaths(list: FieldList): Map<string, string[]> {
  let named = groupPathCache.get(list);
  if (named === undefined) {
    named = new Map();
    for (const spec of list.fields)
      if (spec.kind === 'group')
        named.set(
          spec.name,
          spec.keys.map((key) => `${spec.name}.${key}`),
        );
    groupPathCache.set(list, named);
  }
  return named;
}

/** A shape from the paths `pack` gave; undefined when they name nothing of the list. */
export function shapeOf(list: FieldList, paths: readonly string[]): Shape | undefined {
  const out: ShapePath[] = [];
  for (const path of paths) {
    const dot = path.indexOf('.');
    const field = dot < 0 ? path : path.slice(0, dot);
    const spec = list.fields.find((f) => f.name === field);
    if (spec === undefined || (spec.kind === 'text' && dot >= 0)) return undefined;
    out.push({
      field,
      key: dot < 0 ? undefined : path.slice(dot + 1),
      empty: spec.kind !== 'text' && dot < 0,
    });
  }
  return { paths: out };
}

/**
 * Values as one text: each after a NUL (`\0a\0b`; none: the empty text), which is cheaper to
 * write, and to compare with a customer's values (`holdsValues`), than JSON. Values holding a
 * NUL or a line break (records travel a line each) are written as a JSON array instead.
 */
export function encodeValues(values: readonly string[]): string {
  if (values.length === 0) return '';
  for (const value of values)
    if (value.includes('\0') || value.includes('\n')) return JSON.stringify(values);
  return '\0' + values.join('\0');
}

/**
 * True exactly when the customer holds, at each of the shape's paths, the value `encoded` (from
 * `encodeValues`) has there: what comparing `valuesAt` with a JSON text says, without building
 * a text per customer. The values hold no NUL, so a customer's value with one cannot stretch
 * over a separator and still end where the text ends.
 */
export function holdsValues(shape: Shape, remote: CustomerData, encoded: string): boolean {
  return holdsValuesIn(shape, remote, encoded, 0, encoded.length);
}

/**
 * `holdsValues` of the encoded values that are `text` from `start` to `end`: a record's line in
 * a batch's text, read in place rather than cut out.
 */
export function holdsValuesIn(
  shape: Shape,
  remote: CustomerData,
  text: string,
  start: number,
  end: number,
): boolean {
  if (end > start && text.charCodeAt(start) !== 0)
    return valuesAt(shape, remote) === text.slice(start, end);
  let at = start;
  for (const { field, key, empty } of shape.paths) {
    if (at >= end || text.charCodeAt(at) !== 0) return false;
    at += 1;
    if (empty) continue;
    const value = remote[field];
    const inner = key === undefined ? value : typeof value === 'object' ? value[key] : undefined;
    if (typeof inner !== 'string' || at + inner.length > end || !text.startsWith(inner, at))
      return false;
    at += inner.length;
  }
  return at === end;
}

/** The values `encodeValues` wrote. */
export function decodeValues(encoded: string): unknown {
  if (encoded.length === 0) return [];
  if (encoded.charCodeAt(0) === 0) return encoded.slice(1).split('\0');
  return JSON.parse(encoded);
}

/**
 * The remote customer's values at the shape's paths, as a JSON text: equal to a record's JSON
 * text exactly when the customer holds every value the record sets.
 */
export function valuesAt(shape: Shape, remote: CustomerData): string {
  const values: (string | null)[] = [];
  for (const { field, key, empty } of shape.paths) {
    const value = remote[field];
    if (empty) {
      // An empty group asks nothing of the customer.
      values.push('');
      continue;
    }
    if (key === undefined) {
      values.push(typeof value === 'string' ? value : null);
      continue;
    }
    const inner = typeof value === 'object' ? value[key] : undefined;
    values.push(typeof inner === 'string' ? inner : null);
  }
  return JSON.stringify(values);
}

/** The data a packed record stands for. */
export function unpack(packed: Pick<PackedData, 'shape' | 'values'>): CustomerData {
  const values: unknown = decodeValues(packed.values);
  if (!Array.isArray(values) || values.length !== packed.shape.paths.length)
    throw new Error('a packed record does not fit its shape');
  const data: CustomerData = {};
  packed.shape.paths.forEach(({ field, key, empty }, i) => {
    const value: unknown = values[i];
    if (typeof value !== 'string')
      throw new Error('a packed record holds a value that is not text');
    if (empty) data[field] = {};
    else if (key === undefined) data[field] = value;
    else {
      const group = data[field];
      const holder: FieldGroup = typeof group === 'object' ? group : {};
      holder[key] = value;
      data[field] = holder;
    }
  });
  return data;
}
