/**
 * Customers as a CSV file with dotted headers, safe to open in a spreadsheet: every cell goes
 * through `neutralizeCell`, so a value like `=HYPERLINK(...)` is shown as text instead of run,
 * and the loader gives the exact value back.
 *
 * Lines end in LF: the file lives in git, where CRLF shows up as noise in diffs, and both the
 * loader and every spreadsheet program read LF. No byte-order mark unless asked (`bom`): Excel
 * needs one to read UTF-8 accents right, but it is noise to every other tool.
 */
import type { CustomerData } from '../core/customer.js';
import { neutralizeCell } from '../load/csv-safety.js';
import { flatten, type FieldList } from '../core/fields.js';

export interface CsvWriteOptions {
  bom?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One cell as written: neutralised, then quoted when it holds a comma, quote or line break. */
export function csvCell(value: string, delimiter = ','): string {
  const cell = neutralizeCell(value);
  return NEEDS_QUOTES.test(cell) || cell.includes(delimiter)
    ? `"${cell.replaceAll('"', '""')}"`
    : cell;
}

export function customersToCsv(
  list: FieldList,
  customers: readonly CustomerData[],
  options: CsvWriteOptions = {},
): string {
  const rows = customers.map((c) => new Map(flatten(list, c).filter(([, v]) => v !== '')));
  const used = new Set<string>();
  for (const row of rows) for (const path of row.keys()) used.add(path);
  // Canonical order, and only the columns some customer uses.
  const columns = columnOrder(list, used);
  if (columns.length === 0) columns.push(list.identity);
  const lines = [columns.map((c) => csvCell(c)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row.get(c) ?? '')).join(','));
  return (options.bom === true ? '\ufeff' : '') + lines.join('\n') + '\n';
}

/** The used paths in the list's order: groups by their keys, map keys sorted. */
function columnOrder(list: FieldList, used: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const spec of list.fields) {
    if (spec.kind === 'text') {
      if (used.has(spec.name)) out.push(spec.name);
    } else if (spec.kind === 'group') {
      for (const key of spec.keys)
        if (used.has(`${spec.name}.${key}`)) out.push(`${spec.name}.${key}`);
    } else {
      const prefix = `${spec.name}.`;
      out.push(...[...used].filter((p) => p.startsWith(prefix)).sort());
    }
  }
  return out;
}
