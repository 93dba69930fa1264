/**
 * Desired customers as they cross from the loading worker to the planning thread. Each record's
 * data goes packed (plan/packed.ts): the paths it sets, as one of a few shapes shared by the
 * records, and its values as one text; keys, codes and sources go as plain arrays, copied by
 * the message itself (no JSON to write and read again). The
 * planning thread then builds no object per field: it compares a record's text with the values
 * a remote customer has at the same paths, and unpacks the data only of a record that differs
 * (a few of 100,000), where parsing 100,000 records' fields into objects used to be most of what
 * the big plan waited on once the files were loaded.
 */
import { textOf, type CustomerData } from '../core/customer.js';
import type { FieldList } from '../core/fields.js';
import { formatSource } from '../load/types.js';
import {
  encodeValues,
  pack,
  packValues,
  shapeOf,
  unpack,
  type PackedData,
  type Shape,
  type ShapePath,
} from '../plan/packed.js';
import type { DesiredInput } from '../plan/types.js';
import type { PlannedCustomer } from './summary.js';

/** The records' values, one text a line, and everything else as arrays. */
export interface EncodedCustomers {
  meta: Meta;
  values: string;
}

export interface Meta {
  shapes: Shape[];
  keys: string[];
  /** The identity field's value: null when it is the key (nearly always), 0 when there is none. */
  codes: (string | null | 0)[];
  /** The files records come from, and their kind (`csv`, `yaml`). */
  files: [string, string][];
  /** Each record's file (an index into `files`) and its row or line there (-1: the whole file). */
  fileOf: number[];
  at: number[];
  /** The shape of each record, by its index in `shapes`. */
  shapeOf: number[];
  /** `[record, paths]` for the records with paths to clear. */
  clear: [number, string[]][];
}

export function encodeCustomers(
  customers: readonly PlannedCustomer[],
  list: FieldList,
): EncodedCustomers {
  const shapeIds = new Map<number | string, number>();
  const fileIds = new Map<string, number>();
  const meta: Meta = {
    shapes: [],
    keys: [],
    codes: [],
    files: [],
    fileOf: [],
    at: [],
    shapeOf: [],
    clear: [],
  };
  const texts: string[] = [];
  const values: string[] = [];
  const identity = list.identity;
  customers.forEach(({ key, data, place, clear }, i) => {
    const id = packValues(list, data, values);
    let shape = shapeIds.get(id);
    if (shape === undefined) {
      const made = shapeOf(list, pack(list, data).paths);
      if (made === undefined) throw new Error('desired customers: a shape the fields do not have');
      shape = meta.shapes.push(made) - 1;
      shapeIds.set(id, shape);
    }
    meta.keys.push(key);
    const code = textOf(data[identity]);
    meta.codes.push(code === key ? null : (code ?? 0));
    let file = fileIds.get(place.file);
    if (file === undefined) {
      file = meta.files.push([place.file, place.kind]) - 1;
      fileIds.set(place.file, file);
    }
    meta.fileOf.push(file);
    meta.at.push(place.kind === 'csv' ? place.row : place.kind === 'yaml' ? place.line : -1);
    meta.shapeOf.push(shape);
    // Encoded values have no raw line break: one record a line.
    texts.push(encodeValues(values));
    if (clear !== undefined && clear.length > 0) meta.clear.push([i, clear]);
  });
  return { meta, values: texts.join('\n') };
}

/**
 * A record as the planner reads it: its data unpacked, and its source written, on first read. It
 * is its own packed data: one object a record, not two, on the thread that keeps 100,000 of them
 * while the account is read.
 */
class PackedInput implements DesiredInput, PackedData {
  readonly key: string;
  readonly clear: readonly string[] | undefined;
  readonly shape: Shape;
  readonly values: string;
  readonly code: string | undefined;
  readonly #file: readonly [string, string];
  readonly #at: number;
  #data: CustomerData | undefined;

  constructor(
    key: string,
    shape: Shape,
    values: string,
    code: string | undefined,
    file: readonly [string, string],
    at: number,
    clear: string[] | undefined,
  ) {
    this.key = key;
    this.shape = shape;
    this.values = values;
    this.code = code;
    this.#file = file;
    this.#at = at;
    this.clear = clear;
  }

  get packed(): PackedData {
    return this;
  }

  get data(): CustomerData {
    this.#data ??= unpack(this);
    return this.#data;
  }

  get source(): string {
    const [file, kind] = this.#file;
    const at = this.#at;
    if (at < 0) return formatSource({ kind: 'file', file });
    return formatSource(
      kind === 'yaml'
        ? { kind: 'yaml', file, line: at, column: 0 }
        : { kind: 'csv', file, row: at },
    );
  }
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isShapePath(value: unknown): value is ShapePath {
  if (typeof value !== 'object' || value === null) return false;
  const field: unknown = Reflect.get(value, 'field');
  const key: unknown = Reflect.get(value, 'key');
  const empty: unknown = Reflect.get(value, 'empty');
  return (
    typeof field === 'string' &&
    (key === undefined || typeof key === 'string') &&
    typeof empty === 'boolean'
  );
}

function isShape(value: unknown): value is Shape {
  if (typeof value !== 'object' || value === null) return false;
  const paths: unknown = Reflect.get(value, 'paths');
  return Array.isArray(paths) && paths.every(isShapePath);
}

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

function isMeta(value: unknown): value is Meta {
  if (typeof value !== 'object' || value === null) return false;
  const get = (name: string): unknown => Reflect.get(value, name);
  const shapes = get('shapes');
  const codes = get('codes');
  const files = get('files');
  const clear = get('clear');
  return (
    Array.isArray(shapes) &&
    shapes.every(isShape) &&
    isStrings(get('keys')) &&
    Array.isArray(codes) &&
    codes.every((c) => c === null || c === 0 || typeof c === 'string') &&
    Array.isArray(files) &&
    files.every((f: unknown) => isStrings(f) && f.length === 2) &&
    isNumbers(get('fileOf')) &&
    isNumbers(get('at')) &&
    isNumbers(get('shapeOf')) &&
    Array.isArray(clear) &&
    clear.every(
      (c: unknown) =>
        Array.isArray(c) && c.length === 2 && typeof c[0] === 'number' && isStrings(c[1]),
    )
  );
}

export function decodeCustomers(encoded: EncodedCustomers): DesiredInput[] {
  const meta: unknown = encoded.meta;
  if (!isMeta(meta)) throw new Error('desired customers: malformed');
  const count = meta.keys.length;
  if (count === 0) return [];
  const values = encoded.values.split('\n');
  const parts = [values, meta.codes, meta.fileOf, meta.at, meta.shapeOf];
  if (parts.some((part) => part.length !== count))
    throw new Error('desired customers: the parts do not match');
  const clears = new Map(meta.clear);
  const out: DesiredInput[] = [];
  for (let i = 0; i < count; i++) {
    const key = meta.keys[i] ?? '';
    const shape = meta.shapes[meta.shapeOf[i] ?? -1];
    const file = meta.files[meta.fileOf[i] ?? -1];
    if (shape === undefined || file === undefined)
      throw new Error('desired customers: a record without its shape or file');
    const code = meta.codes[i];
    out.push(
      new PackedInput(
        key,
        shape,
        values[i] ?? '',
        code === null ? key : code === 0 ? undefined : code,
        file,
        meta.at[i] ?? -1,
        clears.get(i),
      ),
    );
  }
  return out;
}
