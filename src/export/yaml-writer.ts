/**
 * Customers as a desired-state YAML file, written by hand rather than by a YAML library so that
 * the layout is fixed: the same customers always give the same bytes, whatever the library
 * version, and a changed field is a one-line diff.
 */
import { textOf, type CustomerData } from '../core/customer.js';
import type { FieldList } from '../core/fields.js';
import type {
  BankAccountSummary,
  CardSummary,
  PaymentCardSummary,
  PaymentSummary,
} from './types.js';
import { yamlKey, yamlScalar } from './yaml-text.js';

export interface YamlWriteOptions {
  /** The `$schema` reference of the first line; no schema line when absent. */
  schema?: string;
  /** Read-only card notes by customer code (`--include-cards`), written as comments. */
  cards?: ReadonlyMap<string, CardSummary>;
  /**
   * Payment notes (`--include-payment-details`), one per customer in the same order, written as
   * comments; they take the place of the card notes.
   */
  payments?: readonly (PaymentSummary | undefined)[];
}

const READ_ONLY = '(read-only, not synced)';

/** The comment about a customer's cards: a count and the default card's last four digits. */
export function cardComment(summary: CardSummary): string {
  const count = `${summary.count} card${summary.count === 1 ? '' : 's'} on file`;
  const last4 =
    summary.defaultLast4 === undefined ? '' : `, default ends in ${summary.defaultLast4}`;
  return `# ${count}${last4} (read-only, not synced)`;
}

function cardsText(summary: PaymentCardSummary): string {
  if (summary.count === 0) return 'no cards on file';
  const count = `${summary.count} card${summary.count === 1 ? '' : 's'} on file`;
  const last4 =
    summary.defaultLast4 === undefined ? '' : `, default ends in ${summary.defaultLast4}`;
  const expiry = summary.defaultExpiry === undefined ? '' : `, expires ${summary.defaultExpiry}`;
  return `${count}${last4}${expiry}`;
}

function bankAccountText(account: BankAccountSummary): string {
  const parts = [account.type === undefined ? 'bank account' : `${account.type} account`];
  if (account.last4 !== undefined) parts.push(`ends in ${account.last4}`);
  parts.push(account.verified ? 'verified' : 'not verified');
  parts.push(account.pad === undefined ? 'no PAD agreement' : `PAD ${account.pad}`);
  return parts.join(', ');
}

/**
 * The comments about a customer's payment details: the cards, each bank account with its PAD
 * agreement, and any PAD left from a bank account no longer on file. Only counts, fixed words,
 * four digits and an `MM/YY` can appear: the summary holds nothing else.
 */
export function paymentComments(summary: PaymentSummary): string[] {
  const { cards, bankAccounts, padsWithoutAccount } = summary;
  if (cards.count === 0 && bankAccounts.length === 0 && padsWithoutAccount.length === 0)
    return [`# no cards or bank accounts on file ${READ_ONLY}`];
  const lines = [`# ${cardsText(cards)} ${READ_ONLY}`];
  if (bankAccounts.length === 0) lines.push(`# no bank accounts on file ${READ_ONLY}`);
  for (const account of bankAccounts) lines.push(`# ${bankAccountText(account)} ${READ_ONLY}`);
  for (const status of padsWithoutAccount)
    lines.push(`# PAD ${status}, its bank account no longer on file ${READ_ONLY}`);
  return lines;
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
  for (const [index, customer] of customers.entries()) {
    const payments = options.payments;
    if (payments !== undefined) {
      const summary = payments[index];
      if (summary !== undefined)
        for (const line of paymentComments(summary)) lines.push(`  ${line}`);
    } else {
      const code = textOf(customer[list.identity]);
      const cards = code === undefined ? undefined : options.cards?.get(code);
      if (cards !== undefined && cards.count > 0) lines.push(`  ${cardComment(cards)}`);
    }
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
