import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function script(name: string): string {
  const pkg: unknown = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const scripts: unknown =
    typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'scripts') : undefined;
  const found: unknown =
    typeof scripts === 'object' && scripts !== null ? Reflect.get(scripts, name) : undefined;
  assert.equal(typeof found, 'string', `package.json has no script "${name}"`);
  return String(found);
}

function hasTests(dir: string): boolean {
  return readdirSync(dir, { recursive: true }).some((name) => String(name).endsWith('.test.ts'));
}

// npm test names its folders one by one (Node 20's test runner takes no globs to leave one
// out): a folder added under test/ and forgotten there would never run.
test('npm test runs every test folder and file but reliability, which npm run test:reliability runs in full', () => {
  const named = new Set(script('test').split(/\s+/));
  const testDir = join(ROOT, 'test');
  for (const entry of readdirSync(testDir)) {
    const isDir = statSync(join(testDir, entry)).isDirectory();
    if (isDir && ['fixtures', 'support', 'reliability'].includes(entry)) continue;
    if (!isDir && !entry.endsWith('.test.ts')) continue;
    // A folder with no test in it (left empty, which git does not keep) has nothing to run.
    if (isDir && !hasTests(join(testDir, entry))) continue;
    const path = `dist/test/${isDir ? entry : entry.replace(/\.ts$/, '.js')}`;
    assert.ok(named.has(path), `npm test does not run ${path}`);
  }
  assert.ok(!named.has('dist/test/reliability'));
  assert.match(script('test:reliability'), /RELIABILITY=full .*dist\/test\/reliability\//);
});
