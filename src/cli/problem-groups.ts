/**
 * Repeated problems, grouped for people: a 100-row export missing a column has one problem
 * repeated 100 times, and 100 lines of it hide the one line that differs.
 *
 * "The same problem" never hides a distinct fix: it is the same file, severity, code, field and
 * hint (the hint is the fix), and for an error the same message word for word (a different value
 * can be a different fix). A warning reports something accepted as it is, so its message may
 * differ only in the values it quotes (`extension 12 dropped from "617-555-0110 x12"`).
 */
import type { Place, Problem } from '../load/types.js';

/** Problems shown in full before a group's line. */
export const SHOWN_IN_FULL = 3;
/** Row ranges listed on a group's line before `…`. */
const MAX_SEGMENTS = 10;

export type ReportEntry =
  /** `inGroup`: shown in full before its group's line, which carries the hint they share. */
  | { kind: 'problem'; problem: Problem; inGroup?: true }
  | { kind: 'group'; first: Problem; count: number; message: string; where: string };

/** A quoted value, or a number standing alone (not the 1 of `street1`). */
const VALUE = /"(?:[^"\\]|\\.)*"|(?<![\w.])\d+(?:\.\d+)?(?![\w])/g;

interface Shape {
  /** The message's text between its values. */
  text: string[];
  values: string[];
}

function shape(message: string): Shape {
  const text: string[] = [];
  const values: string[] = [];
  let from = 0;
  for (const match of message.matchAll(VALUE)) {
    text.push(message.slice(from, match.index));
    values.push(match[0]);
    from = match.index + match[0].length;
  }
  text.push(message.slice(from));
  return { text, values };
}

function groupKey(p: Problem): string {
  const message = p.severity === 'error' ? p.message : shape(p.message).text.join('\u0001');
  return [p.place.file, p.place.kind, p.severity, p.code, p.path ?? '', p.hint ?? '', message].join(
    '\u0000',
  );
}

/** The group's message: a value every member shares is kept, one that differs becomes `…`. */
function sharedMessage(members: readonly Problem[]): string {
  const first = members[0];
  if (first === undefined) return '';
  const shapes = members.map((p) => shape(p.message));
  const base = shapes[0] ?? shape(first.message);
  let out = base.text[0] ?? '';
  base.values.forEach((value, i) => {
    const same = shapes.every((s) => s.values[i] === value);
    out += (same ? value : value.startsWith('"') ? '"…"' : '…') + (base.text[i + 1] ?? '');
  });
  return out;
}

/** `2-5, 9, 12-20`: sorted, each run of consecutive numbers as one range; long lists end in `…`. */
export function compactRanges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const segments: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i] ?? 0;
    let end = start;
    while (sorted[i + 1] === end + 1) {
      end++;
      i++;
    }
    segments.push(start === end ? String(start) : `${start}-${end}`);
    i++;
  }
  if (segments.length <= MAX_SEGMENTS) return segments.join(', ');
  return `${segments.slice(0, MAX_SEGMENTS).join(', ')}, …`;
}

/** `100 rows (2-101)`, `12 times (lines 4, 11, 18)`. */
function whereText(places: readonly Place[]): string {
  const count = places.length;
  const rows = places.flatMap((p) => (p.kind === 'csv' ? [p.row] : []));
  if (rows.length === count) return `${count} rows (${compactRanges(rows)})`;
  const lines = places.flatMap((p) => (p.kind === 'yaml' ? [p.line] : []));
  if (lines.length === count) return `${count} times (lines ${compactRanges(lines)})`;
  return `${count} times`;
}

/**
 * The problems as they are printed: each in its place, except that a problem repeated more than
 * `SHOWN_IN_FULL + 1` times is shown in full that many times, where it first occurs, followed by
 * one line for the whole group (grouping one line more would save nothing).
 */
export function groupProblems(problems: readonly Problem[]): ReportEntry[] {
  const groups = new Map<string, Problem[]>();
  const keys = problems.map((p) => {
    const key = groupKey(p);
    const members = groups.get(key);
    if (members === undefined) groups.set(key, [p]);
    else members.push(p);
    return key;
  });
  const out: ReportEntry[] = [];
  const done = new Set<string>();
  problems.forEach((problem, i) => {
    const key = keys[i] ?? '';
    const members = groups.get(key) ?? [problem];
    if (members.length <= SHOWN_IN_FULL + 1) {
      out.push({ kind: 'problem', problem });
      return;
    }
    if (done.has(key)) return;
    done.add(key);
    for (const p of members.slice(0, SHOWN_IN_FULL))
      out.push({ kind: 'problem', problem: p, inGroup: true });
    out.push({
      kind: 'group',
      first: problem,
      count: members.length,
      message: sharedMessage(members),
      where: whereText(members.map((p) => p.place)),
    });
  });
  return out;
}
