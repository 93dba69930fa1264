/**
 * Build step, run by `npm run build` after tsc (`node dist/src/validate/precompile.js`): writes
 * ajv's standalone code for the schemas the tool checks, with its stamp, to
 * `schemas.compiled.cjs` beside this file (see precompiled.ts). It writes into whichever build
 * folder it is run from, so a `tsc --outDir` build gets the same step with
 * `node <outDir>/src/validate/precompile.js`.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Ajv } from 'ajv';
import { allProviders } from '../providers/index.js';
import { COMPILED_FILE, STAMP_KEY, schemaStamp, schemaTexts } from './precompiled.js';
import { createAjv } from './schema.js';

/** The refs `validator` is asked for: the config, and each provider's customer record. */
export function checkedRefs(): string[] {
  return ['config', ...allProviders().map((p) => `${p.schema}#/definitions/customer`)];
}

type Standalone = (ajv: Ajv, refs: Record<string, string>) => string;

function isStandalone(value: unknown): value is { default: Standalone } {
  // CommonJS: the generator itself, with itself as `default` too.
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    'default' in value &&
    typeof value.default === 'function'
  );
}

/** The module's text: one export per ref (CommonJS, so it loads synchronously), and the stamp. */
export function standaloneSource(
  refs: readonly string[] = checkedRefs(),
  texts: ReadonlyMap<string, string> = schemaTexts(),
): string {
  const ajv = createAjv({ code: { source: true } });
  for (const [name, text] of texts) {
    const schema: unknown = JSON.parse(text);
    if (typeof schema !== 'object' || schema === null) throw new Error(`bad schema ${name}`);
    ajv.addSchema(schema, name);
  }
  const standalone: unknown = createRequire(import.meta.url)('ajv/dist/standalone');
  if (!isStandalone(standalone)) throw new Error('ajv has no standalone code generator');
  const code = standalone.default(ajv, Object.fromEntries(refs.map((ref) => [ref, ref])));
  return `${code}\nexports[${JSON.stringify(STAMP_KEY)}] = ${JSON.stringify(schemaStamp(texts))};\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(new URL(`./${COMPILED_FILE}`, import.meta.url), standaloneSource());
}
