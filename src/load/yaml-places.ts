/**
 * The places of a record's keys, worked out when `locate` first asks for one (most records are
 * never asked): js-yaml reads the record's span again with a listener, whose events say where
 * each node starts. A mapping's nodes come in key, value pairs; a key's place is where its node
 * starts, a list item's the `-` before it, as the `yaml` package's syntax tree gives them.
 * Records with anything else (flow collections, anchors, aliases, tags, explicit keys, block
 * scalars, empty list items) are read by the `yaml` package, as the fallback reads them.
 */
import { isSeq } from 'yaml';
import { dashBefore, parseSlice, Walker } from './yaml-full.js';
import { readJsYaml } from './yaml-js.js';
import { skipSpace } from './yaml-lines.js';
import { joinPath, type Position, type PositionSource, type Positions } from './yaml-record.js';

interface Node {
  start: number;
  /** 0-based line and column of `start` in the span. */
  line: number;
  column: number;
  kind: string | null;
  result: unknown;
  children: Node[];
}

/** Where a node's own text starts with one of these, its places are left to the package. */
const STYLED = new Set(['[', '{', '&', '*', '!', '?', '|', '>']);

export class SpanPlaces implements PositionSource {
  /** The last record asked about: problems of one record ask one after another. */
  private last: { start: number; positions: Positions } | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  positions(start: number, end: number, line: number): Positions {
    if (this.last?.start === start) return this.last.positions;
    const slice = this.text.slice(start, end);
    const positions = fromEvents(slice, line) ?? fromPackage(this.file, slice, line);
    this.last = { start, positions };
    return positions;
  }
}

function fromPackage(file: string, slice: string, line: number): Positions {
  const parsed = parseSlice(file, slice, line);
  const positions = new Map<string, Position>();
  const root = parsed.doc.contents;
  if (isSeq(root)) new Walker(parsed, positions).value(root.items[0], '');
  return positions;
}

function fromEvents(slice: string, firstLine: number): Positions | undefined {
  const root: Node = { start: 0, line: 0, column: 0, kind: null, result: null, children: [] };
  const stack = [root];
  try {
    readJsYaml(slice, (event, state) => {
      if (event === 'open') {
        const node: Node = {
          start: state.position,
          line: state.line,
          column: state.position - state.lineStart,
          kind: null,
          result: null,
          children: [],
        };
        stack[stack.length - 1]?.children.push(node);
        stack.push(node);
      } else {
        const node = stack.pop();
        if (node !== undefined) {
          node.kind = state.kind;
          node.result = state.result;
        }
      }
    });
  } catch {
    return undefined;
  }
  const item = root.children[0]?.children[0];
  const out = new Map<string, Position>();
  if (item === undefined || !walk(slice, item, '', firstLine, out)) return undefined;
  return out;
}

function walk(
  slice: string,
  node: Node,
  path: string,
  firstLine: number,
  out: Map<string, Position>,
): boolean {
  if (STYLED.has(slice.charAt(skipSpace(slice, node.start)))) return false;
  const children = node.children;
  if (node.kind === 'mapping') {
    if (children.length % 2 !== 0) return false;
    for (let i = 0; i < children.length; i += 2) {
      const key = children[i];
      const value = children[i + 1];
      if (key === undefined || value === undefined || typeof key.result !== 'string') return false;
      if (STYLED.has(slice.charAt(key.start))) return false;
      const keyPath = joinPath(path, key.result);
      if (!out.has(keyPath))
        out.set(keyPath, { line: firstLine + key.line, column: key.column + 1 });
      if (!walk(slice, value, keyPath, firstLine, out)) return false;
    }
  } else if (node.kind === 'sequence') {
    if (!Array.isArray(node.result) || node.result.length !== children.length) return false;
    for (const [i, item] of children.entries()) {
      const itemPath = joinPath(path, String(i));
      out.set(itemPath, placeOf(slice, dashBefore(slice, skipSpace(slice, item.start)), firstLine));
      if (!walk(slice, item, itemPath, firstLine, out)) return false;
    }
  }
  return true;
}

function placeOf(slice: string, offset: number, firstLine: number): Position {
  let line = firstLine;
  for (let i = slice.indexOf('\n'); i >= 0 && i < offset; i = slice.indexOf('\n', i + 1)) line++;
  return { line, column: offset - slice.lastIndexOf('\n', offset - 1) };
}
