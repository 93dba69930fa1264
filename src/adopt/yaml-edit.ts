/**
 * Writing codes into a YAML customers file as text insertions at positions the `yaml` package
 * finds, never by re-serialising the document: comments, quoting, blank lines, flow style and
 * every untouched item stay exactly as they were. A code goes in as the first key of its item
 * (`customerCode:` is where people look for it), or into an existing empty `customerCode:`.
 */
import { isMap, isNode, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { yamlScalar } from '../export/yaml-text.js';

/** Where a record starts: the line and column (1-based) of its `-`. */
export interface ItemStart {
  line: number;
  column: number;
}

export interface YamlCodeEdit {
  at: ItemStart;
  code: string;
}

interface Insertion {
  from: number;
  to: number;
  text: string;
}

function offsetOf(text: string, at: ItemStart): number {
  let offset = 0;
  for (let line = 1; line < at.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + at.column - 1;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function insertionFor(
  text: string,
  map: YAMLMap,
  code: string,
  eol: string,
  name: string,
): Insertion | string {
  const value = yamlScalar(code);
  const existing = map.items.find((p) => isScalar(p.key) && p.key.value === name);
  if (existing !== undefined) {
    const node = existing.value;
    if (!isScalar(node) || node.range == null) return `its ${name}: has no plain value`;
    const [from, to] = node.range;
    const space = text[from - 1] === ':' ? ' ' : '';
    return { from, to, text: space + value };
  }
  const first = map.items[0]?.key;
  if (!isScalar(first) || first.range == null) return 'it has no field to put the code before';
  const at = first.range[0];
  if (map.flow === true) return { from: at, to: at, text: `${name}: ${value}, ` };
  const indent = at - lineStart(text, at);
  return { from: at, to: at, text: `${name}: ${value}${eol}${' '.repeat(indent)}` };
}

/** The new text, or why an item could not be written. */
export function writeYamlCodes(
  text: string,
  edits: readonly YamlCodeEdit[],
  name: string,
): { text: string } | { failures: { at: ItemStart; reason: string }[] } {
  const doc = parseDocument(text, { uniqueKeys: false });
  const customers = doc.get('customers', true);
  if (doc.errors.length > 0 || !isSeq(customers))
    return { failures: edits.map((e) => ({ at: e.at, reason: 'the file does not parse' })) };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const starts = customers.items.map((item) =>
    isNode(item) && item.range != null ? item.range[0] : -1,
  );
  const insertions: Insertion[] = [];
  const failures: { at: ItemStart; reason: string }[] = [];
  for (const edit of edits) {
    const dash = offsetOf(text, edit.at);
    // The item is the first one starting after its `-` (comments may sit in between).
    const index = starts.findIndex((s) => s > dash);
    const item = index < 0 ? undefined : customers.items[index];
    if (!isMap(item)) {
      failures.push({ at: edit.at, reason: 'no customer mapping starts there' });
      continue;
    }
    const insertion = insertionFor(text, item, edit.code, eol, name);
    if (typeof insertion === 'string') failures.push({ at: edit.at, reason: insertion });
    else insertions.push(insertion);
  }
  if (failures.length > 0) return { failures };
  insertions.sort((a, b) => b.from - a.from);
  let out = text;
  for (const ins of insertions) out = out.slice(0, ins.from) + ins.text + out.slice(ins.to);
  return { text: out };
}
