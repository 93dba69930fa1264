/**
 * The failures files of an apply (`apply --failures FILE`, default `<input>.failures.csv` beside
 * each CSV input): the failed records in their input's own columns, exactly as read, plus an
 * `error` column, written by the rejects writer so that a person fixes the file and applies it
 * again, as with Salesforce Data Loader's error files.
 *
 * The plan holds no input rows (they may have been loaded on another thread, or by `plan --out`
 * long before), so the files of failed records are read again, and each record is found by its
 * place and identity: a row moved or changed since the plan is named, never guessed.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { redact } from '../core/errors.js';
import { loadDesiredState, type DesiredCustomer } from '../desired/index.js';
import { inputKind } from '../load/files.js';
import { defaultFailuresPath, writeErrorRows, type ErrorRow } from '../load/rejects.js';
import { formatSource } from '../load/types.js';
import type { Plan } from '../plan/types.js';
import { providerInfo } from '../providers/index.js';
import type { ApplyReport, FailuresWritten } from './apply.js';
import { failureRows, sourceFile, type FailureRow } from './failures.js';

export type { FailuresWritten } from './apply.js';

export interface FailuresOptions {
  cwd: string;
  /** `--failures FILE`: every failed record goes there, YAML ones too. */
  target?: string;
  /** `--config FILE`, to read the inputs again as the plan read them. */
  configPath?: string;
  /** Struck out of every error text, whatever the client already did. */
  secrets?: readonly string[];
}

export interface FailuresOutcome {
  written: FailuresWritten[];
  /** Failed records of YAML inputs with no `--failures FILE`: in the report only. */
  listedOnly: FailureRow[];
  /** Failed records whose row was not found again as planned (the file changed since). */
  unlocated: FailureRow[];
  /** Files that could not be written, with the reason. */
  unwritable: { path: string; reason: string }[];
}

const NOTHING: FailuresOutcome = { written: [], listedOnly: [], unlocated: [], unwritable: [] };

/**
 * Writes the failures files of an apply. A run with no failed write writes nothing and removes
 * nothing; a file is written only when a failed record goes to it.
 */
export function writeFailureFiles(
  report: ApplyReport,
  plan: Plan,
  options: FailuresOptions,
): FailuresOutcome {
  const system = providerInfo(plan.provider).displayName;
  const rows = failureRows(report, plan, system).map((row) => ({
    ...row,
    error: redact(row.error, options.secrets ?? []),
  }));
  if (!rows.some((r) => r.failed)) return NOTHING;
  const target = options.target === undefined ? undefined : resolve(options.cwd, options.target);
  const listedOnly: FailureRow[] = [];
  const groups = new Map<string, FailureRow[]>();
  for (const row of rows) {
    const input = resolve(options.cwd, sourceFile(row.source));
    const csv = inputKind(input) === 'csv';
    const path = target ?? (csv ? defaultFailuresPath(input) : undefined);
    if (path === undefined) {
      if (row.failed) listedOnly.push(row);
      continue;
    }
    // A row not done stays only in a file rewritten in place: elsewhere it was never a failure.
    if (!row.failed && path !== input) continue;
    const group = groups.get(path);
    if (group === undefined) groups.set(path, [row]);
    else group.push(row);
  }
  for (const [path, group] of groups) if (!group.some((r) => r.failed)) groups.delete(path);
  if (groups.size === 0) return { ...NOTHING, listedOnly };

  const found = readAgain([...groups.values()].flat(), options.cwd, options.configPath);
  const outcome: FailuresOutcome = { written: [], listedOnly, unlocated: [], unwritable: [] };
  for (const [path, group] of groups) {
    const located: (ErrorRow & { order: number })[] = [];
    let failed = 0;
    for (const row of group) {
      const hit = found.get(row.source);
      if (hit === undefined || (row.keyed && hit.customer.key !== row.key)) {
        if (row.failed) outcome.unlocated.push(row);
        continue;
      }
      located.push({ record: hit.customer.record, error: row.error, order: hit.order });
      if (row.failed) failed++;
    }
    if (failed === 0) continue;
    located.sort((a, b) => a.order - b.order);
    const refusal = notAnErrorFile(path);
    if (refusal !== undefined) {
      outcome.unwritable.push({ path, reason: refusal });
      continue;
    }
    try {
      writeErrorRows(path, located);
      outcome.written.push({ path, records: located.length });
    } catch (error) {
      outcome.unwritable.push({
        path,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return outcome;
}

/**
 * The records of the rows' files, read again with the config the plan was made with, by their
 * source text; `order` keeps them in the order of the files and rows.
 */
function readAgain(
  rows: readonly FailureRow[],
  cwd: string,
  configPath: string | undefined,
): Map<string, { customer: DesiredCustomer; order: number }> {
  const files = [...new Set(rows.map((r) => sourceFile(r.source)))];
  const state = loadDesiredState(files, {
    cwd,
    ...(configPath === undefined ? {} : { configPath }),
  });
  const wanted = new Set(rows.map((r) => r.source));
  const out = new Map<string, { customer: DesiredCustomer; order: number }>();
  state.customers.forEach((customer, order) => {
    const source = formatSource(customer.place);
    if (wanted.has(source)) out.set(source, { customer, order });
  });
  return out;
}

/**
 * Why an existing file must not be replaced: only a file this tool wrote (its header ends with
 * the `error` column) or no file at all may be, so that `--failures` never overwrites data.
 */
export function notAnErrorFile(path: string): string | undefined {
  let head: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(64 * 1024);
      head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    return error instanceof Error ? error.message : String(error);
  }
  if (head.trim() === '') return undefined;
  const header = (head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '').trim();
  const last = header
    .slice(header.lastIndexOf(',') + 1)
    .replace(/^"|"$/g, '')
    .trim();
  return last === 'error'
    ? undefined
    : 'it exists and is not a failures or rejects file (its last column is not "error")';
}
