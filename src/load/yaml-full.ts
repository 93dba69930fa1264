/**
 * The fallback: the `yaml` package, for whatever the fast path does not cover, on one record's
 * slice of the text or on the whole file. Values are built from the AST by the same rules as the
 * fast path (every scalar text, core-schema nulls, null-prototype mappings, first duplicate wins)
 * so both paths give identical records, positions and problems.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type YAMLError,
  type YAMLSeq,
} from 'yaml';
import type { Problem } from './types.js';
import {
  aliasBomb,
  complexKey,
  duplicateKey,
  RESERVED_KEYS,
  reservedKey,
  unresolvedAlias,
  yamlPlace,
  type YamlPlace,
} from './yaml-problems.js';
import { joinPath, newMap, type Position, type YamlMap, type YamlValue } from './yaml-record.js';
import { syntaxProblems } from './yaml-errors.js';

/** How far aliases may multiply data: the package's own default, far above honest use. */
export const MAX_ALIAS_COUNT = 100;

export interface Parsed {
  doc: Document.Parsed;
  /** The file line the parsed text starts on. */
  firstLine: number;
  lines: LineCounter;
  text: string;
  file: string;
  /** Values of anchored nodes, shared by every alias to them (as the package's toJS does). */
  memo: Map<unknown, YamlValue>;
  /** Nodes being built, to catch an alias to its own ancestor. */
  busy: Set<unknown>;
}

/** Parses `text` (a slice of the file starting at a line start) with the package. */
export function parseSlice(file: string, text: string, firstLine: number): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    // failsafe keeps every scalar a string (no numbers, booleans, octal); the core `null` tag
    // is added back so that `~`, `null` and empty values mean "no value".
    schema: 'failsafe',
    customTags: ['null'],
    uniqueKeys: true,
    prettyErrors: false,
    // The package would print warnings through process.emitWarning; problems carry them instead.
    logLevel: 'error',
    lineCounter: lines,
  });
  return { doc, firstLine, lines, text, file, memo: new Map(), busy: new Set() };
}

export function placeAt(parsed: Parsed, offset: number): YamlPlace {
  const { line, col } = parsed.lines.linePos(offset);
  return yamlPlace(parsed.file, Math.max(line, 1) + parsed.firstLine - 1, line === 0 ? 1 : col);
}

/** Syntax errors (duplicate keys are left to the walker, which names both lines). */
export function errorsOf(parsed: Parsed): YAMLError[] {
  return parsed.doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
}

export function syntaxProblemsOf(parsed: Parsed): Problem[] {
  return syntaxProblems(errorsOf(parsed), parsed.text, (offset) => placeAt(parsed, offset));
}

/**
 * The package's own guard against "billion laughs": `toJS` counts alias expansions against
 * `maxAliasCount` and throws long before memory grows. Only documents with aliases pay for it.
 */
