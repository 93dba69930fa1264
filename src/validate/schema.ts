/**
 * The JSON Schemas in `schemas/` (also used by editors) as validators, and their errors turned
 * into problems a person can act on: dotted path, plain words, a guess when one is close. The
 * validators the build compiled (precompiled.ts) are used when they are current; any other
 * schema, or a build without them, is compiled here with ajv, once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type * as AjvModule from 'ajv';
import { closest, nearest } from '../core/suggest.js';
import type { Place, Problem } from '../load/types.js';
import { AJV_OPTIONS } from './ajv-options.js';
import { precompiledValidator } from './precompiled.js';

/** A file of `schemas/` without its `.schema.json`: `config`, or a provider's customers file. */
export type SchemaName = string;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function schemaFile(name: SchemaName): URL {
  // From dist/src/validate/ (built) to the package root, where schemas/ ships.
  return new URL(`../../../schemas/${name}.schema.json`, import.meta.url);
}

function isAjvModule(value: unknown): value is typeof AjvModule {
  // ajv's CommonJS export is the Ajv class itself, with the named exports on it.
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    'Ajv' in value &&
    typeof value.Ajv === 'function'
  );
}

/** An ajv with the tool's options (and `extra`: the build asks for the code's source). */
export function createAjv(extra: Options = {}): Ajv {
  // Loaded on first use: a run that compiles no schema (the build compiled them; a CSV plan
  // without a config; the emulator) does not pay its start-up (about 0.1 s of CPU).
  const loaded: unknown = createRequire(import.meta.url)('ajv');
  if (!isAjvModule(loaded)) throw new Error('the ajv package has no Ajv class');
  return new loaded.Ajv({ ...AJV_OPTIONS, ...extra });
}

/** Adds a schema file the first time one of its refs is asked for. */
function load(name: SchemaName): Ajv {
  ajv ??= createAjv();
  if (ajv.getSchema(name) !== undefined) return ajv;
  const schema: unknown = JSON.parse(readFileSync(schemaFile(name), 'utf8'));
  if (typeof schema !== 'object' || schema === null) throw new Error(`bad schema ${name}`);
  ajv.addSchema(schema, name);
  return ajv;
}

/** ajv's validator for a ref, compiled now: what the build's validators must agree with. */
export function compiledNow(ref: string): ValidateFunction {
  const fn = load(ref.split('#')[0] ?? ref).getSchema(ref);
  if (fn === undefined) throw new Error(`no schema ${ref}`);
  return fn;
}

/** A validator for a schema or one of its definitions (`customers#/definitions/customer`). */
export function validator(ref: string): ValidateFunction {
  const known = compiled.get(ref);
  if (known !== undefined) return known;
  const fn = precompiledValidator(ref) ?? compiledNow(ref);
  compiled.set(ref, fn);
  return fn;
}

/** `/billingAddress/country` to `billingAddress.country`. */
export function dottedPath(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return parts.join('.');
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return typeof value;
}

/**
 * The fix for a value of the wrong type, when one can be said: quotes for a number meant as
 * text, none for a boolean, one text for a list, and for a mapping under a key of the person's
 * own choosing (metadata), a key of its own for each value: the schema path tells that case
 * apart (`.../additionalProperties/type`), since only there can a key be invented.
 */
function typeHint(error: ErrorObject, wanted: string, path: string): string | undefined {
  const data: unknown = error.data;
  if (wanted === 'boolean') return 'write true or false, without quotes';
  if (!wanted.includes('string')) return undefined;
  if (typeof data === 'number' || typeof data === 'boolean')
    return 'quote it ("0123") so that it is read as text and keeps any leading zero';
  if (Array.isArray(data)) {
    const items = data.filter((d) => typeof d === 'string' || typeof d === 'number');
    return items.length === data.length && items.length > 0
      ? `write it as one text, e.g. ${JSON.stringify(items.join(', '))}`
      : 'write it as one text';
  }
  if (typeof data === 'object' && data !== null) {
    const name = path.slice(path.lastIndexOf('.') + 1);
    const inner = Object.keys(data)[0];
    return error.schemaPath.includes('/additionalProperties/') && inner !== undefined
      ? `a value here is one text: give each value a key of its own, e.g. \`${name}_${inner}\``
      : 'write one text value here';
  }
  return undefined;
}

/**
 * The values a `pattern` of the generated config schema allows, for a hint: its alternatives
 * (`^(did|id|address\.(city|state)|metadata\.[^\s]+)$`), a free key shown as `<key>`.
 * Undefined for a pattern of any other shape.
 */
export function patternValues(pattern: string): string[] | undefined {
  if (!pattern.startsWith('^') || !pattern.endsWith('$')) return undefined;
  const text = pattern.slice(1, -1);
  let i = 0;
  const FREE = '[^\\s]+';
  const alternatives = (): string[] | undefined => {
    const out: string[] = [];
    for (;;) {
      const one = sequence();
      if (one === undefined) return undefined;
      out.push(...one);
      if (text[i] !== '|') return out;
      i++;
    }
  };
  const sequence = (): string[] | undefined => {
    let out = [''];
    while (i < text.length && text[i] !== '|' && text[i] !== ')') {
      let part: string[] | undefined;
      const c = text[i] ?? '';
      if (c === '(') {
        i++;
        part = alternatives();
        if (part === undefined || text[i] !== ')') return undefined;
        i++;
        if (text[i] === '?') {
          i++;
          part = ['', ...part];
        }
      } else if (text.startsWith(FREE, i)) {
        i += FREE.length;
        part = ['<key>'];
      } else if (c === '\\') {
        part = [text[i + 1] ?? ''];
        i += 2;
      } else if (/[\w-]/.test(c)) {
        part = [c];
        i++;
      } else return undefined;
      const next = part;
      out = out.flatMap((head) => next.map((tail) => head + tail));
    }
    return out;
  };
  const values = alternatives();
  return values !== undefined && i === text.length ? values : undefined;
}

