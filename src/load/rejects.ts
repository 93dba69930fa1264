/**
 * The rejects file: the records `--skip-invalid` held back, in the input's own columns plus an
 * `error` column, so a person can fix them in a spreadsheet and feed the file straight back in.
 * The failures file of `apply --failures` (the records the remote side refused) is written the
 * same way. Both hold personal data, so they are created readable by their owner only.
 */
import { chmodSync, closeSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { ERROR_COLUMN } from './csv-plan.js';
import { neutralizeCell } from './csv-safety.js';
import type { Problem, RawRecord } from './types.js';

export interface Rejected {
  record: RawRecord;
  problems: readonly Problem[];
}

export const REJECTS_SUFFIX = '.rejects.csv';
export const FAILURES_SUFFIX = '.failures.csv';

/** A row of an error file: the record as it was read, and what went wrong with it. */
export interface ErrorRow {
  record: RawRecord;
  error: string;
}

/**
 * `dir/crm.csv` to `dir/crm<suffix>`; a file that already ends with `suffix` (a fixed rejects
 * or failures file fed back in) is its own.
 */
function besideInput(input: string, suffix: string): string {
  const name = basename(input);
  if (name.toLowerCase().endsWith(suffix)) return input;
  return join(dirname(input), `${name.slice(0, name.length - extname(name).length)}${suffix}`);
}

/** `customers/crm.csv` to `customers/crm.rejects.csv` (also for YAML inputs). */
export function defaultRejectsPath(input: string): string {
  return besideInput(input, REJECTS_SUFFIX);
}

/** `customers/crm.csv` to `customers/crm.failures.csv`; `crm.failures.csv` is its own. */
export function defaultFailuresPath(input: string): string {
  return besideInput(input, FAILURES_SUFFIX);
}

/** Whether a file name is one this tool writes beside its inputs (never read from a folder). */
export function isErrorFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith(REJECTS_SUFFIX) || lower.endsWith(FAILURES_SUFFIX);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

/** A record's cells: the CSV row as read, or a YAML record flattened to dotted paths. */
export function recordCells(record: RawRecord): [string, string][] {
  if (record.cells !== undefined) return Object.entries(record.cells);
  const value = record.value;
  if (!isObject(value)) return [];
  const out: [string, string][] = [];
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (isObject(v)) {
      for (const sub of Object.keys(v)) out.push([`${key}.${sub}`, cellText(v[sub])]);
    } else out.push([key, cellText(v)]);
  }
  return out;
}

export function errorText(problems: readonly Problem[]): string {
  return problems
    .filter((p) => p.severity === 'error')
    .map((p) => (p.hint === undefined ? p.message : `${p.message} (${p.hint})`))
    .join('; ');
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * Every cell, header and `error` column included, is neutralised first (csv-safety.ts): the file
 * is meant to be opened in a spreadsheet, where `=...` would run. The loader undoes it.
 */
function csvCell(value: string): string {
  const text = neutralizeCell(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rejects file's text: header of every column seen (first-seen order), then `error`. */
export function rejectsCsv(rejected: readonly Rejected[]): string {
  return errorRowsCsv(rejected.map((r) => ({ record: r.record, error: errorText(r.problems) })));
}

/**
 * An error file's text: the records' own columns (first-seen order; an `error` column they
 * carry from an earlier error file is replaced), then `error`.
 */
export function errorRowsCsv(errorRows: readonly ErrorRow[]): string {
  const columns: string[] = [];
  const known = new Set<string>();
  const rows = errorRows.map((r) => {
    const cells = new Map(recordCells(r.record).filter(([k]) => k !== ERROR_COLUMN));
    for (const key of cells.keys()) {
      if (!known.has(key)) {
        known.add(key);
        columns.push(key);
      }
    }
    return { cells, error: r.error };
  });
  const lines = [[...columns, ERROR_COLUMN].map(csvCell).join(',')];
  for (const row of rows) {
    lines.push([...columns.map((c) => row.cells.get(c) ?? ''), row.error].map(csvCell).join(','));
  }
  // The BOM makes Excel read the file as UTF-8; the loader strips it.
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** Writes (or replaces) a rejects file with mode 0600. */
export function writeRejects(path: string, rejected: readonly Rejected[]): void {
  writeErrorFile(path, rejectsCsv(rejected));
}

/** Writes (or replaces) an error file (rejects, failures) with mode 0600. */
export function writeErrorRows(path: string, rows: readonly ErrorRow[]): void {
  writeErrorFile(path, errorRowsCsv(rows));
}

function writeErrorFile(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  // An existing file keeps its old mode on open: tighten it.
  chmodSync(path, 0o600);
}

/** Groups rejected records by the rejects file each goes to: one per input, or `single`. */
export function rejectsFiles(
  rejected: readonly Rejected[],
  inputPath: (record: RawRecord) => string,
  single?: string,
): Map<string, Rejected[]> {
  const out = new Map<string, Rejected[]>();
  for (const r of rejected) {
    const path = single ?? defaultRejectsPath(inputPath(r.record));
    const list = out.get(path);
    if (list === undefined) out.set(path, [r]);
    else list.push(r);
  }
  return out;
}
