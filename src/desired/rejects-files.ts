import { resolve } from 'node:path';
import { rejectsFiles, writeRejects } from '../load/rejects.js';
import type { DesiredState } from './index.js';

export interface RejectsWritten {
  path: string;
  records: number;
}

/**
 * Writes the records that failed validation to rejects CSVs (the input's columns plus `error`):
 * one next to each input, or all into `target`.
 */
export function writeRejectFiles(
  state: Pick<DesiredState, 'rejected' | 'files'>,
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
