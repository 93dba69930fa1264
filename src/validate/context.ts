/**
 * What a provider's validation rules work with: the record at hand, its raw value, where to put
 * problems, and the notes gathered across records (a country spelling read as a code, counted
 * per file and reported once).
 */
import type { Problem, RawRecord } from '../load/types.js';

/** A kind of note other than a country spelling: its code, and its words for the first record. */
export interface NoteKind {
  code: string;
  message(from: string, to: string): string;
  hint(from: string, to: string): string;
}

/**
 * Conversions noted, counted per file, reported once each at the end: country spellings read as
 * codes (one note per spelling), and other kinds (one note per kind, quoting the first record).
 */
export type CountryNotes = Map<
  string,
  { from: string; to: string; count: number; record: RawRecord; path: string; kind?: NoteKind }
>;

export interface RuleContext {
  /** Set before each record; the context is reused so that the loop allocates nothing. */
  record: RawRecord | undefined;
  /** The record's value before normalisation, for messages quoting what was written. */
  raw: Record<string, unknown>;
  out: Problem[];
  notes: CountryNotes;
  /** Paths that already have a schema problem: no second message for them. */
  skip: ReadonlySet<string>;
}

export function problem(
  ctx: RuleContext,
  severity: Problem['severity'],
  code: string,
  path: string,
  message: string,
  hint?: string,
): void {
  if (ctx.skip.has(path) || ctx.record === undefined) return;
  const p: Problem = {
    severity,
    code,
    message: `${path}: ${message}`,
    place: ctx.record.locate(path),
    path,
  };
  if (hint !== undefined) p.hint = hint;
  ctx.out.push(p);
}

/** The text written at `field` (of group `group`) before normalisation, to quote it. */
export function rawText(
  raw: Record<string, unknown>,
  group: string | undefined,
  field: string,
): string | undefined {
  const holder = group === undefined ? raw : raw[group];
  if (typeof holder !== 'object' || holder === null || !Object.hasOwn(holder, field))
    return undefined;
  const value: unknown = Reflect.get(holder, field);
  return typeof value === 'string' ? value : undefined;
}

/** Notes that `from`, as written at `path`, was read as `to`: one warning per file and spelling. */
export function noteConversion(ctx: RuleContext, path: string, from: string, to: string): void {
  const record = ctx.record;
  if (from === to || record === undefined) return;
  const key = `${record.file}\ncountry\n${from}`;
  const note = ctx.notes.get(key);
  if (note === undefined) ctx.notes.set(key, { from, to, count: 1, record, path });
  else note.count++;
}

/**
 * Notes that `from`, as written at `path`, was read as `to`, a conversion of `kind`: one warning
 * per file, kind and path, quoting the first record (a file of national phone numbers would
 * otherwise warn once a row).
 */
export function noteKindOnce(
  ctx: RuleContext,
  kind: NoteKind,
  path: string,
  from: string,
  to: string,
): void {
  const record = ctx.record;
  if (record === undefined || ctx.skip.has(path)) return;
  const key = `${record.file}\n${kind.code}\n${path}`;
  const note = ctx.notes.get(key);
  if (note === undefined) ctx.notes.set(key, { from, to, count: 1, record, path, kind });
  else note.count++;
}

/** One warning per file and spelling ("Canada" read as CAN in 312 records), or kind. */
export function countryNoteProblems(notes: CountryNotes): Problem[] {
  return [...notes.values()].map((n) => {
    const counted = n.count > 1 ? ` (${n.count} records in this file, first here)` : '';
    const said =
      n.kind === undefined
        ? `country ${JSON.stringify(n.from)} read as ${n.to}`
        : n.kind.message(n.from, n.to);
    return {
      severity: 'warning' as const,
      code: n.kind?.code ?? 'country-converted',
      message: `${n.path}: ${said}${counted}`,
      place: n.record.locate(n.path),
      path: n.path,
      hint: n.kind === undefined ? `write ${n.to} to silence this` : n.kind.hint(n.from, n.to),
    };
  });
}
