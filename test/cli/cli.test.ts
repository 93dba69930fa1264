import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { commands } from '../../src/cli/commands/index.js';
import { runInProcess } from '../support/cli.js';

const pkg: unknown = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
);
const version =
  typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined;

test('--help lists the commands and exits 0', async () => {
  const run = await runInProcess(['--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /Usage: helcim-sync <command>/);
  assert.match(run.stdout, /emulator/);
});

test('--version prints the package version', async () => {
  const run = await runInProcess(['--version']);
  assert.equal(run.code, 0);
  assert.equal(run.stdout.trim(), version);
});

test('an unknown command names the closest one and exits 1', async () => {
  const run = await runInProcess(['emulatr']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /unknown command "emulatr"; did you mean "emulator"\?/);
  assert.equal(run.stdout, '');
});

test('an unknown option names the closest one and exits 1', async () => {
  const run = await runInProcess(['emulator', '--prot', '0']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /unknown option --prot .*did you mean --port\?/);
});

test('every command has --help with an example', async () => {
  assert.ok(commands.length > 0);
  const runs = await Promise.all(commands.map(({ name }) => runInProcess([name, '--help'])));
  commands.forEach(({ name }, i) => {
    const run = runs[i];
    assert.ok(run !== undefined);
    assert.equal(run.code, 0, `${name} --help: ${run.stderr}`);
    assert.equal(run.stderr, '', `${name} --help writes nothing to stderr`);
    assert.match(run.stdout, new RegExp(`^Usage: helcim-sync ${name}\\b`), name);
    const examples = run.stdout.split('\nExamples:\n')[1];
    assert.ok(examples !== undefined, `${name} --help has no Examples section`);
    const lines = examples.split('\n').filter((line) => line !== '');
    assert.ok(lines.length > 0, `${name} --help lists no example`);
    for (const line of lines)
      assert.ok(line.startsWith(`  helcim-sync ${name}`), `${name}'s example runs ${line.trim()}`);
  });
});
