/**
 * Thousands of generated customers files, loaded by the project's loader and by the `yaml`
 * package itself (`parseDocument`, failsafe schema plus the core `null`: every scalar is text),
 * must give the same records: the same values, each record at its `-` and every key at its place
 * as the package's syntax tree has them. A file the package refuses must be refused; a file the
 * project refuses while the package reads it must break one of the project's own documented
 * rules (no `__proto__`-like keys, a customer is a mapping, ...), and the other records still load.
 *
 * The generator (seeded, so a failure repeats) mixes what people write by hand and what tools
 * write: plain, double- and single-quoted scalars with escapes, block scalars, multi-line plain
 * and quoted values, flow mappings and sequences, anchors and aliases, comments everywhere,
 * unicode, numbers and booleans that stay text, empty values, odd indentation, CRLF; one file in
 * eight gets one of the mistakes people make (tabs, a missing `:`, an unclosed quote, ...).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type YAMLSeq,
} from 'yaml';
import { mulberry32 } from '../../src/core/random.js';
import { formatPlace, type LoadResult } from '../../src/load/types.js';
import { loadYaml } from '../../src/load/yaml.js';

const DOCUMENTS = 3000;
const SEED = 20_261_202;

/** Refusals that are the project's rules, not YAML's (see yaml-problems.ts). */
const PROJECT_RULES = new Set([
  'reserved-key',
  'record-not-a-mapping',
  'yaml-complex-key',
  'yaml-alias-bomb',
  'customers-not-a-list',
  'missing-customers',
  'yaml-top-level',
  'empty-file',
]);
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

class Gen {
  private anchors = 0;
  /** Anchors of the record being written, usable by an alias after them. */
  scalarAnchors: string[] = [];
  mapAnchors: string[] = [];

  constructor(private readonly rand: () => number) {}

