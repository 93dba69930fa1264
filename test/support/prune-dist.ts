/**
 * Run by `npm run build` after tsc: deletes the compiled files whose source is gone. tsc's
 * incremental build never deletes an output, so a test deleted or renamed in the sources kept
 * running (and passing, or failing) under `npm test` on a working copy until dist/ was removed
 * by hand; a fresh clone, as CI runs, never had it. Only tsc's own outputs are judged: files it
 * does not write (the build's precompiled schemas, `.cjs`) are left alone.
 */
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What tsc writes for `x.ts`, by the part after `x`. */
const OUTPUT = /(\.js|\.js\.map|\.d\.ts|\.d\.ts\.map)$/;

/**
 * Deletes the outputs under `root/outDir` with no `.ts` source at the same place under `root`
 * (tsconfig's `rootDir: "."`), and the folders that leaves empty; answers what it deleted.
 */
export function pruneStaleOutputs(root: string, outDir = 'dist'): string[] {
  const out = join(root, outDir);
  const deleted: string[] = [];
  const walk = (dir: string): boolean => {
    let empty = true;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (walk(path)) rmdirSync(path);
        else empty = false;
        continue;
      }
      const suffix = OUTPUT.exec(entry.name)?.[1];
      const base = suffix === undefined ? undefined : entry.name.slice(0, -suffix.length);
      if (base === undefined || existsSync(join(root, relative(out, dir), `${base}.ts`))) {
        empty = false;
        continue;
      }
      rmSync(path);
      deleted.push(relative(root, path));
    }
    return empty;
  };
  if (existsSync(out)) walk(out);
  return deleted;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const deleted = pruneStaleOutputs(process.cwd());
  if (deleted.length > 0)
    process.stderr.write(`removed ${deleted.length} compiled files whose source is gone\n`);
}
