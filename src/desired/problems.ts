/** Ordering problems for people, and tying a loader's problems to the record they are in. */
import type { Place, Problem, RawRecord } from '../load/types.js';

/**
 * Loader problems that concern one record's content (a duplicate key inside a customer): the
 * record is rejected, not the file. Any other loader problem stays file-level.
 */
const RECORD_LEVEL = new Set(['duplicate-key', 'reserved-key', 'yaml-complex-key']);

function position(place: Place): number {
  if (place.kind === 'yaml') return place.line * 10_000 + place.column;
  if (place.kind === 'csv') return place.row * 10_000;
  return 0;
}

export function attachRecordProblems(
  records: readonly RawRecord[],
  problems: readonly Problem[],
): { byRecord: Map<RawRecord, Problem[]>; fileLevel: Problem[] } {
  const byRecord = new Map<RawRecord, Problem[]>();
  const fileLevel: Problem[] = [];
  const candidates = problems.filter((p) => p.severity === 'error' && RECORD_LEVEL.has(p.code));
  const starts = new Map<string, RawRecord[]>();
  if (candidates.length > 0) {
    for (const r of records) {
      const list = starts.get(r.file);
      if (list === undefined) starts.set(r.file, [r]);
      else list.push(r);
    }
  }
  for (const problem of problems) {
    const owner = RECORD_LEVEL.has(problem.code)
      ? ownerOf(starts.get(problem.place.file) ?? [], problem.place)
      : undefined;
    if (owner === undefined) {
      fileLevel.push(problem);
      continue;
    }
    const list = byRecord.get(owner);
    if (list === undefined) byRecord.set(owner, [problem]);
    else list.push(problem);
  }
  return { byRecord, fileLevel };
}

/** The last record of the file starting at or before `place`. */
function ownerOf(records: readonly RawRecord[], place: Place): RawRecord | undefined {
  let owner: RawRecord | undefined;
  const at = position(place);
  for (const r of records) {
    if (position(r.place) <= at) owner = r;
    else break;
  }
  return owner;
}

/** By file (in input order, unknown files first), then by position; stable otherwise. */
export function sortProblems(problems: readonly Problem[], files: readonly string[]): Problem[] {
  const order = new Map(files.map((f, i) => [f, i]));
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const fa = order.get(a.p.place.file) ?? -1;
      const fb = order.get(b.p.place.file) ?? -1;
      if (fa !== fb) return fa - fb;
      const pa = position(a.p.place);
      const pb = position(b.p.place);
      return pa !== pb ? pa - pb : a.i - b.i;
    })
    .map((x) => x.p);
}
