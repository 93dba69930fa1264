/**
 * One customer, or one ignored top-level entry, read by js-yaml: the common case, many times
 * faster than the `yaml` package's document model. Values follow the loader's rules: the
 * failsafe schema keeps every scalar text, the core `null` is added back (`~`, `null`, empty),
 * and mappings are moved onto the loader's prototype-free object (yaml-record.ts). What needs
 * the project's own words or places is refused here and read again by the `yaml` package
 * (yaml-document.ts): syntax errors (with a diagnosis), duplicate and reserved keys, an alias to
 * a mapping or list (js-yaml shares them; the package counts their expansion, "billion laughs"),
 * and keys the two packages read differently.
 */
import { FAILSAFE_SCHEMA, load, Type, YAMLException, type LoadOptions } from 'js-yaml';
import { diagnose, type Diagnosis } from './yaml-diagnose.js';
import { RESERVED_KEYS } from './yaml-problems.js';
import { newMap, type YamlValue } from './yaml-record.js';

const NULL = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    data === null || data === '~' || data === 'null' || data === 'Null' || data === 'NULL',
  construct: () => null,
});

const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [NULL] });

type Listener = NonNullable<LoadOptions['listener']>;

/** js-yaml's `load` with the loader's schema; `listener` sees each node open and close. */
export function readJsYaml(text: string, listener?: Listener): unknown {
  return load(text, listener === undefined ? { schema: SCHEMA } : { schema: SCHEMA, listener });
}

/** Lines `text[start, end)`, the first of them line `firstLine` of the file. */
export interface Span {
  start: number;
  end: number;
  firstLine: number;
}

/** What js-yaml made of a span: the value, or a refusal with a likely explanation. */
export type Read = { ok: true; value: YamlValue } | { ok: false; diagnosis?: Diagnosis };

/**
 * A key that may not be text: an explicit `? key`, or a flow list or mapping used as a key.
 * js-yaml turns such keys into text; the project refuses them, placed by the package's reading.
 */
const COMPLEX_KEY = /(?:^|[\s,[{])\?(?:[ \t]|$)|[\]}][ \t]*:(?:[ \t]|$)/m;

/** Keys longer than this go to the package, which refuses implicit keys over 1024 characters. */
const MAX_KEY = 256;

/** A span holding one block sequence item: one customer. */
export function readItem(text: string, span: Span): Read {
  const slice = text.slice(span.start, span.end);
  let doc: unknown;
  try {
    doc = readJsYaml(slice);
  } catch (error) {
    return refusal(slice, span.firstLine, error);
  }
  if (!Array.isArray(doc) || doc.length !== 1) return { ok: false };
  const value: unknown = doc[0];
  if (/[?\]}]/.test(slice) && COMPLEX_KEY.test(slice)) return { ok: false };
  seen.clear();
  return adopt(value) ? { ok: true, value } : { ok: false };
}

/** A top-level entry that is ignored: only whether it is valid YAML matters. */
export function checkEntry(text: string, span: Span): Read {
  const slice = text.slice(span.start, span.end);
  try {
    readJsYaml(slice);
    return { ok: true, value: null };
  } catch (error) {
    return refusal(slice, span.firstLine, error);
  }
}

/** Reads the refused slice again, following its nodes, to say where and why it stopped. */
function refusal(slice: string, firstLine: number, error: unknown): Read {
  if (!(error instanceof YAMLException)) return { ok: false };
  const open: number[] = [];
  let closed = -1;
  try {
    readJsYaml(slice, (event, state) => {
      if (event === 'open') open.push(state.position);
      else closed = open.pop() ?? -1;
    });
  } catch {
    // The same stop again: `open` and `closed` now say where it was.
  }
  const diagnosis = diagnose(slice, firstLine, {
    reason: error.reason,
    line: error.mark.line,
    open,
    closed,
  });
  return diagnosis === undefined ? { ok: false } : { ok: false, diagnosis };
}

const MAP_PROTOTYPE: object | null = Object.getPrototypeOf(newMap());
/** Lists met in the value being adopted: one met twice is an alias. */
const seen = new Set<unknown>();

/**
 * Whether js-yaml's `value` keeps to the loader's rules, moving its mappings onto the loader's
 * prototype on the way (in place: a copy of 100,000 records costs more than reading them). A
 * mapping met again already has that prototype: it is an alias.
 */
function adopt(value: unknown): value is YamlValue {
  if (typeof value === 'string' || value === null) return true;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    if (seen.has(value)) return false;
    seen.add(value);
    return value.every(adopt);
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    // `~:` and `null:` keys: js-yaml makes them "null", the package keeps them as written.
    if (RESERVED_KEYS.has(key) || key === 'null' || key.length > MAX_KEY) return false;
    if (!adopt(Reflect.get(value, key))) return false;
  }
  Object.setPrototypeOf(value, MAP_PROTOTYPE);
  return true;
}
