/**
 * The fallback at document level: a whole file, one customer's slice, or one ignored top-level
 * entry's slice, read by the `yaml` package and checked by the same rules as the fast path.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { LoadResult, Problem } from './types.js';
import type { Diagnosis } from './yaml-fast.js';
import {
  aliasProblem,
  dashBefore,
  errorsOf,
  isNodeWithRange,
  parseSlice,
  placeAt,
  syntaxProblemsOf,
  Walker,
  type Parsed,
} from './yaml-full.js';
import {
  complexKey,
  customersNotAList,
  describe,
  duplicateKey,
  emptyFile,
  missingCustomers,
  noCustomers,
  notAMapping,
  recordNotAMapping,
  unknownTopLevelKey,
  yamlPlace,
  type YamlPlace,
} from './yaml-problems.js';
import { isYamlMap, YamlRecord, type Position } from './yaml-record.js';

/** A slice could not be read on its own (an alias to an anchor in another record). */
export class NeedsWholeFile extends Error {
  constructor() {
    super('the YAML needs reading as a whole');
  }
}

export function diagnosisProblem(file: string, d: Diagnosis): Problem {
  const place = yamlPlace(file, d.line, d.column);
  return { severity: 'error', code: 'yaml-syntax', message: d.message, place, hint: d.hint };
}

/** Syntax problems of a slice, worded by the fast path's diagnosis when it has one. */
function sliceSyntax(parsed: Parsed, diagnosis: Diagnosis | undefined): Problem[] {
  const syntax = syntaxProblemsOf(parsed);
  if (syntax.length === 0 || diagnosis === undefined) return syntax;
  return [diagnosisProblem(parsed.file, diagnosis)];
}

/** One customer's lines, `text[start, end)`, starting with its `-` on line `firstLine`. */
export function loadItemSlice(
  file: string,
  text: string,
  span: { start: number; end: number; firstLine: number },
  identity: string,
  diagnosis?: Diagnosis,
): LoadResult {
  const parsed = parseSlice(file, text.slice(span.start, span.end), span.firstLine);
  const out: LoadResult = { records: [], problems: sliceSyntax(parsed, diagnosis) };
  // A record with broken syntax is left out: what the package made of it is a guess.
  if (out.problems.length > 0) return out;
  const bomb = aliasProblem(parsed);
  if (bomb !== undefined) return { records: [], problems: [bomb] };
  const root = parsed.doc.contents;
  if (!isSeq(root)) throw new NeedsWholeFile();
  for (const item of root.items) {
    if (addRecord(parsed, item, false, out, identity)) throw new NeedsWholeFile();
  }
  return out;
}

/** An ignored top-level entry: only its syntax matters. */
export function checkEntrySlice(
  file: string,
  text: string,
  span: { start: number; end: number; firstLine: number },
  diagnosis?: Diagnosis,
): Problem[] {
  return sliceSyntax(parseSlice(file, text.slice(span.start, span.end), span.firstLine), diagnosis);
}

/** Adds the record for a `customers` item; true if it has an alias to an unknown anchor. */
function addRecord(
  parsed: Parsed,
  item: unknown,
  flow: boolean,
  out: LoadResult,
  identity: string,
): boolean {
  const at = isNodeWithRange(item) ? item.range[0] : 0;
  const place = placeAt(parsed, flow ? at : dashBefore(parsed.text, at));
  const positions = new Map<string, Position>();
  const walker = new Walker(parsed, positions);
  const value = walker.value(item, '');
  out.problems.push(...walker.problems);
  if (!isYamlMap(value)) {
    out.problems.push(recordNotAMapping(place, describe(value), identity));
  } else {
    out.records.push(new YamlRecord(parsed.file, place.line, place.column, value, positions));
  }
  return walker.unresolved;
}

/** The whole file, by the package: for what the fast path cannot even split into records. */
/** `identity` is the field the hints show first in an item (`- customerCode: ...`). */
export function loadWholeFile(file: string, text: string, identity: string): LoadResult {
  const parsed = parseSlice(file, text, 1);
  const out: LoadResult = { records: [], problems: syntaxProblemsOf(parsed) };
  const bomb = aliasProblem(parsed);
  if (bomb !== undefined) return { records: [], problems: [...out.problems, bomb] };
  const root = parsed.doc.contents;
  if (root === null) {
    if (out.problems.length === 0) out.problems.push(emptyFile(file, identity));
    return out;
  }
  if (!isMap(root)) {
    const at = isNodeWithRange(root) ? root.range[0] : 0;
    const place = placeAt(parsed, at);
    out.problems.push(notAMapping(file, place.line, place.column));
    return out;
  }
  const errorsAt = errorsOf(parsed).map((e) => e.pos[0]);
  const seen = new Map<string, number>();
  for (const pair of root.items) {
    const keyNode = pair.key;
    const place = placeAt(parsed, isNodeWithRange(keyNode) ? keyNode.range[0] : 0);
    if (!isScalar(keyNode)) {
      out.problems.push(complexKey(place));
      continue;
    }
    const key = typeof keyNode.value === 'string' ? keyNode.value : (keyNode.source ?? '');
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      out.problems.push(duplicateKey(key, key, place, firstLine));
    } else if (key !== 'customers') {
      seen.set(key, place.line);
      out.problems.push(unknownTopLevelKey(key, place));
    } else {
      seen.set(key, place.line);
      customers(parsed, pair.value, place, errorsAt, out, identity);
    }
  }
  if (!seen.has('customers')) out.problems.push(missingCustomers(file));
  return out;
}

function customers(
  parsed: Parsed,
  node: unknown,
  keyPlace: YamlPlace,
  errorsAt: number[],
  out: LoadResult,
  identity: string,
): void {
  const value = isAlias(node) ? node.resolve(parsed.doc) : node;
  if (!isSeq(value)) {
    const found = new Walker(parsed, null).value(value, '');
    out.problems.push(
      found === null
        ? noCustomers(keyPlace, identity)
        : customersNotAList(keyPlace, describe(found)),
    );
    return;
  }
  if (value.items.length === 0) out.problems.push(noCustomers(keyPlace, identity));
  for (const item of value.items) {
    const range = isNodeWithRange(item) ? item.range : undefined;
    // A broken item's syntax errors are reported already; its value would be a guess.
    if (range !== undefined && errorsAt.some((at) => at >= range[0] && at <= range[2])) continue;
    addRecord(parsed, item, value.flow === true, out, identity);
  }
}
