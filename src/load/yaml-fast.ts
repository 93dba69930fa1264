/**
 * The fast path: a hand-written parser for the block YAML that customer files are made of
 * (mappings and sequences by indentation, single-line plain and quoted scalars, comments, blank
 * lines, CRLF). Whatever it does not fully understand throws `Unsupported` and the caller hands
 * that record to the `yaml` package, so correctness never rests on this file.
 *
 * It runs in two modes: untracked (the hot path: values only, no paths, no problems) and tracked
 * (positions of every key, plus the problems that need them). An untracked parse that meets a
 * duplicate or reserved key just sets `needsTracking`, and the caller parses that record again.
 */
import type { Problem } from './types.js';
import { KeyTable } from './yaml-keys.js';
import {
  HASH,
  LineKind,
  type LineReader,
  isBlankChar,
  isDashAt,
  skipBlanks,
} from './yaml-lines.js';
import { duplicateKey, RESERVED_KEYS, reservedKey, shown, yamlPlace } from './yaml-problems.js';
import { joinPath, newMap, type Position, type YamlMap, type YamlValue } from './yaml-record.js';
import {
  decodeDoubleQuoted,
  decodeSingleQuoted,
  isIndicatorStart,
  isNullPlain,
  PLAIN_HAS_COLON,
  plainEnd,
} from './yaml-scalar.js';

/** A likely explanation, shown only if the full parser then finds the record invalid. */
export interface Diagnosis {
  message: string;
  hint: string;
  line: number;
  column: number;
}

/** Thrown where the fast path stops; `diagnosis` says why when it looks like a mistake. */
export class Unsupported extends Error {
  constructor(readonly diagnosis?: Diagnosis) {
    super(diagnosis?.message ?? 'outside the fast YAML subset');
  }
}

interface Key {
  key: string;
  reserved: boolean;
  /** Offset just past the `:`. */
  after: number;
}

const MAX_PLAIN_KEY = 1024;

export class FastParser {
  readonly positions: Map<string, Position> | null;
  readonly problems: Problem[] = [];
  needsTracking = false;
  private readonly text: string;

  constructor(
    private readonly r: LineReader,
    private readonly file: string,
    track: boolean,
    private readonly keys: KeyTable = new KeyTable(),
  ) {
    this.text = r.text;
    this.positions = track ? new Map() : null;
  }

  /** Moves to the next content line; a tab in its indentation ends the fast path. */
  nextContent(): void {
    const r = this.r;
    r.advance();
    r.skipBlank();
    this.checkTab();
  }

  checkTab(): void {
    const r = this.r;
    if (r.kind === LineKind.Content && r.tabAt >= 0) {
      throw new Unsupported({
        message: 'a tab is used for indentation',
        hint: 'YAML indentation must be spaces: replace the tab with spaces',
        line: r.line,
        column: r.column(r.tabAt),
      });
    }
  }

  /** A block sequence item; the current line's content is its `-`, at column `dashIndent + 1`. */
  parseItem(dashIndent: number, path: string): YamlValue {
    const r = this.r;
    const text = this.text;
    const dashAt = r.content;
    const line = r.line;
    if (this.positions !== null && path !== '') {
      this.positions.set(path, { line: r.line, column: r.column(dashAt) });
    }
    const p = skipBlanks(text, dashAt + 1, r.end);
    if (text.slice(dashAt + 1, p).includes('\t')) throw new Unsupported();
    let value: YamlValue;
    if (p >= r.end || text.charCodeAt(p) === HASH) {
      this.nextContent();
      value = r.kind === LineKind.Content && r.indent > dashIndent ? this.parseNode(path) : null;
    } else if (isDashAt(text, p, r.end)) {
      throw new Unsupported();
    } else if (this.parseKey(p) !== undefined) {
      value = this.parseMapping(p - r.start, p, path);
    } else {
      value = this.inlineValue(p);
      this.nextContent();
    }
    if (r.kind === LineKind.Content && r.indent > dashIndent) {
      throw this.badIndent(dashIndent + 2, line);
    }
    return value;
  }

  /** A block node starting on the current line. */
  parseNode(path: string): YamlValue {
    const r = this.r;
    if (r.isDash()) return this.parseSequence(r.indent, path);
    return this.parseMapping(r.indent, r.content, path);
  }

  parseSequence(indent: number, path: string): YamlValue[] {
    const r = this.r;
    const items: YamlValue[] = [];
    for (;;) {
      const itemPath = this.positions === null ? '' : joinPath(path, String(items.length));
      items.push(this.parseItem(indent, itemPath));
      if (r.kind !== LineKind.Content || r.indent < indent || !r.isDash()) return items;
    }
  }

  /** A block mapping whose keys are at column `indent + 1`; its first key is at `keyAt`. */
  parseMapping(indent: number, keyAt: number, path: string): YamlMap {
    const r = this.r;
    const text = this.text;
    const map = newMap();
    let p = keyAt;
    for (;;) {
      const k = this.parseKey(p);
      if (k === undefined) throw this.missingColon(p);
      const line = r.line;
      const column = r.column(p);
      let keyPath = '';
      if (this.positions !== null) {
        keyPath = joinPath(path, k.key);
        if (!this.positions.has(keyPath)) this.positions.set(keyPath, { line, column });
      }
      const q = skipBlanks(text, k.after, r.end);
      let value: YamlValue;
      if (q >= r.end || text.charCodeAt(q) === HASH) {
        this.nextContent();
        if (r.kind !== LineKind.Content) value = null;
        else if (r.indent > indent) value = this.parseNode(keyPath);
        else if (r.indent === indent && r.isDash()) value = this.parseSequence(indent, keyPath);
        else value = null;
      } else {
        value = this.inlineValue(q);
        this.nextContent();
      }
      if (r.kind === LineKind.Content && r.indent > indent) throw this.badIndent(indent, line);
      this.store(map, k, value, keyPath, line, column);
      if (r.kind !== LineKind.Content || r.indent < indent) return map;
      if (r.isDash()) throw new Unsupported();
      p = r.content;
    }
  }

