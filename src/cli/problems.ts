import { resolve } from 'node:path';
import type { DesiredState } from '../desired/index.js';
import { rejectsFiles, writeRejects } from '../load/rejects.js';
import { formatPlace, type Problem } from '../load/types.js';
import { painter } from '../render/style.js';

/** `customers.yaml:4:5: error: ...` and, under it, the hint. */
export function formatProblem(problem: Problem, color: boolean): string {
  const paint = painter(color);
  const label = problem.severity === 'error' ? paint('red', 'error') : paint('yellow', 'warning');
  const hint = problem.hint === undefined ? '' : `\n  ${paint('dim', `hint: ${problem.hint}`)}`;
  return `${formatPlace(problem.place)}: ${label}: ${problem.message}${hint}\n`;
}

export interface RejectsWritten {
  path: string;
  records: number;
}

/**
 * Writes the records that failed validation to rejects CSVs (the input's columns plus `error`):
 * one next to each input, or all into `target`.
 */
export function writeRejectFiles(
  state: DesiredState,
  cwd: string,
  target: string | undefined,
): RejectsWritten[] {
  if (state.rejected.length === 0) return [];
  const byName = new Map(state.files.map((f) => [f.name, f.path]));
  const groups = rejectsFiles(
    state.rejected,
    (record) => byName.get(record.file) ?? resolve(cwd, record.file),
    target === undefined ? undefined : resolve(cwd, target),
  );
  const written: RejectsWritten[] = [];
  for (const [path, rejected] of groups) {
    writeRejects(path, rejected);
    written.push({ path, records: rejected.length });
  }
  return written;
}
