/** What export produces and the choices it takes. */

export const EXPORT_FORMATS = ['yaml', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * What may be said about a customer's stored cards in an export: how many, and the default
 * card's last four digits. Never a token, never the first six digits, never the expiry.
 */
export interface CardSummary {
  count: number;
  defaultLast4?: string;
}

/** Which remote customers to export. Both filters narrow: a customer must pass each one given. */
export interface ExportSelection {
  /** Exact customer codes (`--code`, repeatable). */
  codes?: readonly string[];
  /** Case-insensitive text (`--search`), matched the way Helcim's `search` parameter is documented. */
  search?: string;
}
