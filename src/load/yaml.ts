/**
 * Loads a YAML desired-state file: `customers:`, a list of customer mappings.
 *
 * The fast path (yaml-fast.ts) reads the common block subset in one pass and keeps, per record,
 * only its span of the text; exact key positions are worked out again when `locate` is asked.
 * A record the fast path cannot read goes alone to the `yaml` package (yaml-document.ts), with
 * its line numbers kept, so one flow mapping or anchor does not cost a 25 s whole-file parse;
 * only top-level oddities (directives, `---`, flow `customers: [...]`, aliases across records)
 * send the whole file there.
 */
import { DEFAULT_PROVIDER, providerInfo } from '../providers/index.js';
import type { LoadResult } from './types.js';
import { checkEntrySlice, loadItemSlice, loadWholeFile, NeedsWholeFile } from './yaml-document.js';
import { FastParser, Unsupported } from './yaml-fast.js';
import { KeyTable } from './yaml-keys.js';
import { HASH, LineKind, LineReader, skipBlanks } from './yaml-lines.js';
import {
  customersNotAList,
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
import { isYamlMap, YamlRecord, type PositionSource, type Positions } from './yaml-record.js';

export interface YamlLoadOptions {
  /**
   * `false` reads every record's slice with the `yaml` package instead of the fast parser: for
   * checking that both agree, and a way round a fast-path bug without a release.
   */
  fastRecords?: boolean;
  /** The field hints show first in an item: the provider's identity (default: the default's). */
  identity?: string;
}

/**
 * Reads `text` (BOM already stripped) as a customers file; `file` is the name used in places.
 * Never throws for bad input: everything wrong is a problem with a place.
 */
export function loadYaml(file: string, text: string, options: YamlLoadOptions = {}): LoadResult {
  // A lone CR is a line break to YAML but not to the line reader.
  const identity = options.identity ?? providerInfo(DEFAULT_PROVIDER).fields.identity;
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return loadWholeFile(file, text, identity);
  try {
    return new FastLoader(file, text, options.fastRecords ?? true, identity).load();
  } catch (error) {
    if (error instanceof Unsupported || error instanceof NeedsWholeFile) {
      return loadWholeFile(file, text, identity);
    }
    throw error;
  }
}

/** Re-reads a fast-path record's span with positions, when `locate` needs them. */
class FastSource implements PositionSource {
  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly keys: KeyTable,
  ) {}

  positions(start: number, end: number, line: number): Positions {
    const reader = new LineReader(this.text, start, end, line);
    const parser = new FastParser(reader, this.file, true, this.keys);
    try {
      parser.parseItem(reader.indent, '');
    } catch {
      // It parsed once already; keep whatever positions were found.
    }
    return parser.positions ?? new Map();
  }
}

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:[ \t]|$)/;