  private store(
    map: YamlMap,
    k: Key,
    value: YamlValue,
    path: string,
    line: number,
    column: number,
  ) {
    const { key, reserved } = k;
    if (!reserved && !(key in map)) {
      map[key] = value;
      return;
    }
    if (this.positions === null) {
      this.needsTracking = true;
      return;
    }
    const place = yamlPlace(this.file, line, column);
    if (reserved) {
      this.problems.push(reservedKey(key, path, place));
      return;
    }
    const first = this.positions.get(path);
    this.problems.push(duplicateKey(key, path, place, first?.line ?? place.line));
  }

  /**
   * `key:` at `p` on the current line: the key and where its value starts, or undefined when the
   * line is not a `key: value` line. Throws for keys outside the subset.
   */
  parseKey(p: number): Key | undefined {
    const text = this.text;
    const end = this.r.end;
    const c = text.charCodeAt(p);
    if (c === 34 || c === 39) {
      const d = c === 34 ? decodeDoubleQuoted(text, p, end) : decodeSingleQuoted(text, p, end);
      if (d === undefined) throw this.unclosedQuote(p);
      const q = skipBlanks(text, d.end, end);
      if (!this.isMappingColon(q)) return undefined;
      return { key: d.value, reserved: RESERVED_KEYS.has(d.value), after: q + 1 };
    }
    if (isIndicatorStart(c) || ((c === 45 || c === 63 || c === 58) && this.blankAfter(p))) {
      throw new Unsupported();
    }
    for (let i = p; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === HASH && isBlankChar(text.charCodeAt(i - 1))) return undefined;
      if (this.isMappingColon(i)) {
        let e = i;
        while (isBlankChar(text.charCodeAt(e - 1))) e--;
        if (e - p > MAX_PLAIN_KEY) throw new Unsupported();
        const { key, reserved } = this.keys.get(text, p, e);
        return { key, reserved, after: i + 1 };
      }
    }
    return undefined;
  }

  /** A scalar value filling the rest of the current line from `p` (not blank, not a comment). */
  inlineValue(p: number): YamlValue {
    const text = this.text;
    const end = this.r.end;
    const c = text.charCodeAt(p);
    if (c === 34 || c === 39) {
      const d = c === 34 ? decodeDoubleQuoted(text, p, end) : decodeSingleQuoted(text, p, end);
      if (d === undefined) throw this.unclosedQuote(p);
      const q = skipBlanks(text, d.end, end);
      if (q < end && !(text.charCodeAt(q) === HASH && q > d.end)) throw new Unsupported();
      return d.value;
    }
    if (isIndicatorStart(c) || ((c === 45 || c === 63 || c === 58) && this.blankAfter(p))) {
      throw new Unsupported();
    }
    const e = plainEnd(text, p, end);
    if (e === PLAIN_HAS_COLON) throw this.colonInValue(p);
    const raw = text.slice(p, e);
    return isNullPlain(raw) ? null : raw;
  }

  private isMappingColon(i: number): boolean {
    return this.text.charCodeAt(i) === 58 && i < this.r.end && this.blankAfter(i);
  }

  private blankAfter(i: number): boolean {
    return i + 1 >= this.r.end || isBlankChar(this.text.charCodeAt(i + 1));
  }

  private diagnose(message: string, hint: string, offset: number): Unsupported {
    const r = this.r;
    return new Unsupported({ message, hint, line: r.line, column: r.column(offset) });
  }

  private unclosedQuote(p: number): Unsupported {
    const quote = this.text[p] ?? '"';
    return this.diagnose(
      `the quoted value starting here has no closing ${quote}`,
      `end the value with ${quote} on the same line`,
      p,
    );
  }

  private missingColon(p: number): Unsupported {
    const line = this.text.slice(p, this.r.end);
    const word = /^[^\s:]+/.exec(line)?.[0] ?? line;
    const tight = /:[^\s]/.test(line);
    return this.diagnose(
      `expected \`key: value\`, but \`${shown(line)}\` has no \`: \``,
      tight
        ? 'put a space after the `:`'
        : `add a \`:\` after the key, e.g. \`${shown(word)}: ...\``,
      p,
    );
  }

  private colonInValue(p: number): Unsupported {
    const value = this.text.slice(p, this.r.end).trim();
    return this.diagnose(
      `the value \`${shown(value)}\` contains \`: \`, which YAML reads as a nested key`,
      `put the value in quotes: "${shown(value.replace(/"/g, '\\"'))}"`,
      p,
    );
  }

  /** The current line is indented deeper than anything open above it allows. */
  private badIndent(indent: number, entryLine: number): Unsupported {
    const r = this.r;
    return this.diagnose(
      `bad indentation: this line starts at column ${r.indent + 1}, but the entries it could belong to start at column ${indent + 1} (line ${entryLine})`,
      `line it up at column ${indent + 1}; to nest it under the key above, that key must have no value on its own line`,
      r.content,
    );
  }
}
