/**
 * Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return may run as a formula when the CSV is opened in Excel or Google Sheets (OWASP "CSV
 * injection"). Files this tool writes (export, rejects) prefix such cells with `'`, which
 * spreadsheets show as text; the CSV loader removes that one `'` again, so values round-trip
 * exactly. Values that already start with quotes before such a character get one more quote, so
 * the rule stays reversible.
 */
const RISKY = /^'*[=+\-@\t\r]/;

/** The cell as written to a CSV file. */
export function neutralizeCell(value: string): string {
  return RISKY.test(value) ? `'${value}` : value;
}

/** The value a cell written by `neutralizeCell` stands for. */
export function restoreCell(cell: string): string {
  return cell.length > 1 && cell.charCodeAt(0) === 39 /* ' */ && RISKY.test(cell.slice(1))
    ? cell.slice(1)
    : cell;
}
