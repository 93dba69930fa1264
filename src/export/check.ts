/**
 * An export read back through the real loaders before anyone else reads it: what `validate`
 * would say about it, and any customer that would not load as the value exported (which would
 * show as a change in the next plan). Helcim accepts data the desired-state rules refuse (an
 * address without a postal code, an odd email), so a clean account can still give problems;
 * they are reported, not hidden, and the file is written anyway: it is the account as it is.
 */
import type { CustomerData } from '../core/customer.js';
import { defaultConfig } from '../load/config-types.js';
import { loadCsv } from '../load/csv.js';
import type { Problem } from '../load/types.js';
import { loadYaml } from '../load/yaml.js';
import { canonicalJson } from '../core/fields.js';
import { textOf } from '../core/customer.js';
import { providerInfo } from '../providers/index.js';
import { validateRecords } from '../validate/index.js';
import type { ExportFormat } from './types.js';

export interface ExportCheck {
  /** Validation errors, with places in the exported text. */
  problems: Problem[];
  /** Codes of customers that load back as something other than what was exported. */
  changed: string[];
}

export function checkExport(
  name: string,
  text: string,
  format: ExportFormat,
  customers: readonly CustomerData[],
  provider: string,
): ExportCheck {
  const list = providerInfo(provider).fields;
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  // Read as the provider's file: its columns and its identity, not the default provider's.
  const loaded =
    format === 'yaml'
      ? loadYaml(name, body, { identity: list.identity })
      : loadCsv(name, body, { fields: list });
  const validated = validateRecords(loaded.records, defaultConfig('.', provider));
  // Warnings (an empty list, a country spelling) say nothing about the account's data.
  const problems = [...loaded.problems, ...validated.problems].filter(
    (p) => p.severity === 'error',
  );
  const changed: string[] = [];
  const byRecord = new Map(validated.customers.map((c) => [c.record, c.data]));
  loaded.records.forEach((record, i) => {
    const exported = customers[i];
    const back = byRecord.get(record);
    if (exported === undefined || back === undefined) return;
    if (canonicalJson(list, back) !== canonicalJson(list, exported))
      changed.push(textOf(exported[list.identity]) ?? `record ${i + 1}`);
  });
  return { problems, changed };
}
