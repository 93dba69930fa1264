/**
 * Customers as a desired-state YAML file, written by hand rather than by a YAML library so that
 * the layout is fixed: the same customers always give the same bytes, whatever the library
 * version, and a changed field is a one-line diff.
 */
import { textOf, type CustomerData } from '../core/customer.js';
import type { FieldList } from '../core/fields.js';
import type { CardSummary } from './types.js';
import { yamlKey, yamlScalar } from './yaml-text.js';

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
  list: FieldList,
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
    const code = textOf(customer[list.identity]);
    const cards = code === undefined ? undefined : options.cards?.get(code);
    if (cards !== undefined && cards.count > 0) lines.push(`  ${cardComment(cards)}`);
    let prefix = '  - ';
    const next = (): string => {
      const p = prefix;
      prefix = '    ';
      return p;
    };
    for (const spec of list.fields) {
      const value = customer[spec.name];
      if (value === undefined || value === '') continue;
      if (typeof value === 'string') {
        if (spec.kind === 'text') lines.push(`${next()}${spec.name}: ${yamlScalar(value)}`);
        continue;
      }
      const keys = spec.kind === 'group' ? spec.keys : Object.keys(value).sort();
      const set: [string, string][] = [];
      for (const key of keys) {
        const inner = value[key];
        if (typeof inner === 'string' && inner !== '') set.push([key, inner]);
      }
      if (set.length === 0) continue;
      lines.push(`${next()}${spec.name}:`);
      for (const [key, inner] of set) lines.push(`      ${yamlKey(key)}: ${yamlScalar(inner)}`);
    }
    // A customer without any field cannot come from a provider, but would be a broken item.
    if (prefix === '  - ') lines.push('  - {}');
  }
  return lines.join('\n') + '\n';
}
