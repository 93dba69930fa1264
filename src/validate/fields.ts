/** Field-path helpers for validation: ignoring fields, finding empty ones, reading the identity. */
import type { CustomerData } from '../core/customer.js';
import { fieldSpec, isFieldPath, type FieldList } from '../core/fields.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `value` without the ignored paths (`shippingAddress`, `billingAddress.phone`). */
export function withoutIgnored(
  value: Record<string, unknown>,
  ignore: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  for (const path of ignore) {
    const dot = path.indexOf('.');
    if (dot < 0) {
      delete out[path];
      continue;
    }
    const kind = path.slice(0, dot);
    const holder = out[kind];
    if (!isObject(holder)) continue;
    const copy = { ...holder };
    delete copy[path.slice(dot + 1)];
    out[kind] = copy;
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/** Dotted paths of known fields whose value is empty: what `emptyCells: clear` erases. */
export function emptyPaths(list: FieldList, value: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const spec = fieldSpec(list, key);
    if (spec === undefined) continue;
    if (spec.kind === 'text') {
      if (isEmpty(v)) out.push(key);
    } else if (isObject(v)) {
      for (const [field, inner] of Object.entries(v)) {
        if (isFieldPath(list, `${key}.${field}`) && isEmpty(inner)) out.push(`${key}.${field}`);
      }
    }
  }
  return out;
}

/**
 * The identity value at `matchKey` of a normalised customer. E-mail keys compare without letter
 * case: people type them both ways, and no mail system tells them apart in practice.
 */
export function identityOf(data: CustomerData, matchKey: string): string | undefined {
  const dot = matchKey.indexOf('.');
  let value: string | undefined;
  if (dot < 0) {
    const v: unknown = Reflect.get(data, matchKey);
    value = typeof v === 'string' ? v : undefined;
  } else {
    const holder: unknown = Reflect.get(data, matchKey.slice(0, dot));
    const v: unknown = isObject(holder) ? holder[matchKey.slice(dot + 1)] : undefined;
    value = typeof v === 'string' ? v : undefined;
  }
  if (value === undefined) return undefined;
  return matchKey.endsWith('email') ? value.toLowerCase() : value;
}

/** `metadata.<key>` for every key of a map field written as null: keys to remove. */
export function nullMapKeys(list: FieldList, value: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const spec of list.fields) {
    if (spec.kind !== 'map') continue;
    const map = value[spec.name];
    if (!isObject(map)) continue;
    for (const [key, inner] of Object.entries(map))
      if (inner === null) out.push(`${spec.name}.${key}`);
  }
  return out;
}
