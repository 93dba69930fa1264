import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadState } from '../../../../src/providers/helcim/emulator/state.js';
import { arr, obj } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../../../src/cli/main.js', import.meta.url));
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function spawnCli(
  args: string[],
  env: Record<string, string> = {},
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [MAIN, 'emulator', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
}

/** Resolves with the base URL from the `listening on` line. */
function listeningUrl(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+\/v2)\n/.exec(out);
      if (match?.[1] !== undefined) {
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${out}`)));
  });
}

function exitOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('helcim-sync emulator', () => {
  test('prints the listening line, serves, stops on SIGTERM with exit 0 and saves state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'helcim-emulator-cli-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    const child = spawnCli(['--port', '0', '--seed', '3', '--state', statePath], {
      HELCIM_EMULATOR_TOKEN: 'token-from-env',
    });
    const exited = exitOf(child);
    const url = await listeningUrl(child);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v2$/);

    const created = await fetch(`${url}/customers`, {
      method: 'POST',
      headers: { 'api-token': 'token-from-env', 'content-type': 'application/json' },
      body: JSON.stringify({ contactName: 'From CLI test', customerCode: 'CLI-1' }),
    });
    assert.equal(created.status, 200);
    const listed = await fetch(`${url}/customers`, { headers: { 'api-token': 'token-from-env' } });
    assert.equal(arr(await listed.json()).length, 4);
    const devToken = await fetch(`${url}/customers`, {
      headers: { 'api-token': 'helcim-sync-dev-token' },
    });
    assert.equal(devToken.status, 401);

    child.kill('SIGTERM');
    const { code, stderr } = await exited;
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /token-from-env/);
    assert.equal((await stat(statePath)).mode & 0o777, 0o600);
    const saved = await loadState(statePath);
    assert.ok(saved);
    assert.equal(saved.customers.length, 4);
    assert.ok(saved.customers.some((c) => c.customerCode === 'CLI-1'));
  });

  test('a bad --faults spec is a usage error with exit 1', async () => {
    const child = spawnCli(['--faults', 'explode:0.5']);
    const { code, stderr } = await exitOf(child);
    assert.equal(code, 1);
    assert.match(stderr, /invalid fault spec "explode:0\.5": unknown kind "explode"/);
  });

  test('--rate-limit, --time-scale and --latency reach the server', async () => {
    const child = spawnCli(['--rate-limit', '2/3/4', '--time-scale', '10', '--latency', '1']);
    const exited = exitOf(child);
    const url = await listeningUrl(child);
    const res = await fetch(`${url}/customers`, {
      headers: { 'api-token': 'helcim-sync-dev-token' },
    });
    assert.equal(res.headers.get('minute-limit-remaining'), '2');
    assert.equal(res.headers.get('hour-limit-remaining'), '3');
    const stats = obj(await (await fetch(url.replace(/\/v2$/, '/__emulator/stats'))).json());
    assert.equal(stats['totalRequests'], 1);
    child.kill('SIGINT');
    assert.equal((await exited).code, 0);
  });
});
