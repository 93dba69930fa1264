import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { Pool as UndiciPool } from 'undici';
import { Pool, loadPool } from '../../../src/remote/http/pool.js';

test("the clients' Pool, loaded from its own module, is undici's own", () => {
  assert.equal(Pool, UndiciPool);
});

test('an undici that moved its modules still gives the Pool, from its index', () => {
  const real = createRequire(import.meta.url);
  const asked: string[] = [];
  // An install of a newer undici than the lockfile's, where the deep files are gone.
  const moved = (id: string): unknown => {
    asked.push(id);
    if (id !== 'undici') throw new Error(`Cannot find module '${id}'`);
    return real(id);
  };
  assert.equal(loadPool(moved), UndiciPool);
  assert.equal(asked.at(-1), 'undici');
});

test('an undici whose deep module is not the Pool class falls back to the index', () => {
  const real = createRequire(import.meta.url);
  const reshaped = (id: string): unknown => (id === 'undici' ? real(id) : {});
  assert.equal(loadPool(reshaped), UndiciPool);
});

test("loaded alone, without undici's index, the Pool makes a request", async () => {
  const server = createServer((_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(typeof address === 'object' && address !== null);
  const port = address.port;
  const module = new URL('../../../src/remote/http/pool.js', import.meta.url).href;
  const script = [
    "import { createRequire } from 'node:module';",
    `const { Pool } = await import(${JSON.stringify(module)});`,
    `const pool = new Pool('http://127.0.0.1:${port}');`,
    "const res = await pool.request({ path: '/', method: 'GET' });",
    'const body = await res.body.text();',
    'await pool.close();',
    'const index = Object.keys(createRequire(import.meta.url).cache).some((p) => /undici[\\\\/]index\\.js$/.test(p));',
    'console.log(JSON.stringify({ status: res.statusCode, body, index }));',
  ].join('\n');
  try {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, err);
    assert.deepEqual(JSON.parse(out), { status: 200, body: '{"ok":true}', index: false });
  } finally {
    server.close();
  }
});
