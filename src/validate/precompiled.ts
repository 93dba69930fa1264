/**
 * The schema validators compiled by the build: `npm run build` runs precompile.js, which writes
 * ajv's standalone code for the schemas the tool checks into `schemas.compiled.cjs` beside this
 * file. Loading that code costs a few milliseconds, where loading ajv and compiling the schemas
 * cost about 0.15 s of CPU in every CLI run that reads a config or a YAML file.
 *
 * The file is used only when its stamp matches the schemas, ajv's options and ajv's version at
 * hand. A build without the step (plain `tsc`), or a schema edited since, finds no match and
 * gets undefined: the caller compiles with ajv as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { AJV_OPTIONS } from './ajv-options.js';

/** The file the build writes, beside this module. */
export const COMPILED_FILE = 'schemas.compiled.cjs';
/** The export that holds the stamp; no schema ref starts with `#`. */
export const STAMP_KEY = '#stamp';

const SCHEMAS_DIR = new URL('../../../schemas/', import.meta.url);

/** The schema files by name without `.schema.json`, read as they are now. */
export function schemaTexts(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(SCHEMAS_DIR).sort()) {
    if (!file.endsWith('.schema.json')) continue;
    out.set(
      file.slice(0, -'.schema.json'.length),
      readFileSync(new URL(file, SCHEMAS_DIR), 'utf8'),
    );
  }
  return out;
}

function ajvVersion(): string {
  const pkg: unknown = createRequire(import.meta.url)('ajv/package.json');
  return typeof pkg === 'object' &&
    pkg !== null &&
    'version' in pkg &&
    typeof pkg.version === 'string'
    ? pkg.version
    : 'unknown';
}

/** What compiled code depends on: every schema's text, ajv's options and ajv's version. */
export function schemaStamp(texts: ReadonlyMap<string, string> = schemaTexts()): string {
  const hash = createHash('sha256');
  hash.update(`ajv ${ajvVersion()}\n${JSON.stringify(AJV_OPTIONS)}\n`);
  for (const [name, text] of texts) hash.update(`${name}\n${text.length}\n${text}`);
  return hash.digest('hex');
}

function isExports(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isValidateFunction(value: unknown): value is ValidateFunction {
  return typeof value === 'function';
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** Loads compiled code and checks its stamp: its validators by ref, or undefined. */
export function loadCompiled(url: URL): Record<string, unknown> | undefined {
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)(fileURLToPath(url));
  } catch (error) {
    if (errorCode(error) === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
  return isExports(loaded) && loaded[STAMP_KEY] === schemaStamp() ? loaded : undefined;
}

let compiled: Record<string, unknown> | undefined | null = null;

/** The build's validator for a ref (`config`, `customers#/definitions/customer`), if it has one. */
export function precompiledValidator(ref: string): ValidateFunction | undefined {
  if (compiled === null) compiled = loadCompiled(new URL(`./${COMPILED_FILE}`, import.meta.url));
  const fn = compiled?.[ref];
  return isValidateFunction(fn) ? fn : undefined;
}
