import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { pruneStaleOutputs } from '../support/prune-dist.js';

function write(root: string, path: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), '');
}

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

test('the build deletes compiled files whose source was deleted, and only those', () => {
  const root = mkdtempSync(join(tmpdir(), 'prune-dist-'));
  try {
    write(root, 'src/kept.ts');
    write(root, 'test/kept.test.ts');
    for (const out of [
      'kept.js',
      'kept.js.map',
      'kept.d.ts',
      'gone.js',
      'gone.js.map',
      'gone.d.ts',
    ])
      write(root, `dist/src/${out}`);
    write(root, 'dist/src/validate/schemas.compiled.cjs');
    write(root, 'dist/test/kept.test.js');
    write(root, 'dist/test/old/renamed.test.js');
    write(root, 'dist/.tsbuildinfo');

    const deleted = pruneStaleOutputs(root).sort();

    assert.deepEqual(deleted, [
      'dist/src/gone.d.ts',
      'dist/src/gone.js',
      'dist/src/gone.js.map',
      'dist/test/old/renamed.test.js',
    ]);
    assert.deepEqual(files(join(root, 'dist')).sort(), [
      '.tsbuildinfo',
      'src/kept.d.ts',
      'src/kept.js',
      'src/kept.js.map',
      'src/validate/schemas.compiled.cjs',
      'test/kept.test.js',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