/** "did you mean" for a value a pattern refuses: close by spelling, or its last dotted part. */
function patternGuess(value: string, allowed: readonly string[]): string | undefined {
  const fixed = allowed.filter((a) => !a.includes('<key>'));
  const last = value.slice(value.lastIndexOf('.') + 1);
  return closest(value, fixed) ?? (fixed.includes(last) && last !== value ? last : undefined);
}

function propertyNames(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null || !('properties' in schema)) return [];
  const props = schema.properties;
  return typeof props === 'object' && props !== null ? Object.keys(props) : [];
}

function schemaDescription(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null || !('description' in schema)) return undefined;
  return typeof schema.description === 'string' ? schema.description : undefined;
}

interface Described {
  code: string;
  path: string;
  message: string;
  hint?: string;
}

function explain(error: ErrorObject): Described | undefined {
  const path = dottedPath(error.instancePath);
  const at = path === '' ? '' : `${path}: `;
  const params: Record<string, unknown> = error.params;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const guess = closest(name, propertyNames(error.parentSchema));
      const known = propertyNames(error.parentSchema).join(', ');
      const full = dottedPath(error.instancePath, name);
      return {
        code: 'unknown-field',
        path: full,
        message: `${full}: unknown field`,
        hint: guess === undefined ? `known fields: ${known}` : `did you mean \`${guess}\`?`,
      };
    }
    case 'propertyNames':
      return undefined; // its `enum` child error carries the name
    case 'if':
      return undefined; // the failed branch's own errors say what is wrong
    case 'required': {
      const full = dottedPath(error.instancePath, String(params['missingProperty']));
      return { code: 'missing-field', path: full, message: `${full}: missing, and it is required` };
    }
    case 'type': {
      const data: unknown = error.data;
      const wanted = String(params['type']);
      return {
        code: 'wrong-type',
        path,
        message: `${at}must be ${wanted.includes('string') ? 'text' : `a ${wanted === 'object' ? 'mapping' : wanted}`}, not ${describe(data)}`,
        ...withHint(typeHint(error, wanted, path)),
      };
    }
    case 'pattern': {
      // The generated config schema spells a provider's field paths as a pattern where a map
      // (metadata.<key>) makes an enum impossible: said as the enum's message would say it.
      const data = error.propertyName ?? error.data;
      const named =
        error.propertyName === undefined
          ? path
          : dottedPath(error.instancePath, error.propertyName);
      const allowed = patternValues(String(params['pattern']));
      const guess =
        allowed === undefined || typeof data !== 'string' ? undefined : patternGuess(data, allowed);
      const message = `${named === '' ? '' : `${named}: `}${JSON.stringify(data)} is not allowed${error.propertyName === undefined ? '' : ' as a field path'}`;
      return {
        code: 'invalid-value',
        path: named,
        message,
        ...withHint(
          guess !== undefined
            ? `did you mean \`${guess}\`?`
            : allowed === undefined
              ? undefined
              : `use one of ${allowed.join(', ')}`,
        ),
      };
    }
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues'])
        ? params['allowedValues'].map(String)
        : [];
      const data = error.propertyName ?? error.data;
      const guess = typeof data === 'string' ? closest(data, allowed) : undefined;
      const shown =
        allowed.length <= 8
          ? allowed.map((a) => JSON.stringify(a)).join(', ')
          : `${allowed.length} values; the nearest: ${nearest(
              typeof data === 'string' ? data : '',
              allowed,
            )
              .map((a) => `\`${a}\``)
              .join(', ')}`;
      const named =
        error.propertyName === undefined
          ? path
          : dottedPath(error.instancePath, error.propertyName);
      return {
        code: 'invalid-value',
        path: named,
        message: `${at}${JSON.stringify(data)} is not allowed${error.propertyName === undefined ? '' : ' as a field path'}`,
        hint: guess === undefined ? `use one of ${shown}` : `did you mean \`${guess}\`?`,
      };
    }
    case 'const':
      return {
        code: 'invalid-value',
        path,
        message: `${at}must be ${JSON.stringify(params['allowedValue'])}`,
      };
    case 'oneOf':
    case 'anyOf':
      return {
        code: 'wrong-type',
        path,
        message: `${at}${describe(error.data)} does not fit here`,
        ...withHint(schemaDescription(error.parentSchema)),
      };
    default:
      return { code: 'schema', path, message: `${at}${error.message ?? 'is not valid'}` };
  }
}

function withHint(hint: string | undefined): { hint?: string } {
  return hint === undefined ? {} : { hint };
}

/**
 * Problems for ajv errors. Under a failed `oneOf`, the errors of each branch are noise: only the
 * `oneOf` itself is reported, with its description saying what fits.
 */
export function schemaProblems(
  errors: readonly ErrorObject[],
  locate: (path: string) => Place,
): Problem[] {
  const failedUnions = errors
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .map((e) => e.schemaPath);
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (failedUnions.some((p) => error.schemaPath.startsWith(`${p}/`))) continue;
    const described = explain(error);
    if (described === undefined) continue;
    const key = `${described.path}\n${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      severity: 'error',
      code: described.code,
      message: described.message,
      place: locate(described.path),
      ...(described.path === '' ? {} : { path: described.path }),
      ...withHint(described.hint),
    });
  }
  return out;
}
