/**
 * Desired customers as they cross from the loading worker to the planning thread. Each record's
 * data goes packed (plan/packed.ts): the paths it sets, as one of a few shapes shared by the
 * records, and its values as one text; keys, codes and sources go as plain arrays, copied by
 * the message itself (no JSON to write and read again). The
 * planning thread then builds no object per record: it compares a record's line of the message
 * with the values a remote customer has at the same paths, and unpacks the data only of a
 * record that differs (a few of 100,000), where parsing 100,000 records' fields into objects
 * used to be most of what the big plan waited on once the files were loaded.
 */
import { textOf, type CustomerData } from '../core/customer.js';
import type { FieldList } from '../core/fields.js';
import { formatSource } from '../load/types.js';
import {
  encodeValues,
  holdsValuesIn,
  pack,
  packValues,
  shapeOf,
  unpack,
  type PackedData,
  type Shape,
  type ShapePath,
} from '../plan/packed.js';
import type { DesiredBatch, DesiredInput } from '../plan/types.js';
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
 * A record as the planner reads it, built only for the few it needs whole (a change, a
 * conflict; see `PackedBatch`): its data unpacked, and its source written, on first read. It is
 * its own packed data.
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

/**
 * The records of a message, read in place: a record's values are its line of the message's text
 * (found by offset, not cut out), and its `DesiredInput` is built only when the plan asks.
 */
class PackedBatch implements DesiredBatch {
  readonly length: number;
  readonly #meta: Meta;
  readonly #text: string;
  /** Where each record's line starts; one more entry, past the end of the last. */
  readonly #starts: Int32Array;
  readonly #clears: Map<number, string[]>;
  readonly #made = new Map<number, PackedInput>();

  constructor(meta: Meta, text: string) {
    const count = meta.keys.length;
    const parts = [meta.codes, meta.fileOf, meta.at, meta.shapeOf];
    if (parts.some((part) => part.length !== count))
      throw new Error('desired customers: the parts do not match');
    const starts = new Int32Array(count + 1);
    let at = 0;
    for (let i = 1; i <= count; i++) {
      const next = text.indexOf('\n', at);
      // The last line ends the text; any other, at a line break.
      const end = i === count ? text.length : next;
      if (end < 0 || (i === count && next >= 0))
        throw new Error('desired customers: the lines do not match the records');
      at = end + 1;
      starts[i] = at;
    }
    for (let i = 0; i < count; i++)
      if (
        meta.shapes[meta.shapeOf[i] ?? -1] === undefined ||
        meta.files[meta.fileOf[i] ?? -1] === undefined
      )
        throw new Error('desired customers: a record without its shape or file');
    this.length = count;
    this.#meta = meta;
    this.#text = text;
    this.#starts = starts;
    this.#clears = new Map(meta.clear);
  }

  key(i: number): string {
    return this.#meta.keys[i] ?? '';
  }

  code(i: number): string | undefined {
    const code = this.#meta.codes[i];
    return code === null ? this.key(i) : code === 0 ? undefined : code;
  }

  packed(i: number): boolean {
    return this.#clears.size === 0 || !this.#clears.has(i);
  }

  holds(i: number, remote: CustomerData): boolean {
    const shape = this.#meta.shapes[this.#meta.shapeOf[i] ?? -1];
    if (shape === undefined || !this.packed(i)) return false;
    const start = this.#starts[i] ?? 0;
    const end = (this.#starts[i + 1] ?? 0) - 1;
    return holdsValuesIn(shape, remote, this.#text, start, end);
  }

  record(i: number): DesiredInput {
    let made = this.#made.get(i);
    if (made === undefined) {
      const meta = this.#meta;
      const shape = meta.shapes[meta.shapeOf[i] ?? -1];
      const file = meta.files[meta.fileOf[i] ?? -1];
      if (shape === undefined || file === undefined || i < 0 || i >= this.length)
        throw new Error(`desired customers: no record ${i}`);
      const start = this.#starts[i] ?? 0;
      const end = (this.#starts[i + 1] ?? 0) - 1;
      made = new PackedInput(
        this.key(i),
        shape,
        this.#text.slice(start, end),
        this.code(i),
        file,
        meta.at[i] ?? -1,
        this.#clears.get(i),
      );
      this.#made.set(i, made);
    }
    return made;
  }
}

/** The records of a message (see `PackedBatch`). */
export function decodeBatch(encoded: EncodedCustomers): DesiredBatch {
  const meta: unknown = encoded.meta;
  if (!isMeta(meta)) throw new Error('desired customers: malformed');
  return new PackedBatch(meta, encoded.values);
}

/** Every record of a message, built. */
export function decodeCustomers(encoded: EncodedCustomers): DesiredInput[] {
  const batch = decodeBatch(encoded);
  return Array.from({ length: batch.length }, (_, i) => batch.record(i));
}