  int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  chance(p: number): boolean {
    return this.rand() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  anchor(): string {
    return `a${++this.anchors}`;
  }
}

/** Plain in block context (some end in a comment, some only look like numbers or booleans). */
const PLAIN = [
  'Ada Lovelace',
  'José Núñez',
  'Zoë',
  "Dennis O'Brien",
  'Allen & Co',
  '007',
  '0412345678',
  '1e3',
  '0x1F',
  '0o17',
  '.inf',
  '-.NaN',
  '-1',
  '+14165550123',
  '1_000',
  '12:30:00',
  '2025-04-10',
  'true',
  'yes',
  'Off',
  'nULL',
  'none',
  'a#b',
  'x #y',
  'http://example.com/a?b=c',
  'café ☕',
  '北京市',
  '😀 smile',
  'M5V 2T6',
  'Unit 4, 2nd floor',
  'a:b',
  '50%',
  'C:\\temp',
  'tab\there',
  'trailing   ',
  '-dash',
  '?question',
];
/** Plain in flow context too: none of `,[]{}#` nor `: `. */
const PLAIN_FLOW = PLAIN.filter((p) => !/[,[\]{}#]|: |^[-?]/.test(p));
const NULLS = ['', '~', 'null', 'Null', 'NULL'];
/** Any text: written quoted. */
const TEXT = [
  ...PLAIN,
  'a: b',
  '   padded   ',
  '',
  'null',
  '~',
  '- dash',
  '[bracket]',
  '{brace}',
  '&amp',
  '*star',
  '!bang',
  '|pipe',
  '>gt',
  '%pct',
  '@at',
  '`tick`',
  'two\nlines',
  'quote " and \\ backslash',
  "single ' quote",
  'e\u0301',
  'line\u2028sep',
  '\u00a0nbsp',
];
const DQ_ESCAPES = [
  '\\x41',
  '\\u00e9',
  '\\U0001F600',
  '\\_',
  '\\N',
  '\\e',
  '\\0',
  '\\/',
  '\\ ',
  '\\t',
  '\\L',
];
const ADDRESS_KEYS = [
  'name',
  'street1',
  'street2',
  'city',
  'province',
  'country',
  'postalCode',
  'phone',
  'email',
];
const EXTRA_KEYS = ['notes', 'x-extra', 'Ünïcødé', 'with space', '123', 'a.b', 'a/b', 'k~1'];

function doubleQuoted(g: Gen, text: string): string {
  let body = JSON.stringify(text).slice(1, -1);
  if (g.chance(0.3)) body += g.pick(DQ_ESCAPES);
  return `"${body}"`;
}

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A flow scalar over several lines, continued at `cont` (more than the key's indentation). */
function multiLine(text: string, cont: string): string {
  return text.split('\n').join(`\n${cont}`);
}

/** The rest of a `key:` line for a scalar, possibly over more lines; `ind` is the key's. */
function scalarValue(g: Gen, ind: number): string {
  const cont = ' '.repeat(ind + 1 + g.int(3));
  const comment = g.chance(0.1) ? ' # note' : '';
  switch (g.int(14)) {
    case 0:
    case 1:
    case 2:
      return ` ${g.pick(PLAIN)}${comment}`;
    case 3:
      return ` ${g.pick(NULLS)}${comment}`.trimEnd();
    case 4:
    case 5:
      return ` ${multiLine(doubleQuoted(g, g.pick(TEXT)), cont)}${comment}`;
    case 6:
    case 7:
      return ` ${multiLine(singleQuoted(g.pick(TEXT)), cont)}${comment}`;
    case 8: {
      const header = g.pick(['|', '>', '|-', '>-', '|+', '>+']);
      const lines = [`${header}${g.chance(0.2) ? ' # block' : ''}`];
      for (let n = 1 + g.int(3); n > 0; n--) {
        if (g.chance(0.15)) lines.push('');
        const text = g.pick(PLAIN).trimEnd();
        lines.push(`${cont}${g.chance(0.15) ? '  ' : ''}${text}`);
      }
      return ` ${lines.join('\n')}`;
    }
    case 9:
      return ` ${g.pick(PLAIN_FLOW)}\n${cont}${g.pick(PLAIN_FLOW)}`;
    case 10: {
      const name = g.anchor();
      g.scalarAnchors.push(name);
      return ` &${name} ${g.chance(0.5) ? g.pick(PLAIN) : doubleQuoted(g, g.pick(TEXT))}`;
    }
    case 11:
      return g.scalarAnchors.length > 0
        ? ` *${g.pick(g.scalarAnchors)}${comment}`
        : ` ${g.pick(PLAIN)}`;
    case 12:
      return ` !!str ${g.pick(PLAIN_FLOW)}`;
    default:
      return ` ${g.pick(['0123', '-0', '1.50', '+1', '1e-3', 'TRUE', 'no', 'y', '~x'])}${comment}`;
  }
}

function flowScalar(g: Gen): string {
  switch (g.int(4)) {
    case 0:
      return doubleQuoted(g, g.pick(TEXT));
    case 1:
      return singleQuoted(g.pick(TEXT));
    default:
      return g.pick(PLAIN_FLOW);
  }
}

function keyText(g: Gen, key: string): string {
  if (/^[\w-]+$/.test(key) && g.chance(0.9)) return key;
  return g.chance(0.5) ? JSON.stringify(key) : singleQuoted(key);
}

/** Lines for `key: value` pairs at indentation `ind`; the first may go after a prefix. */
function mappingLines(g: Gen, ind: number, keys: readonly string[], depth: number): string[] {
  const lines: string[] = [];
  const pad = ' '.repeat(ind);
  for (const key of keys) {
    if (lines.length > 0 && g.chance(0.05)) lines.push(`${' '.repeat(g.int(8))}# between`);
    if (lines.length > 0 && g.chance(0.04)) lines.push('');
    const k = keyText(g, key);
    const nested = depth === 0 && /Address$|^notes$/.test(key);
    if (nested && key === 'notes') lines.push(...listLines(g, `${pad}${k}:`, ind));
    else if (nested) lines.push(...addressLines(g, `${pad}${k}:`, ind));
    else lines.push(`${pad}${k}:${scalarValue(g, ind)}`);
  }
  return lines.flatMap((l) => l.split('\n'));
}

function addressLines(g: Gen, head: string, ind: number): string[] {
  const keys = ADDRESS_KEYS.filter(() => g.chance(0.4));
  switch (g.int(8)) {
    case 0: {
      const pairs = keys.map((k) => `${k}: ${flowScalar(g)}`);
      return [`${head} {${pairs.join(', ')}}`];
    }
    case 1:
      return [`${head}${g.chance(0.5) ? '' : ' ~'}`];
    case 2:
      if (g.mapAnchors.length > 0) return [`${head} *${g.pick(g.mapAnchors)}`];
      break;
    case 3: {
      const name = g.anchor();
      const lines = [`${head} &${name}`, ...mappingLines(g, ind + 2, ['name', 'city'], 1)];
      g.mapAnchors.push(name);
      return lines;
    }
    default:
      break;
  }
  const step = g.pick([1, 2, 2, 2, 3, 4]);
  return [`${head}${g.chance(0.1) ? ' # address' : ''}`, ...mappingLines(g, ind + step, keys, 1)];
}

function listLines(g: Gen, head: string, ind: number): string[] {
  if (g.chance(0.3)) {
    const items = Array.from({ length: g.int(4) }, () => flowScalar(g));
    return [`${head} [${items.join(', ')}]`];
  }
  const pad = ' '.repeat(ind + (g.chance(0.5) ? 0 : 2));
  const lines = [head];
  for (let n = 1 + g.int(3); n > 0; n--) {
    switch (g.int(5)) {
      case 0:
        lines.push(`${pad}-`);
        break;
      case 1:
        lines.push(`${pad}- - ${flowScalar(g)}`);
        break;
      case 2:
        lines.push(`${pad}- deep: ${flowScalar(g)}`, `${pad}  more: ${flowScalar(g)}`);
        break;
      default:
        lines.push(`${pad}- ${flowScalar(g)}`);
    }
  }
  return lines;
}

const MISTAKES = [
  'tab',
  'duplicate',
  'reserved',
  'unclosed',
  'missing-colon',
  'tight-colon',
  'indent',
  'colon-in-value',
  'unknown-alias',
  'not-a-mapping',
] as const;
type Mistake = (typeof MISTAKES)[number];

/** Valid YAML that is rare in customer files, and where YAML parsers tend to differ. */
function oddity(g: Gen, pad: string): string[] {
  switch (g.int(19)) {
    case 0:
      return [`${pad}? explicit`, `${pad}: key`];
    case 1:
      return [`${pad}[a, b]: flow list key`];
    case 2:
      return [`${pad}{a: 1}: flow mapping key`];
    case 3:
      return [`${pad}~: tilde key`];
    case 4:
      return [`${pad}Null: null key`];
    case 5:
      return [`${pad}${'k'.repeat(300)}: long key`];
    case 6:
      return [`${pad}${'k'.repeat(1100)}: too long a key`];
    case 7:
      return [`${pad}<<: {merged: yes}`];
    case 8:
      return [
        `${pad}odd: ${g.pick(['!!int 5', '!custom x', '!!binary aGk=', '!!str', '!!null ""'])}`,
      ];
    case 9:
      return [`${pad}odd:\tafter a tab`];
    case 10:
      return [`${pad}"a: b": quoted key with a colon`];
    case 11:
      return [`${pad}spaced key   : value`];
    case 12:
      return [`${pad}odd: {a: x,`, `${pad}  b: y}`];
    case 13:
      return [`${pad}odd: |2`, `${pad}    two more`, `${pad}   one more`];
    case 14:
      return [`${pad}odd: &list [a, b]`, `${pad}again: *list`];
    case 15:
      return [`${pad}odd: ${g.pick(['@at', '%pct', '`tick', '|x', '>x'])}`];
    case 16:
      return [`${pad}odd: a\t# a tab before a comment`];
    case 17:
      return [`${pad}odd: "escape \\${g.pick(['q', 'x4', 'u12', 'U1234567'])}"`];
    default:
      return [`${pad}odd: --- not a document marker`];
  }
}

function record(g: Gen, dash: number, mistake: Mistake | undefined): string[] {
  g.scalarAnchors = [];
  g.mapAnchors = [];
  const pad = ' '.repeat(dash);
  if (mistake === 'not-a-mapping') {
    return [`${pad}${g.pick(['- just a string', '-', '- - a', '- [a, b]', '- ~'])}`];
  }
  const keys = ['customerCode', 'contactName'];
  for (const extra of ['businessName', 'cellPhone', 'billingAddress', 'shippingAddress']) {
    if (g.chance(0.5)) keys.push(extra);
  }
  if (g.chance(0.2)) keys.push(g.pick(EXTRA_KEYS));
  if (g.chance(0.1)) keys.push('notes');
  const style = g.int(10);
  const ind = style === 0 ? dash + 4 : dash + 2;
  const body = mappingLines(g, ind, [...new Set(keys)], 0);
  const fieldPad = ' '.repeat(ind);
  switch (mistake) {
    case 'tab':
      body.push(`\t${fieldPad.slice(1)}contactName2: Tabbed`);
      break;
    case 'duplicate':
      body.push(`${fieldPad}contactName: Again`);
      break;
    case 'reserved':
      body.push(`${fieldPad}${g.pick([...RESERVED])}: x`);
      break;
    case 'unclosed':
      body.push(`${fieldPad}note: ${g.pick(['"Grace Hopper', "'Grace Hopper"])}`);
      break;
    case 'missing-colon':
      body.push(`${fieldPad}note Ada Lovelace`);
      break;
    case 'tight-colon':
      body.push(`${fieldPad}note:Ada`);
      break;
    case 'indent':
      body.push(`${fieldPad}${g.pick([' ', '   ', ''])}note: x`, `${fieldPad} more: y`);
      break;
    case 'colon-in-value':
      body.push(`${fieldPad}note: Alan: Turing`);
      break;
    case 'unknown-alias':
      body.push(`${fieldPad}note: *nowhere`);
      break;
    default:
      break;
  }
  if (g.chance(0.06)) body.push(...oddity(g, fieldPad));
  const [first = '', ...rest] = body;
  const firstField = first.slice(ind);
  if (style === 0) return [`${pad}-   ${firstField}`, ...rest];
  if (style === 1) return [`${pad}-${g.chance(0.5) ? ' # the next one' : ''}`, ...body];
  if (style === 2 && g.chance(0.3)) return [`${pad}-\t${firstField}`, ...rest];
  return [`${pad}- ${firstField}`, ...rest];
}

function generateDocument(g: Gen): string {
  const lines: string[] = [];
  if (g.chance(0.3)) lines.push('# customers, generated', '');
  if (g.chance(0.1)) lines.push('version: 1');
  const shape = g.int(50);
  if (shape === 0) lines.push('customers: []');
  else if (shape === 1) lines.push('customers:', '# none yet');
  else if (shape === 2) lines.push(`customers: ${g.pick(PLAIN_FLOW)}`);
  else {
    lines.push(`customers:${g.chance(0.2) ? ' # the list' : ''}`);
    const dash = g.pick([0, 2, 2, 2, 4]);
    const mistakeAt = g.chance(0.125) ? g.int(4) : -1;
    const count = 1 + g.int(4);
    for (let i = 0; i < count; i++) {
      if (g.chance(0.05)) lines.push('');
      lines.push(...record(g, dash, i === mistakeAt ? g.pick(MISTAKES) : undefined));
    }
  }
  if (g.chance(0.05)) lines.push('defaults:', '  country: CAN');
  const eol = g.chance(0.2) ? '\r\n' : '\n';
  return lines.join(eol) + (g.chance(0.9) ? eol : '');
}

// The reference.

interface Reference {
  doc: Document.Parsed;
  lines: LineCounter;
}

function reference(text: string): Reference {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    schema: 'failsafe',
    customTags: ['null'],
    uniqueKeys: true,
    keepSourceTokens: true,
    lineCounter: lines,
    prettyErrors: false,
    logLevel: 'silent',
  });
  return { doc, lines };
}

function placeOf(ref: Reference, name: string, offset: number): string {
  const { line, col } = ref.lines.linePos(offset);
  return `${name}:${line}:${col}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A value as the package reads it, by the project's documented rules: scalars are the package's
 * (text, or null for `~`, `null` and empty), aliases are what they name, keys are text as
 * written (`~:` is the key "~"), and the entries the project refuses are left out: reserved keys
 * and keys that are lists or mappings. Otherwise this is the package's `toJS`.
 */
function expectedValue(node: unknown, doc: Document.Parsed, depth = 0): unknown {
  if (depth > 100) throw new Error('aliases nest too deep');
  if (isAlias(node)) return expectedValue(node.resolve(doc), doc, depth + 1);
  if (isScalar(node))
    return node.value === null || node.value === undefined ? null : String(node.value);
  if (isSeq(node)) return node.items.map((item) => expectedValue(item, doc, depth + 1));
  if (!isMap(node)) return null;
  const out: Record<string, unknown> = {};
  for (const pair of node.items) {
    const key = pair.key;
    if (!isScalar(key)) continue;
    const text = typeof key.value === 'string' ? key.value : (key.source ?? '');
    if (RESERVED.has(text) || Object.hasOwn(out, text)) continue;
    out[text] = expectedValue(pair.value, doc, depth + 1);
  }
  return out;
}

function plain(value: unknown): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(value));
  return copy;
}

function pointer(path: readonly string[]): string {
  return '/' + path.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** Every key's place (and every list item's `-`) in a record, as the package's tree has them. */
function keyPlaces(
  ref: Reference,
  name: string,
  node: unknown,
  path: string[],
  out: Map<string, string>,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key) || key.range == null) continue;
      const text = typeof key.value === 'string' ? key.value : (key.source ?? '');
      if (RESERVED.has(text) || out.has(pointer([...path, text]))) continue;
      const keyPath = [...path, text];
      out.set(pointer(keyPath), placeOf(ref, name, key.range[0]));
      if (!isAlias(pair.value)) keyPlaces(ref, name, pair.value, keyPath, out);
    }
  } else if (isSeq(node)) {
    itemPlaces(ref, name, node, path, out);
  }
}

/** The offsets of a sequence's items as places name them: the `-` of a block item. */
function itemOffsets(seq: YAMLSeq): (number | undefined)[] {
  const token = seq.srcToken;
  if (token?.type === 'block-seq' && token.items.length === seq.items.length) {
    return token.items.map((item) => item.start.find((t) => t.type === 'seq-item-ind')?.offset);
  }
  if (token?.type === 'flow-collection') {
    return seq.items.map((item) =>
      isScalar(item) || isMap(item) || isSeq(item) ? item.range?.[0] : undefined,
    );
  }
  return seq.items.map(() => undefined);
}

function itemPlaces(
  ref: Reference,
  name: string,
  seq: YAMLSeq,
  path: string[],
  out: Map<string, string>,
): void {
  const offsets = itemOffsets(seq);
  seq.items.forEach((item, i) => {
    const itemPath = [...path, String(i)];
    const offset = offsets[i];
    if (offset !== undefined) out.set(pointer(itemPath), placeOf(ref, name, offset));
    if (!isAlias(item)) keyPlaces(ref, name, item, itemPath, out);
  });
}

interface Stats {
  documents: number;
  /** Read by the package and by the project without a refusal. */
  same: number;
  /** Records compared value by value (and key by key for places). */
  records: number;
  places: number;
  /** Refused by both. */
  refusedByBoth: number;
  /** Read by the package, refused in part by one of the project's rules. */
  projectRules: number;
}

function check(name: string, text: string, stats: Stats): void {
  stats.documents++;
  const ours: LoadResult = loadYaml(name, text);
  const ref = reference(text);
  const errors = ours.problems.filter((p) => p.severity === 'error');
  const context = `${name} (${JSON.stringify(text)}):\n${text}`;
  // The package refuses with errors, or when the value is built (an alias to no anchor).
  let value: unknown;
  let refusal = ref.doc.errors[0]?.message;
  try {
    value = ref.doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    refusal ??= error instanceof Error ? error.message : String(error);
  }
  if (refusal !== undefined) {
    assert.ok(
      errors.length > 0,
      `the yaml package refuses it (${refusal}), the loader did not: ${context}`,
    );
    stats.refusedByBoth++;
    return;
  }
  for (const p of errors) {
    assert.ok(
      PROJECT_RULES.has(p.code),
      `refused (${p.code} at ${formatPlace(p.place)}: ${p.message}) though the yaml package reads it: ${context}`,
    );
  }
  if (errors.length > 0) stats.projectRules++;
  else stats.same++;
  const root = ref.doc.contents;
  const seq = isMap(root) ? root.get('customers', true) : undefined;
  const list = isPlainObject(value) && isSeq(seq) ? expectedValue(seq, ref.doc) : undefined;
  if (!isSeq(seq) || !Array.isArray(list)) {
    assert.deepEqual(
      ours.records,
      [],
      `records from a file without a list of customers: ${context}`,
    );
    return;
  }
  const dashes = itemOffsets(seq);
  const expected = list.flatMap((item: unknown, i) =>
    isPlainObject(item) ? [{ value: item, node: seq.items[i], dash: dashes[i] }] : [],
  );
  assert.deepEqual(
    ours.records.map((r) => plain(r.value)),
    expected.map((e) => plain(e.value)),
    `values differ: ${context}`,
  );
  expected.forEach((e, i) => {
    const record = ours.records[i];
    if (record === undefined) return;
    stats.records++;
    if (e.dash !== undefined) {
      assert.equal(
        formatPlace(record.place),
        placeOf(ref, name, e.dash),
        `record ${i}: ${context}`,
      );
    }
    if (isAlias(e.node)) return;
    const places = new Map<string, string>();
    keyPlaces(ref, name, e.node, [], places);
    for (const [path, place] of places) {
      stats.places++;
      assert.equal(formatPlace(record.locate(path)), place, `record ${i}, ${path}: ${context}`);
    }
  });
}

test(`${DOCUMENTS} generated customers files load as the yaml package reads them`, (t) => {
  const started = performance.now();
  const g = new Gen(mulberry32(SEED));
  const stats: Stats = {
    documents: 0,
    same: 0,
    records: 0,
    places: 0,
    refusedByBoth: 0,
    projectRules: 0,
  };
  for (let n = 0; n < DOCUMENTS; n++) check(`gen-${n}.yaml`, generateDocument(g), stats);
  t.diagnostic(`${JSON.stringify(stats)} in ${Math.round(performance.now() - started)} ms`);
  // The comparison means something only if most files load and each kind of outcome occurs.
  assert.ok(stats.same > DOCUMENTS * 0.7, `only ${stats.same} files loaded without refusal`);
  assert.ok(stats.refusedByBoth > 100, `only ${stats.refusedByBoth} files refused by both`);
  assert.ok(stats.projectRules > 20, `only ${stats.projectRules} files broke a project rule`);
});
