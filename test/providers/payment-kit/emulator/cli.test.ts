import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arr, fetchAnswer, obj } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../../../src/cli/main.js', import.meta.url));
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function spawnCli(
  args: string[],
  env: Record<string, string> = {},
): ChildProcessWithoutNullStreams {
  const clean = { ...process.env };
  delete clean['PAYMENT_KIT_EMULATOR_KEY'];
  return spawn(process.execPath, [MAIN, 'emulator', ...args], {
    env: { ...clean, NO_COLOR: '1', ...env },
  });
}

/** Resolves with the base URL from the `listening on` line. */
function listeningUrl(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /^payment-kit emulator listening on (http:\/\/\S+)\n$/.exec(out);
      if (match?.[1] !== undefined) {
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${out}`)));
  });
}

/** A failed assertion must not leave the server running (the test process would never end). */
function stop(child: ChildProcessWithoutNullStreams): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function exitOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('helcim-sync emulator --provider payment-kit', () => {
  test('prints the listening line with the mount point, serves, saves state on SIGTERM', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-emulator-cli-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    const child = spawnCli(
      ['--provider', 'payment-kit', '--seed', '3', '--state', statePath, '--mount-point', '/pay'],
      { PAYMENT_KIT_EMULATOR_KEY: 'blocklet-from-env' },
    );
    const exited = exitOf(child);
    t.after(() => stop(child));
    const url = await listeningUrl(child);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/pay$/);
    const auth = { authorization: 'Bearer blocklet-from-env' };
    const list = await fetchAnswer(`${url}/api/customers`, { headers: auth });
    assert.equal(obj(list.body)['count'], 3);
    const id = String(arr(obj(list.body)['list']).map(obj)[0]?.['id']);
    const put = await fetchAnswer(`${url}/api/customers/${id}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"name":"From CLI"}',
    });
    assert.equal(put.status, 200);
    const dev = await fetchAnswer(`${url}/api/customers`, {
      headers: { authorization: 'Bearer blocklet-emulator-dev-key' },
    });
    assert.equal(dev.status, 401);
    child.kill('SIGTERM');
    const { code, stderr } = await exited;
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /blocklet-from-env/);
    assert.equal((await stat(statePath)).mode & 0o777, 0o600);
    const saved = obj(JSON.parse(await readFile(statePath, 'utf8')));
    assert.ok(
      arr(saved['customers'])
        .map(obj)
        .some((c) => c['name'] === 'From CLI'),
    );
  });

  test('the dev key is the default, and no rate limit unless asked', async (t) => {
    const child = spawnCli(['--provider', 'payment-kit', '--churn', '0', '--latency', '0']);
    const exited = exitOf(child);
    t.after(() => stop(child));
    const url = await listeningUrl(child);
    assert.match(url, /\/payment$/);
    const auth = { authorization: 'Bearer blocklet-emulator-dev-key' };
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => fetchAnswer(`${url}/api/customers`, { headers: auth })),
    );
    assert.ok(answers.every((a) => a.status === 200));
    child.kill('SIGINT');
    const { code, stderr } = await exited;
    assert.equal(code, 0);
    assert.match(stderr, /accepting the dev token "blocklet-emulator-dev-key"/);
  });

  const refusals: [string[], RegExp][] = [
    [
      ['--provider', 'payment-kit', '--duplicate-codes', 'accept'],
      /--duplicate-codes applies to --provider helcim only/,
    ],
    [['--mount-point', '/pay'], /--mount-point applies to --provider payment-kit only/],
    [['--churn', '5'], /--churn applies to --provider payment-kit only/],
    [['--provider', 'stripe'], /--provider must be "helcim" or "payment-kit", got "stripe"/],
    [
      ['--provider', 'payment-kit', '--faults', '522:0.1'],
      /does not apply to the Payment Kit emulator/,
    ],
    [
      ['--provider', 'payment-kit', '--mount-point', '/__emulator'],
      /hide the emulator's own routes/,
    ],
    [['--provider', 'payment-kit', '--churn', 'many'], /--churn must be a number/],
  ];
  for (const [args, message] of refusals) {
    test(`usage error: ${args.join(' ')}`, async () => {
      const { code, stderr } = await exitOf(spawnCli(args));
      assert.equal(code, 1, stderr);
      assert.match(stderr, message);
    });
  }
});
