import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { checkedRefs, standaloneSource } from '../../src/validate/precompile.js';
import {
  COMPILED_FILE,
  STAMP_KEY,
  loadCompiled,
  precompiledValidator,
} from '../../src/validate/precompiled.js';
import { compiledNow, validator } from '../../src/validate/schema.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every YAML document of the fixtures and examples that parses. */
function documents(): unknown[] {
  const out: unknown[] = [];
  for (const dir of ['test/fixtures', 'examples']) {
    for (const name of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!name.endsWith('.yaml')) continue;
      try {
        out.push(parse(readFileSync(join(ROOT, dir, name), 'utf8'), { maxAliasCount: 100 }));
      } catch {
        // a fixture of broken YAML: nothing for a schema to judge
      }
    }
  }
  return out;
}

/** The value, and the value with each of its fields given each wrong kind of value. */
function variants(value: unknown): unknown[] {
  const out = [value];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  out.push({ ...value, colour: 'blue' });
  for (const key of Object.keys(value))
    for (const wrong of [12, true, null, ['a', 1], { a: 1 }, 'text'])
      out.push({ ...value, [key]: wrong });
  return out;
}

function corpus(): unknown[] {
  const out: unknown[] = [null, 'text', 7, [], {}];
  for (const doc of documents()) {
    out.push(...variants(doc));
    if (typeof doc === 'object' && doc !== null && 'customers' in doc) {
      const customers = doc.customers;
      if (Array.isArray(customers)) for (const c of customers) out.push(...variants(c));
    }
  }
  return out;
}

function isValidator(value: unknown): value is ((data: unknown) => boolean) & { errors?: unknown } {
  return typeof value === 'function';
}

// Beside this test in the build folder, so that its require('ajv/...') finds node_modules; a
// name of its own each time, since require() keeps what it loaded by name.
const written: string[] = [];
function scratch(): string {
  const file = fileURLToPath(
    new URL(`./compiled-${process.pid}-${written.length}.cjs`, import.meta.url),
  );
  written.push(file);
  return file;
}
after(() => {
  for (const file of written) rmSync(file, { force: true });
});

test("the build's validators judge every value as ajv compiling the schemas now does", () => {
  const file = scratch();
  writeFileSync(file, standaloneSource());
  const built = loadCompiled(pathToFileURL(file));
  assert.ok(built !== undefined, 'the code just generated carries the current stamp');
  const values = corpus();
  assert.ok(values.length > 500, `a corpus of ${values.length} values`);
  for (const ref of checkedRefs()) {
    const fresh = compiledNow(ref);
    const fn: unknown = built[ref];
    assert.ok(isValidator(fn), `${ref} is compiled`);
    let failing = 0;
    for (const value of values) {
      const expected = fresh(value);
      assert.equal(fn(value), expected, `${ref}: ${JSON.stringify(value)}`);
      if (!expected) failing++;
      // The errors in full: keyword, paths, params, and (verbose) the schema and the data.
      assert.deepEqual(fn.errors, fresh.errors, `${ref}: ${JSON.stringify(value)}`);
    }
    assert.ok(failing > 100, `${ref}: ${failing} values refused, errors compared`);
  }
});

test('compiled code for other schemas, or none at all, is not used', () => {
  const source = standaloneSource();
  const stamp = new RegExp(`exports\\[${JSON.stringify(STAMP_KEY)}\\] = "[0-9a-f]+";`);
  assert.match(source, stamp);
  const old = scratch();
  writeFileSync(old, source.replace(stamp, `exports[${JSON.stringify(STAMP_KEY)}] = "old";`));
  assert.equal(loadCompiled(pathToFileURL(old)), undefined);
  assert.equal(loadCompiled(pathToFileURL(scratch())), undefined, 'no file');
});

test("validator() uses the build's compiled validators when the build wrote them", (t) => {
  const own = new URL(`../../src/validate/${COMPILED_FILE}`, import.meta.url);
  // `npm test` builds with the precompile step, so this runs there; a build without it (plain
  // `tsc`, an --outDir build) has nothing to check and validator() compiles at run time instead,
  // which the tests above cover.
  if (loadCompiled(own) === undefined) {
    t.skip(`no current ${COMPILED_FILE} in this build (plain tsc, without its precompile step)`);
    return;
  }
  for (const ref of checkedRefs()) {
    const fn = precompiledValidator(ref);
    assert.ok(fn !== undefined, ref);
    assert.equal(validator(ref), fn, ref);
  }
});
