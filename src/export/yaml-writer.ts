/**
 * Customers as a desired-state YAML file, written by hand rather than by a YAML library so that
 * the layout is fixed: the same customers always give the same bytes, whatever the library
 * version, and a changed field is a one-line diff.
 */
import { ADDRESS_FIELDS, ADDRESS_KINDS, SCALAR_FIELDS } from '../core/customer.js';
import type { CustomerData } from '../core/customer.js';
import type { CardSummary } from './types.js';
import { yamlScalar } from './yaml-text.js';

export interface YamlWriteOptions {
  /** The `$schema` reference of the first line; no schema line when absent. */
  schema?: string;
  /** Read-only card notes by customer code (`--include-cards`), written as comments. */
  cards?: ReadonlyMap<string, CardSummary>;
}

/** The comment about a customer's cards: a count and the default card's last four digits. */
export function cardComment(summary: CardSummary): string {
  const count = `${summary.count} card${summary.count === 1 ? '' : 's'} on file`;
  const last4 =
    summary.defaultLast4 === undefined ? '' : `, default ends in ${summary.defaultLast4}`;
  return `# ${count}${last4} (read-only, not synced)`;
}

export function customersToYaml(
  customers: readonly CustomerData[],
  options: YamlWriteOptions = {},
): string {
  const lines: string[] = [];
  if (options.schema !== undefined) lines.push(`# yaml-language-server: $schema=${options.schema}`);
  if (customers.length === 0) {
    lines.push('customers: []');
    return lines.join('\n') + '\n';
  }
  lines.push('customers:');
  for (const customer of customers) {
    const code = customer.customerCode;
    const cards = code === undefined ? undefined : options.cards?.get(code);
    if (cards !== undefined && cards.count > 0) lines.push(`  ${cardComment(cards)}`);
    let prefix = '  - ';
    const next = (): string => {
      const p = prefix;
      prefix = '    ';
      return p;
    };
    for (const field of SCALAR_FIELDS) {
      const value = customer[field];
      if (value !== undefined && value !== '')
        lines.push(`${next()}${field}: ${yamlScalar(value)}`);
    }
    for (const kind of ADDRESS_KINDS) {
      const address = customer[kind];
      if (address === undefined) continue;
      const set = ADDRESS_FIELDS.filter((f) => address[f] !== undefined && address[f] !== '');
      if (set.length === 0) continue;
      lines.push(`${next()}${kind}:`);
      for (const f of set) lines.push(`      ${f}: ${yamlScalar(address[f] ?? '')}`);
    }
    // A customer without any field cannot come from a provider, but would be a broken item.
    if (prefix === '  - ') lines.push('  - {}');
  }
  return lines.join('\n') + '\n';
}