export function aliasProblem(parsed: Parsed): Problem | undefined {
  let first: number | undefined;
  visit(parsed.doc, {
    Alias(_key, node) {
      first = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  if (first === undefined) return undefined;
  try {
    parsed.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return undefined;
  } catch (error) {
    if (error instanceof ReferenceError && /excessive alias/i.test(error.message)) {
      return aliasBomb(placeAt(parsed, first));
    }
    // Unresolved aliases: the walker reports them where they are.
    return undefined;
  }
}

/** Builds values from AST nodes by the fast path's rules, recording key positions. */
export class Walker {
  readonly problems: Problem[] = [];
  unresolved = false;

  constructor(
    private readonly parsed: Parsed,
    private readonly positions: Map<string, Position> | null,
  ) {}

  value(node: unknown, path: string): YamlValue {
    if (isAlias(node)) {
      const target = node.resolve(this.parsed.doc);
      if (target === undefined || this.parsed.busy.has(target)) {
        this.unresolved = true;
        this.problems.push(unresolvedAlias(node.source, this.place(node.range?.[0] ?? 0)));
        return null;
      }
      // Aliases share the anchored value, as the package's toJS does; positions inside an alias
      // are those of the alias itself (its key), never a walk through the anchored node.
      const known = this.parsed.memo.get(target);
      if (known !== undefined) return known;
      const quiet = new Walker(this.parsed, null);
      const value = quiet.value(target, path);
      this.unresolved ||= quiet.unresolved;
      return value;
    }
    if (isScalar(node)) {
      const v = node.value;
      return typeof v === 'string' ? v : v === null || v === undefined ? null : String(v);
    }
    if (!isMap(node) && !isSeq(node)) return null;
    this.parsed.busy.add(node);
    const result = isMap(node) ? this.mapping(node.items, path) : this.sequence(node, path);
    this.parsed.busy.delete(node);
    if (node.anchor !== undefined) this.parsed.memo.set(node, result);
    return result;
  }

  private sequence(node: YAMLSeq, path: string): YamlValue[] {
    const items: YamlValue[] = [];
    for (const item of node.items) {
      const itemPath = this.positions === null ? '' : joinPath(path, String(items.length));
      if (this.positions !== null && isNodeWithRange(item)) {
        const at = node.flow === true ? item.range[0] : dashBefore(this.parsed.text, item.range[0]);
        this.positions.set(itemPath, this.position(at));
      }
      items.push(this.value(item, itemPath));
    }
    return items;
  }

  place(offset: number): YamlPlace {
    return placeAt(this.parsed, offset);
  }

  private position(offset: number): Position {
    const { line, column } = this.place(offset);
    return { line, column };
  }

  private mapping(pairs: readonly { key: unknown; value: unknown }[], path: string): YamlMap {
    const map = newMap();
    for (const pair of pairs) {
      const keyNode = pair.key;
      const at = isNodeWithRange(keyNode) ? keyNode.range[0] : 0;
      let key: string;
      if (keyNode === null || keyNode === undefined) key = '';
      else if (isScalar(keyNode)) {
        key = typeof keyNode.value === 'string' ? keyNode.value : (keyNode.source ?? '');
      } else {
        this.problems.push(complexKey(this.place(at)));
        continue;
      }
      const place = this.place(at);
      const keyPath = this.positions === null ? '' : joinPath(path, key);
      if (this.positions !== null && !this.positions.has(keyPath)) {
        this.positions.set(keyPath, { line: place.line, column: place.column });
      }
      const value = this.value(pair.value, keyPath);
      if (RESERVED_KEYS.has(key)) {
        if (this.positions !== null) this.problems.push(reservedKey(key, keyPath, place));
      } else if (key in map) {
        const first = this.positions?.get(keyPath)?.line ?? place.line;
        if (this.positions !== null) this.problems.push(duplicateKey(key, keyPath, place, first));
      } else {
        map[key] = value;
      }
    }
    return map;
  }
}

export function isNodeWithRange(node: unknown): node is { range: [number, number, number] } {
  return (
    typeof node === 'object' &&
    node !== null &&
    'range' in node &&
    Array.isArray(node.range) &&
    typeof node.range[0] === 'number'
  );
}

/**
 * The `-` of the block sequence item whose node starts at `offset`: the AST keeps only the
 * node's range, and places name the `-` as the fast path does. Looks back over the node's line
 * and then over blank or comment lines (`-  # note` with the value below).
 */
export function dashBefore(text: string, offset: number): number {
  const blank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  let end = offset;
  let start = text.lastIndexOf('\n', end - 1) + 1;
  for (;;) {
    let i = start;
    while (i < end && blank(text[i])) i++;
    let dash = -1;
    while (i < end && text[i] === '-' && blank(text[i + 1] ?? '\n')) {
      dash = i++;
      while (i < end && blank(text[i])) i++;
    }
    if (dash >= 0) return dash;
    if ((i < end && text[i] !== '#') || start === 0) return offset;
    end = start - 1;
    start = text.lastIndexOf('\n', end - 1) + 1;
  }
}
