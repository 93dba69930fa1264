/**
 * A provider's field list, and the field-path helpers the core uses on any customer. Paths are
 * dotted: `contactName`, `billingAddress.city`, `metadata.crm_id`.
 */
import { groupOf, textOf, type CustomerData, type FieldGroup } from './customer.js';

/** One text value: a name, an e-mail. */
export interface TextField {
  readonly name: string;
  readonly kind: 'text';
}

/** A fixed set of text values under one name, compared key by key: an address. */
export interface GroupField {
  readonly name: string;
  readonly kind: 'group';
  readonly keys: readonly string[];
}

/** Any keys the person chooses, each holding text: metadata. */
export interface MapField {
  readonly name: string;
  readonly kind: 'map';
}

export type FieldSpec = TextField | GroupField | MapField;

/** What the core knows of a provider's customer: its fields, in the order they are shown. */
export interface FieldList {
  readonly fields: readonly FieldSpec[];
  /**
   * The top-level text field a customer is found by in one call, which a create needs and
   * which plans match on by default: Helcim's `customerCode`, Payment Kit's `did`.
   */
  readonly identity: string;
  /** Identifiers a machine wrote (codes, DIDs, ids): compared exactly, never folded. */
  readonly exactKeys: readonly string[];
  /** The identity in messages: `code` (Helcim), `DID` (Payment Kit). */
  readonly identityLabel: string;
  /** What `export --search` looks in. */
  readonly searchPaths: readonly string[];
  /** A dotted field path, for hints: `billingAddress.street1`. */
  readonly pathExample: string;
  /** Another match key, for hints: `billingAddress.email`. */
  readonly matchKeyExample: string;
}

/** The spec of a top-level field, if the list has one. */
export function fieldSpec(list: FieldList, name: string): FieldSpec | undefined {
  for (const spec of list.fields) if (spec.name === name) return spec;
  return undefined;
}

/**
 * Whether `path` names a field of the list: a text field, a group's key, or any key of a map
 * (`metadata.crm_id`). A group or map by its name alone is a path too (`ignore: [shippingAddress]`).
 */
export function isFieldPath(list: FieldList, path: string): boolean {
  const dot = path.indexOf('.');
  const spec = fieldSpec(list, dot < 0 ? path : path.slice(0, dot));
  if (spec === undefined) return false;
  if (dot < 0) return true;
  const key = path.slice(dot + 1);
  if (spec.kind === 'group') return spec.keys.includes(key);
  // A map's key is whatever follows the field's name: `metadata.crm.id` names the key `crm.id`.
  return spec.kind === 'map' && key !== '';
}

/** Every path of the list's text fields and group keys, in order: `metadata.*` for a map. */
export function fieldPaths(list: FieldList): string[] {
  const out: string[] = [];
  for (const spec of list.fields) {
    if (spec.kind === 'text') out.push(spec.name);
    else if (spec.kind === 'group') for (const key of spec.keys) out.push(`${spec.name}.${key}`);
    else out.push(`${spec.name}.*`);
  }
  return out;
}

/** Reads a dotted field path of a customer, when it holds text. */
export function getField(data: CustomerData, path: string): string | undefined {
  const dot = path.indexOf('.');
  if (dot === -1) return textOf(data[path]);
  return textOf(groupOf(data[path.slice(0, dot)])?.[path.slice(dot + 1)]);
}

/** Every set field of a customer as `[path, value]`, in the list's order; map keys sorted. */
export function flatten(list: FieldList, data: CustomerData): [string, string][] {
  const out: [string, string][] = [];
  for (const spec of list.fields) {
    const value = data[spec.name];
    if (value === undefined) continue;
    if (spec.kind === 'text') {
      if (typeof value === 'string') out.push([spec.name, value]);
      continue;
    }
    if (typeof value !== 'object') continue;
    const keys = spec.kind === 'group' ? spec.keys : Object.keys(value).sort();
    for (const key of keys) {
      const inner = value[key];
      if (typeof inner === 'string') out.push([`${spec.name}.${key}`, inner]);
    }
  }
  return out;
}

/**
 * A copy without the ignored paths. `ignore` holds top-level fields (`cellPhone`,
 * `shippingAddress`) or keys of a group (`billingAddress.phone`, `metadata.note`).
 */
export function withoutIgnored(data: CustomerData, ignore: ReadonlySet<string>): CustomerData {
  if (ignore.size === 0) return data;
  const out: CustomerData = {};
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined || ignore.has(name)) continue;
    if (typeof value === 'string') {
      out[name] = value;
      continue;
    }
    const kept: FieldGroup = {};
    let any = false;
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined || ignore.has(`${name}.${key}`)) continue;
      kept[key] = inner;
      any = true;
    }
    if (any) out[name] = kept;
  }
  return out;
}

/** The managed data of a customer: the list's fields only (no id, no dates), groups copied. */
export function managedData(list: FieldList, remote: CustomerData): CustomerData {
  const data: CustomerData = {};
  for (const spec of list.fields) {
    const value = remote[spec.name];
    if (value === undefined) continue;
    if (spec.kind === 'text') {
      if (typeof value === 'string') data[spec.name] = value;
    } else if (typeof value === 'object') data[spec.name] = { ...value };
  }
  return data;
}

/** Stable JSON: keys in the list's order, so equal customers serialise (and hash) equally. */
export function canonicalJson(list: FieldList, data: CustomerData): string {
  return JSON.stringify(Object.fromEntries(flatten(list, data)));
}
