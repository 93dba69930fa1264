/**
 * The column plan of a CSV file: computed once from the header (and the config's mapping), then
 * applied to every row without lookups, so building a record is a loop over small arrays.
 */
import type { AddressKind } from '../providers/helcim/fields.js';
import {
  ADDRESS_FIELDS,
  ADDRESS_KINDS,
  SCALAR_FIELDS,
  isAddressField,
  isAddressKind,
} from '../providers/helcim/fields.js';
import { closest } from '../core/suggest.js';
import type { CsvMapping } from './config-types.js';
import type { Problem } from './types.js';

/** Every field path a CSV header or a mapping may name. */
export const FIELD_PATHS: readonly string[] = [
  ...SCALAR_FIELDS,
  ...ADDRESS_KINDS.flatMap((kind) => ADDRESS_FIELDS.map((f) => `${kind}.${f}`)),
];

/** The column a rejects file adds; the loader skips it so a fixed rejects file loads as is. */
export const ERROR_COLUMN = 'error';

export interface PlanEntry {
  /** Top-level field, or the address field when `kind` is set. */
  field: string;
  kind: AddressKind | undefined;
  path: string;
  /** Source columns (indices into the row); empty for a constant. */
  columns: number[];
  separator: string;
  /** The constant (for `value`), or the fallback when the columns are empty. */
  constant: string | undefined;
  /** 0 top level, 1 billing, 2 shipping: a number, so the row loop compares no strings. */
  slot: 0 | 1 | 2;
  /** The one source column of a plain entry, or -1 (joined columns, constants, defaults). */
  single: number;
}

function entry(
  parts: { field: string; kind: AddressKind | undefined },
  path: string,
  columns: number[],
  separator: string,
  constant: string | undefined,
): PlanEntry {
  const slot = parts.kind === undefined ? 0 : parts.kind === 'billingAddress' ? 1 : 2;
  const single = columns.length === 1 && constant === undefined ? (columns[0] ?? -1) : -1;
  return { ...parts, path, columns, separator, constant, slot, single };
}

export interface ColumnPlan {
  headers: string[];
  entries: PlanEntry[];
  /** Field path to the header shown in places. */
  columnOf: Map<string, string>;
  problems: Problem[];
  /** Headers nothing reads (a mapping that leaves columns out). */
  unused: string[];
  /**
   * For a header of known field paths only: the field of each column, so a row's cells can be
   * rebuilt from its value (an empty cell is an absent field) and the row need not be kept.
   */
  fromValue?: ({ field: string; kind: AddressKind | undefined } | undefined)[];
}

function splitPath(path: string): { field: string; kind: AddressKind | undefined } | undefined {
  const dot = path.indexOf('.');
  if (dot < 0)
    return (SCALAR_FIELDS as readonly string[]).includes(path)
      ? { field: path, kind: undefined }
      : undefined;
  const kind = path.slice(0, dot);
  const field = path.slice(dot + 1);
  return isAddressKind(kind) && isAddressField(field) ? { field, kind } : undefined;
}

function headerProblem(
  file: string,
  column: string,
  code: string,
  message: string,
  hint?: string,
): Problem {
  const problem: Problem = {
    severity: 'error',
    code,
    message,
    place: { kind: 'csv', file, row: 1, column },
  };
  if (hint !== undefined) problem.hint = hint;
  return problem;
}

function duplicates(file: string, headers: string[], problems: Problem[]): void {
  const seen = new Set<string>();
  for (const h of headers) {
    if (h !== '' && seen.has(h)) {
      problems.push(
        headerProblem(
          file,
          h,
          'csv-duplicate-header',
          `column "${h}" appears twice in the header`,
          'rename or remove one of them',
        ),
      );
    }
    seen.add(h);
  }
}

const FOLDED_PATHS = new Map(FIELD_PATHS.map((p) => [p.toLowerCase(), p]));