class FastLoader {
  private readonly r: LineReader;
  private readonly top: FastParser;
  private readonly source: FastSource;
  private readonly keys = new KeyTable();
  private readonly out: LoadResult = { records: [], problems: [] };

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly fastRecords: boolean,
    private readonly identity: string,
  ) {
    this.r = new LineReader(text, 0, text.length, 1);
    this.top = new FastParser(this.r, file, false);
    this.source = new FastSource(text, file, this.keys);
  }

  load(): LoadResult {
    const { r, text, out } = this;
    r.skipBlank();
    if (r.kind === LineKind.End)
      return { records: [], problems: [emptyFile(this.file, this.identity)] };
    const seen = new Map<string, number>();
    while (r.kind === LineKind.Content) {
      this.top.checkTab();
      const lineText = text.slice(r.content, Math.min(r.end, r.content + 4));
      if (r.indent !== 0 || DOCUMENT_MARKER.test(lineText)) throw new NeedsWholeFile();
      const key = this.top.parseKey(r.content);
      if (key === undefined) throw new NeedsWholeFile();
      const place = yamlPlace(this.file, r.line, 1);
      const firstLine = seen.get(key.key);
      if (firstLine !== undefined) {
        out.problems.push(duplicateKey(key.key, key.key, place, firstLine));
        this.skipEntry();
      } else if (key.key !== 'customers') {
        seen.set(key.key, r.line);
        out.problems.push(unknownTopLevelKey(key.key, place));
        this.skipEntry();
      } else {
        seen.set(key.key, r.line);
        this.customers(key.after, place);
      }
    }
    if (!seen.has('customers')) out.problems.push(missingCustomers(this.file));
    return out;
  }

  private customers(after: number, keyPlace: YamlPlace): void {
    const { r, text, out } = this;
    const q = skipBlanks(text, after, r.end);
    if (q < r.end && text.charCodeAt(q) !== HASH) {
      const value = this.top.inlineValue(q);
      this.top.nextContent();
      if (r.kind === LineKind.Content && (r.indent > 0 || r.isDash())) throw new NeedsWholeFile();
      out.problems.push(
        value === null
          ? noCustomers(keyPlace, this.identity)
          : customersNotAList(keyPlace, describe(value)),
      );
      return;
    }
    this.top.nextContent();
    if (r.kind !== LineKind.Content || (r.indent === 0 && !r.isDash())) {
      out.problems.push(noCustomers(keyPlace, this.identity));
      return;
    }
    // A mapping or text under `customers:`: rare enough to let the package read and word it.
    if (!r.isDash()) throw new NeedsWholeFile();
    const indent = r.indent;
    while (r.kind === LineKind.Content && r.indent === indent && r.isDash()) this.item(indent);
  }

  /** One customer: the current line is its `-`, at column `indent + 1`. */
  private item(indent: number): void {
    const { r, out } = this;
    const start = r.start;
    const line = r.line;
    const place = yamlPlace(this.file, line, indent + 1);
    try {
      if (!this.fastRecords) throw new Unsupported();
      const parser = new FastParser(r, this.file, false, this.keys);
      let value = parser.parseItem(indent, '');
      if (!this.endsItem(indent)) throw new Unsupported();
      const end = r.start;
      if (parser.needsTracking) {
        const tracked = new FastParser(
          new LineReader(this.text, start, end, line),
          this.file,
          true,
        );
        value = tracked.parseItem(indent, '');
        out.problems.push(...tracked.problems);
      }
      if (isYamlMap(value)) {
        out.records.push(
          new YamlRecord(this.file, line, indent + 1, value, null, this.source, start, end),
        );
      } else {
        out.problems.push(recordNotAMapping(place, describe(value), this.identity));
      }
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      const end = this.resync(start, line, indent);
      const slice = loadItemSlice(
        this.file,
        this.text,
        { start, end, firstLine: line },
        this.identity,
        error.diagnosis,
      );
      out.records.push(...slice.records);
      out.problems.push(...slice.problems);
    }
  }

  /** Whether the current line may follow an item at `indent`: the next item or the next key. */
  private endsItem(indent: number): boolean {
    const r = this.r;
    return r.kind !== LineKind.Content || r.indent === 0 || (r.indent === indent && r.isDash());
  }

  /**
   * Finds where the item starting at `start` ends whatever its syntax (the next `-` at its
   * indentation or the next top-level line), and moves the reader there. Lines with tabs in
   * their indentation never end an item: they belong to the one they were meant for.
   */
  private resync(start: number, line: number, indent: number): number {
    const scan = new LineReader(this.text, start, this.text.length, line);
    scan.advance();
    while (
      scan.kind !== LineKind.End &&
      !(
        scan.kind === LineKind.Content &&
        scan.tabAt < 0 &&
        (scan.indent === 0 || (scan.indent === indent && scan.isDash()))
      )
    ) {
      scan.advance();
    }
    this.r.seek(scan.start, scan.line);
    return scan.start;
  }

  /** An ignored top-level entry: checked for syntax only, then skipped. */
  private skipEntry(): void {
    const { r, text } = this;
    const start = r.start;
    const line = r.line;
    const scan = new LineReader(text, start, text.length, line);
    scan.advance();
    while (
      scan.kind !== LineKind.End &&
      !(scan.kind === LineKind.Content && scan.tabAt < 0 && scan.indent === 0 && !scan.isDash())
    ) {
      scan.advance();
    }
    const end = scan.start;
    const entry = new LineReader(text, start, end, line);
    try {
      new FastParser(entry, this.file, false).parseMapping(0, entry.content, '');
      if (entry.kind !== LineKind.End) throw new Unsupported();
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      this.out.problems.push(
        ...checkEntrySlice(this.file, text, { start, end, firstLine: line }, error.diagnosis),
      );
    }
    r.seek(end, scan.line);
  }
}
