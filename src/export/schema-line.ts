/**
 * The `$schema` reference on the first line of an exported YAML file, for editor completion and
 * checks. It must be right on the machine that wrote it and on every machine that checks the
 * file out, so it is never an absolute path:
 *
 * - when the package's schema lies inside the project the file is written to (this repository,
 *   or `node_modules/helcim-sync` of a project that installed the tool), the path relative to
 *   the file: `../schemas/customers.schema.json`, `node_modules/helcim-sync/schemas/...`;
 * - otherwise (stdout, a global install, `npx` from a cache) the conventional place of a local
 *   install, relative to the project root: `node_modules/helcim-sync/schemas/...`. An editor
 *   that finds nothing there simply does not check; nothing else depends on the line.
 *
 * Standard output counts as a file in the working directory (`export > customers.yaml`).
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEMA_FALLBACK = 'node_modules/helcim-sync/schemas/customers.schema.json';

/** `customers` (Helcim's) to its file name. */
function schemaFile(name: string): string {
  return `${name}.schema.json`;
}

/** The conventional place of schema `name` in a local install. */
export function schemaFallback(name = 'customers'): string {
  return `node_modules/helcim-sync/schemas/${schemaFile(name)}`;
}

/** Where this package's customers schema is (from dist/src/export/ to the package root). */
export function packageSchemaPath(name = 'customers'): string {
  return fileURLToPath(new URL(`../../../schemas/${schemaFile(name)}`, import.meta.url));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The nearest folder at or above `dir` holding a package.json or .git: the project root. */
export function projectRoot(dir: string): string | undefined {
  for (let current = resolve(dir); ;) {
    if (existsSync(join(current, 'package.json')) || existsSync(join(current, '.git')))
      return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The reference for a YAML file written to `outFile` (absolute), or to stdout from `cwd` when
 * `outFile` is undefined. `schemaPath` is for tests; it defaults to the package's own schema.
 */
export function schemaReference(
  outFile: string | undefined,
  cwd: string,
  schemaPath: string = packageSchemaPath(),
  fallback: string = SCHEMA_FALLBACK,
): string {
  const dir = real(outFile === undefined ? cwd : dirname(outFile));
  const schema = real(schemaPath);
  const root = projectRoot(dir);
  if (root !== undefined && inside(schema, root)) {
    return relative(dir, schema).split(sep).join('/');
  }
  return fallback;
}
