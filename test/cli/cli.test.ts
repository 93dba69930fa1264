import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../support/cli.js';

const pkg: unknown = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
);
const version =
  typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined;

test('--help lists the commands and exits 0', async () => {
  const run = await runCli(['--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /Usage: helcim-sync <command>/);
  assert.match(run.stdout, /emulator/);
});

test('--version prints the package version', async () => {
  const run = await runCli(['--version']);
  assert.equal(run.code, 0);
  assert.equal(run.stdout.trim(), version);
});

test('an unknown command names the closest one and exits 1', async () => {
  const run = await runCli(['emulatr']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /unknown command "emulatr"; did you mean "emulator"\?/);
  assert.equal(run.stdout, '');
});

test('an unknown option names the closest one and exits 1', async () => {
  const run = await runCli(['emulator', '--prot', '0']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /unknown option --prot .*did you mean --port\?/);
});

test('every command has --help with an example', async () => {
  const run = await runCli(['emulator', '--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /Usage: helcim-sync emulator/);
  assert.match(run.stdout, /Examples:\n {2}helcim-sync emulator/);
});
