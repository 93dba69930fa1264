import type { FieldList } from './fields.js';

/**
 * The one rule by which two identity values name the same customer, used wherever identities
 * meet: duplicates in the files (validate), desired records against remote customers (plan),
 * spreadsheet rows against customers (adopt). Written once so that a pair `validate` lets through
 * can never turn into a conflict in `plan`.
 *
 * An identifier a machine wrote (a customer code, a DID: the field list's `exactKeys`) is
 * compared exactly, as the provider's exact-match lookup compares it. Every other key (an e-mail,
 * a business name) is something people type: letter case and runs of white space do not make
 * another customer.
 */
export function identityKey(
  list: FieldList,
  matchKey: string,
  value: string | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  const key = list.exactKeys.includes(matchKey) ? value : foldText(value);
  return key === '' ? undefined : key;
}

function foldText(value: string): string {
  let text = value.trim();
  // Most values have no run of spaces: skip the regular expression for them.
  if (/\s\s|[^\S ]/.test(text)) text = text.replace(/\s+/g, ' ');
  return text.toLowerCase();
}
