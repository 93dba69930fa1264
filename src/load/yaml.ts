/**
 * Loads a YAML desired-state file: `customers:`, a list of customer mappings.
 *
 * A scan of the lines splits the file into its top-level entries, and the `customers` list into
 * one span per customer: from its `-` to the next `-` at the same indentation or the next
 * top-level line. js-yaml reads each customer on its own (yaml-js.ts); the record keeps only its
 * span, and the places of its keys are worked out when `locate` asks (yaml-places.ts). A customer
 * js-yaml refuses, or that needs the project's own problems, goes alone to the `yaml` package
 * (yaml-document.ts), with its line numbers kept, so one broken record or flow mapping does not
 * cost a 35 s whole-file parse; only top-level oddities (directives, `---`, quoted or complex
 * top-level keys, `customers: [...]`, aliases across records) send the whole file there.
 */
import type { LoadResult } from './types.js';
import { checkEntrySlice, loadItemSlice, loadWholeFile, NeedsWholeFile } from './yaml-document.js';
import { checkEntry, readItem, type Read, type Span } from './yaml-js.js';
import { HASH, LineKind, LineReader, skipBlanks } from './yaml-lines.js';
import { SpanPlaces } from './yaml-places.js';
import {
  describe,
  duplicateKey,
  emptyFile,
  missingCustomers,
  noCustomers,
  recordNotAMapping,
  unknownTopLevelKey,
  yamlPlace,
  type YamlPlace,
} from './yaml-problems.js';
import { isYamlMap, YamlRecord } from './yaml-record.js';

export interface YamlLoadOptions {
  /**
   * `false` reads every customer with the `yaml` package instead of js-yaml: for checking that
   * both agree, and a way round a js-yaml difference without a release.
   */
  fastRecords?: boolean;
}

/**
 * Reads `text` (BOM already stripped) as a customers file; `file` is the name used in places.
 * Never throws for bad input: everything wrong is a problem with a place.
 */
export function loadYaml(file: string, text: string, options: YamlLoadOptions = {}): LoadResult {
  // A lone CR is a line break to YAML but not to the line reader.
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return loadWholeFile(file, text);
  try {
    return new Loader(file, text, options.fastRecords ?? true).load();
  } catch (error) {
    if (error instanceof NeedsWholeFile) return loadWholeFile(file, text);
    throw error;
  }
}

/**
 * A top-level `key:` the scan reads itself: plain, without `:` or `#` in it, at most 1024
 * characters (YAML's limit). Others (quoted, complex, `---`, `%YAML`) go to the package.
 */
const TOP_KEY = /^([^\s#'"?:[\]{},&*!|>%@`-][^:#]{0,1023}?)[ \t]*:(?=[ \t]|$)/;

class Loader {
  private readonly r: LineReader;
  private readonly places: SpanPlaces;
  private readonly out: LoadResult = { records: [], problems: [] };

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly fast: boolean,
  ) {
    this.r = new LineReader(text, 0, text.length, 1);
    this.places = new SpanPlaces(text, file);
  }

  load(): LoadResult {
    const { r, text, out } = this;
    r.skipBlank();
    if (r.kind === LineKind.End) return { records: [], problems: [emptyFile(this.file)] };
    const seen = new Map<string, number>();
    while (r.kind === LineKind.Content) {
      if (r.indent !== 0 || r.tabAt >= 0) throw new NeedsWholeFile();
      const head = TOP_KEY.exec(text.slice(r.content, r.end));
      const key = head?.[1];
      if (head === null || key === undefined) throw new NeedsWholeFile();
      const place = yamlPlace(this.file, r.line, 1);
      const firstLine = seen.get(key);
      if (firstLine !== undefined) {
        out.problems.push(duplicateKey(key, key, place, firstLine));
        this.skipEntry();
      } else if (key !== 'customers') {
        seen.set(key, r.line);
        out.problems.push(unknownTopLevelKey(key, place));
        this.skipEntry();
      } else {
        seen.set(key, r.line);
        this.customers(r.content + head[0].length, place);
      }
    }
    if (!seen.has('customers')) out.problems.push(missingCustomers(this.file));
    return out;
  }

  private customers(after: number, keyPlace: YamlPlace): void {
    const { r, text } = this;
    const q = skipBlanks(text, after, r.end);
    // A value on the key's line (`[]`, text, an anchor): rare enough to let the package read it.
    if (q < r.end && text.charCodeAt(q) !== HASH) throw new NeedsWholeFile();
    r.advance();
    r.skipBlank();
    if (isEnd(r) || (r.indent === 0 && !r.isDash())) {
      this.out.problems.push(noCustomers(keyPlace));
      return;
    }
    // A mapping or text under `customers:`: rare enough to let the package read and word it.
    if (!r.isDash() || r.tabAt >= 0) throw new NeedsWholeFile();
    const indent = r.indent;
    while (r.kind === LineKind.Content && r.indent === indent && r.isDash()) this.item(indent);
  }

  /** One customer: the current line is its `-`, at column `indent + 1`. */
  private item(indent: number): void {
    const { file, text, out } = this;
    const span = this.span(
      (scan) => scan.indent === 0 || (scan.indent === indent && scan.isDash()),
    );
    const read: Read = this.fast ? readItem(text, span) : { ok: false };
    if (!read.ok) {
      const slice = loadItemSlice(file, text, span, read.diagnosis);
      out.records.push(...slice.records);
      out.problems.push(...slice.problems);
    } else if (isYamlMap(read.value)) {
      out.records.push(
        new YamlRecord(
          file,
          span.firstLine,
          indent + 1,
          read.value,
          null,
          this.places,
          span.start,
          span.end,
        ),
      );
    } else {
      out.problems.push(
        recordNotAMapping(yamlPlace(file, span.firstLine, indent + 1), describe(read.value)),
      );
    }
  }

  /** An ignored top-level entry: checked for syntax only, then skipped. */
  private skipEntry(): void {
    const span = this.span((scan) => scan.indent === 0 && !scan.isDash());
    const read = checkEntry(this.text, span);
    if (!read.ok) {
      this.out.problems.push(...checkEntrySlice(this.file, this.text, span, read.diagnosis));
    }
  }

  /**
   * The lines from the current one up to the next content line that `ends` (or the end), and
   * moves the reader there. Lines with tabs in their indentation never end a span: they belong
   * to the one they were meant for.
   */
  private span(ends: (scan: LineReader) => boolean): Span {
    const r = this.r;
    const span = { start: r.start, end: r.start, firstLine: r.line };
    const scan = new LineReader(this.text, r.start, this.text.length, r.line);
    scan.advance();
    while (!isEnd(scan) && !(scan.kind === LineKind.Content && scan.tabAt < 0 && ends(scan))) {
      scan.advance();
    }
    span.end = scan.start;
    r.seek(scan.start, scan.line);
    return span;
  }
}

/** Whether the reader is past the last line (a function: `advance` changes `kind`). */
function isEnd(r: LineReader): boolean {
  return r.kind === LineKind.End;
}