/** A plan for a header of field paths (`customerCode`, `billingAddress.street1`, ...). */
export function pathPlan(file: string, headers: string[]): ColumnPlan {
  const plan: ColumnPlan = { headers, entries: [], columnOf: new Map(), problems: [], unused: [] };
  duplicates(file, headers, plan.problems);
  headers.forEach((header, index) => {
    if (header === ERROR_COLUMN) return;
    // Spreadsheet programs and people change letter case; the path is still unambiguous.
    const path = FOLDED_PATHS.get(header.toLowerCase());
    const parts = path === undefined ? undefined : splitPath(path);
    if (path === undefined || parts === undefined) {
      if (header === '') return;
      const guess = closest(header, FIELD_PATHS);
      plan.problems.push(
        headerProblem(
          file,
          header,
          'unknown-column',
          `unknown column "${header}": not a customer field`,
          guess === undefined
            ? 'name columns by field path (billingAddress.street1), or map them in helcim-sync.yaml under `mappings:`'
            : `did you mean \`${guess}\`?`,
        ),
      );
      return;
    }
    if (plan.columnOf.has(path)) return;
    plan.columnOf.set(path, header);
    plan.entries.push(entry(parts, path, [index], ' ', undefined));
  });
  if (plan.problems.length === 0 && plan.entries.length === headers.length) {
    plan.fromValue = plan.entries.map((e) => ({ field: e.field, kind: e.kind }));
  }
  return plan;
}

/** A plan from a config mapping: headers are whatever the export has. */
export function mappedPlan(file: string, headers: string[], mapping: CsvMapping): ColumnPlan {
  const plan: ColumnPlan = { headers, entries: [], columnOf: new Map(), problems: [], unused: [] };
  duplicates(file, headers, plan.problems);
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
    const folded = h.toLowerCase();
    if (!index.has(folded)) index.set(folded, i);
  });
  const used = new Set<number>();
  for (const [path, spec] of mapping.columns) {
    const parts = splitPath(path);
    if (parts === undefined) continue; // the config schema already refused it
    if (spec.kind === 'value') {
      plan.entries.push(entry(parts, path, [], '', spec.value));
      continue;
    }
    const columns: number[] = [];
    for (const name of spec.from) {
      const i = index.get(name) ?? index.get(name.toLowerCase());
      if (i === undefined) {
        const guess = closest(name, headers);
        plan.problems.push({
          severity: 'error',
          code: 'mapping-column-missing',
          message: `mapping "${mapping.name}" reads column "${name}" for ${path}, but the header has no such column`,
          place: { kind: 'csv', file, row: 1 },
          hint:
            guess === undefined
              ? `the columns are: ${headers.join(', ')}`
              : `did you mean "${guess}"?`,
        });
        continue;
      }
      columns.push(i);
      used.add(i);
    }
    const first = columns[0];
    if (first !== undefined) plan.columnOf.set(path, headers[first] ?? '');
    plan.entries.push(entry(parts, path, columns, spec.separator, spec.default));
  }
  plan.unused = headers.filter((h, i) => !used.has(i) && h !== '' && h !== ERROR_COLUMN);
  return plan;
}

function cellOf(entry: PlanEntry, row: readonly string[]): string {
  if (entry.columns.length === 0) return entry.constant ?? '';
  let out = '';
  for (const i of entry.columns) {
    const cell = (row[i] ?? '').trim();
    if (cell !== '') out = out === '' ? cell : out + entry.separator + cell;
  }
  return out === '' ? (entry.constant ?? '') : out;
}

/**
 * The raw record value of a row. Empty cells are left out unless `keepEmpty` (the config's
 * `emptyCells: clear`), so "unmanaged" costs nothing downstream. Returns undefined for a row
 * with nothing in it.
 */
export function buildValue(
  plan: ColumnPlan,
  row: readonly string[],
  keepEmpty: boolean,
): Record<string, unknown> | undefined {
  const value: Record<string, unknown> = {};
  let billing: Record<string, string> | undefined;
  let shipping: Record<string, string> | undefined;
  let any = false;
  const entries = plan.entries;
  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e];
    if (entry === undefined) continue;
    const cell = entry.single >= 0 ? (row[entry.single] ?? '') : cellOf(entry, row);
    if (cell === '') {
      if (!keepEmpty) continue;
    } else if (entry.single >= 0) any = true;
    if (entry.slot === 0) value[entry.field] = cell;
    else if (entry.slot === 1) (billing ??= {})[entry.field] = cell;
    else (shipping ??= {})[entry.field] = cell;
  }
  // Constants and defaults fill every row; a row is blank when its own cells are.
  if (!any && isBlankRow(row)) return undefined;
  if (billing !== undefined) value['billingAddress'] = billing;
  if (shipping !== undefined) value['shippingAddress'] = shipping;
  return value;
}

export function isBlankRow(row: readonly string[]): boolean {
  for (const cell of row) if (cell.trim() !== '') return false;
  return true;
}
