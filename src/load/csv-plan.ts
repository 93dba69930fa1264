/**
 * The column plan of a CSV file: computed once from the header (and the config's mapping), then
 * applied to every row without lookups, so building a record is a loop over small arrays.
 */
import { fieldPaths, fieldSpec, isFieldPath, type FieldList } from '../core/fields.js';
import { closest } from '../core/suggest.js';
import type { CsvMapping } from './config-types.js';
import type { Problem } from './types.js';

/** Every field path a CSV header or a mapping may name (a map's keys as `metadata.*`). */
export function csvFieldPaths(list: FieldList): string[] {
  return fieldPaths(list);
}

/** The column a rejects file adds; the loader skips it so a fixed rejects file loads as is. */
export const ERROR_COLUMN = 'error';

export interface PlanEntry {
  /** Top-level field, or the key inside group `kind` when that is set. */
  field: string;
  kind: string | undefined;
  path: string;
  /** Source columns (indices into the row); empty for a constant. */
  columns: number[];
  separator: string;
  /** The constant (for `value`), or the fallback when the columns are empty. */
  constant: string | undefined;
  /** 0 top level, n for the plan's n-th group: a number, so the row loop compares no strings. */
  slot: number;
  /** The one source column of a plain entry, or -1 (joined columns, constants, defaults). */
  single: number;
}

function entry(
  plan: ColumnPlan,
  parts: { field: string; kind: string | undefined },
  path: string,
  columns: number[],
  separator: string,
  constant: string | undefined,
): PlanEntry {
  let slot = 0;
  if (parts.kind !== undefined) {
    const at = plan.groups.indexOf(parts.kind);
    slot = at < 0 ? plan.groups.push(parts.kind) : at + 1;
  }
  const single = columns.length === 1 && constant === undefined ? (columns[0] ?? -1) : -1;
  return { ...parts, path, columns, separator, constant, slot, single };
}

export interface ColumnPlan {
  headers: string[];
  /** The groups the entries fill, by slot - 1 (`billingAddress`, `metadata`). */
  groups: string[];
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
  fromValue?: ({ field: string; kind: string | undefined } | undefined)[];
}

function splitPath(
  list: FieldList,
  path: string,
): { field: string; kind: string | undefined } | undefined {
  if (!isFieldPath(list, path)) return undefined;
  const dot = path.indexOf('.');
  if (dot < 0)
    return fieldSpec(list, path)?.kind === 'text' ? { field: path, kind: undefined } : undefined;
  return { field: path.slice(dot + 1), kind: path.slice(0, dot) };
}

/**
 * The path a header names: letter case does not matter for the provider's own names (people and
 * spreadsheet programs change it), but a map's keys are the person's and kept as written.
 */
function headerPath(list: FieldList, folded: ReadonlyMap<string, string>, header: string) {
  const known = folded.get(header.toLowerCase());
  if (known !== undefined) return known;
  const dot = header.indexOf('.');
  if (dot < 0) return undefined;
  const head = folded.get(header.slice(0, dot).toLowerCase());
  return head === undefined ? undefined : `${head}${header.slice(dot)}`;
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

const foldedCache = new WeakMap<FieldList, Map<string, string>>();

/** The list's names by their lower case: its paths, and its groups' and maps' names. */
function foldedPaths(list: FieldList): Map<string, string> {
  let folded = foldedCache.get(list);
  if (folded === undefined) {
    folded = new Map();
    for (const p of fieldPaths(list)) if (!p.endsWith('.*')) folded.set(p.toLowerCase(), p);
    for (const spec of list.fields)
      if (spec.kind !== 'text') folded.set(spec.name.toLowerCase(), spec.name);
    foldedCache.set(list, folded);
  }
  return folded;
}

function emptyPlan(headers: string[]): ColumnPlan {
  return { headers, groups: [], entries: [], columnOf: new Map(), problems: [], unused: [] };
}

/** A plan for a header of field paths (`customerCode`, `billingAddress.street1`, ...). */
export function pathPlan(file: string, headers: string[], list: FieldList): ColumnPlan {
  const plan = emptyPlan(headers);
  const folded = foldedPaths(list);
  duplicates(file, headers, plan.problems);
  headers.forEach((header, index) => {
    if (header === ERROR_COLUMN) return;
    // Spreadsheet programs and people change letter case; the path is still unambiguous.
    const path = headerPath(list, folded, header);
    const parts = path === undefined ? undefined : splitPath(list, path);
    if (path === undefined || parts === undefined) {
      if (header === '') return;
      const guess = closest(header, csvFieldPaths(list));
      plan.problems.push(
        headerProblem(
          file,
          header,
          'unknown-column',
          `unknown column "${header}": not a customer field`,
          guess === undefined
            ? `name columns by field path (${list.pathExample}), or map them in helcim-sync.yaml under \`mappings:\``
            : guess.endsWith('.*')
              ? // An open map's path is a pattern, not a column to copy.
                `a ${guess.slice(0, -2)} column names its key: \`${guess.slice(0, -1)}<key>\``
              : `did you mean \`${guess}\`?`,
        ),
      );
      return;
    }
    if (plan.columnOf.has(path)) return;
    plan.columnOf.set(path, header);
    plan.entries.push(entry(plan, parts, path, [index], ' ', undefined));
  });
  if (plan.problems.length === 0 && plan.entries.length === headers.length) {
    plan.fromValue = plan.entries.map((e) => ({ field: e.field, kind: e.kind }));
  }
  return plan;
}

/** A plan from a config mapping: headers are whatever the export has. */
export function mappedPlan(
  file: string,
  headers: string[],
  mapping: CsvMapping,
  list: FieldList,
): ColumnPlan {
  const plan = emptyPlan(headers);
  duplicates(file, headers, plan.problems);
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
    const folded = h.toLowerCase();
    if (!index.has(folded)) index.set(folded, i);
  });
  const used = new Set<number>();
  for (const [path, spec] of mapping.columns) {
    const parts = splitPath(list, path);
    if (parts === undefined) continue; // the config schema already refused it
    if (spec.kind === 'value') {
      plan.entries.push(entry(plan, parts, path, [], '', spec.value));
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
    plan.entries.push(entry(plan, parts, path, columns, spec.separator, spec.default));
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
  let groups: (Record<string, string> | undefined)[] | undefined;
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
    else ((groups ??= [])[entry.slot - 1] ??= {})[entry.field] = cell;
  }
  // Constants and defaults fill every row; a row is blank when its own cells are.
  if (!any && isBlankRow(row)) return undefined;
  if (groups !== undefined) {
    for (let g = 0; g < plan.groups.length; g++) {
      const group = groups[g];
      const name = plan.groups[g];
      if (group !== undefined && name !== undefined) value[name] = group;
    }
  }
  return value;
}

export function isBlankRow(row: readonly string[]): boolean {
  for (const cell of row) if (cell.trim() !== '') return false;
  return true;
}
