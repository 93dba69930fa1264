/**
 * Secrets and personal data: the API token never shows up in any output or file, whatever goes
 * wrong; the files that hold customers' data are private to their owner; the emulator is not
 * reachable from the network unless asked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { CliRun } from '../support/cli.js';
import { startCli } from '../support/cli.js';
import { Rig, generateCustomers, show, yamlOf } from './support.js';

/** Distinctive enough that any appearance is a leak, not a coincidence. */
const TOKEN = 'hs-secret-7Qx2Vt9Lk4Rw8Zp3';
const WRONG_TOKEN = 'hs-wrong-3Nb6Yh1Jc5Gd0Fs9';

/** The token, or a recognisable piece of it (a truncated or split echo is still a leak). */
function leaks(textToCheck: string, token: string): boolean {
  return textToCheck.includes(token) || textToCheck.includes(token.slice(-12));
}

function assertNoLeak(label: string, run: CliRun, token = TOKEN): void {
  assert.ok(!leaks(run.stdout, token), `${label}: the token is in stdout\n${show(run)}`);
  assert.ok(!leaks(run.stderr, token), `${label}: the token is in stderr\n${show(run)}`);
}

/** A port nobody listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 1;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('the token never appears in stdout, stderr, plans, journals or rejects files, even in errors', async () => {
  const rig = await Rig.start({ token: TOKEN, seed: 5 });
  try {
    const wanted = generateCustomers(8, 15, 'SEC');
    rig.write('customers.yaml', yamlOf(wanted));
    // One bad record, so that --skip-invalid writes a rejects file.
    rig.write(
      'crm.csv',
      'customerCode,contactName,cellPhone\nCSV-1,Ada Lovelace,4035550100\nCSV-2,,12\n',
    );
    const runs: [string, Promise<CliRun>][] = [];
    const add = (label: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => {
      const run = rig.run(args, { env });
      runs.push([label, run]);
      return run;
    };

    // The happy paths, with every output format and all the detail there is.
    const planned = await add('plan --out --verbose', [
      'plan',
      'customers.yaml',
      'crm.csv',
      '--skip-invalid',
      '--verbose',
      '--out',
      'plan.json',
    ]);
    assert.equal(planned.code, 0, show(planned));
    await add('plan --json', ['plan', 'customers.yaml', '--json', '--verbose']);
    await add('plan --markdown', ['plan', 'customers.yaml', '--markdown']);
    const applied = await add('apply plan.json', [
      'apply',
      'plan.json',
      '--auto-approve',
      '--journal',
      'apply.jsonl',
      '--verbose',
    ]);
    assert.equal(applied.code, 0, show(applied));
    rig.write('more.yaml', yamlOf(generateCustomers(3, 18, 'SEC2')));
    const more = await add('apply --json', [
      'apply',
      'more.yaml',
      'crm.csv',
      '--rejects',
      'rejects.csv',
      '--auto-approve',
      '--json',
      '--journal',
      'apply2.jsonl',
    ]);
    assert.equal(more.code, 0, show(more));

    // Failures: a wrong token (its own secret), no server, a refused plain-HTTP URL, a 401 mid-apply.
    const wrong = await add('wrong token', ['plan', 'customers.yaml', '--verbose'], {
      HELCIM_API_TOKEN: WRONG_TOKEN,
    });
    assert.equal(wrong.code, 1, show(wrong));
    assert.match(wrong.stderr, /401/);
    assertNoLeak('wrong token', wrong, WRONG_TOKEN);
    const port = await closedPort();
    const down = await add(
      'network failure',
      ['apply', 'customers.yaml', '--auto-approve', '--verbose', '--timeout', '2000'],
      {
        HELCIM_API_URL: `http://127.0.0.1:${port}/v2`,
      },
    );
    assert.equal(down.code, 1, show(down));
    assert.match(down.stderr, /ECONNREFUSED|refused|unreachable/i);
    const insecure = await add('plain HTTP', ['plan', 'customers.yaml'], {
      HELCIM_API_URL: 'http://helcim.example.invalid/v2',
    });
    assert.equal(insecure.code, 1, show(insecure));
    // Node's own debug output of its HTTP stack: a user asked for it, but it must carry no header.
    await add('NODE_DEBUG', ['plan', 'customers.yaml', '--verbose'], {
      NODE_DEBUG: 'http,net,fetch,undici,tls',
    });

    for (const [label, run] of runs) assertNoLeak(label, await run);

    const files = rig.files();
    for (const name of ['plan.json', 'apply.jsonl', 'apply2.jsonl', 'rejects.csv'])
      assert.ok(files.has(name), `${name} was not written`);
    for (const [name, content] of files) {
      assert.ok(!leaks(content, TOKEN), `the token is in ${name}`);
      assert.ok(!leaks(content, WRONG_TOKEN), `the wrong token is in ${name}`);
    }
  } finally {
    await rig.close();
  }
});

test('the token stays out of the output of an apply under faults, with --verbose', async () => {
  const rig = await Rig.start({
    token: TOKEN,
    faults: '500:0.1,522:0.05,reset:0.1,hang:0.05,lost-response:0.1',
    faultSeed: 8,
  });
  try {
    rig.write('customers.yaml', yamlOf(generateCustomers(20, 16, 'FSE')));
    const run = await rig.run([
      'apply',
      'customers.yaml',
      '--auto-approve',
      '--verbose',
      '--timeout',
      '500',
      '--journal',
      'j.jsonl',
    ]);
    assert.ok(run.code === 0 || run.code === 1, show(run));
    assertNoLeak('apply under faults', run);
    for (const [name, content] of rig.files())
      assert.ok(!leaks(content, TOKEN), `the token is in ${name}`);
  } finally {
    await rig.close();
  }
});

test('plans, journals and rejects files are created with mode 0600, and made so if they existed', async () => {
  const rig = await Rig.start();
  try {
    rig.write('customers.yaml', yamlOf(generateCustomers(4, 17, 'MOD')));
    rig.write('crm.csv', 'customerCode,contactName\nM-1,Ada Lovelace\nM-2,\n');
    const fresh = await rig.run(['plan', 'customers.yaml', '--out', 'plan.json']);
    assert.equal(fresh.code, 0, show(fresh));
    const applied = await rig.run([
      'apply',
      'plan.json',
      '--auto-approve',
      '--journal',
      'apply.jsonl',
    ]);
    assert.equal(applied.code, 0, show(applied));
    const rejected = await rig.run(['validate', 'crm.csv', '--skip-invalid']);
    assert.equal(rejected.code, 0, show(rejected));
    for (const name of ['plan.json', 'apply.jsonl', 'crm.rejects.csv'])
      assert.equal(rig.mode(name).toString(8), '600', `${name} is readable by others`);

    // Files left world-readable by something else are tightened, not written as they are.
    for (const name of ['plan2.json', 'apply2.jsonl', 'rejects2.csv']) {
      writeFileSync(rig.path(name), '');
      chmodSync(rig.path(name), 0o644);
    }
    rig.write('customers.yaml', yamlOf(generateCustomers(6, 17, 'MOD')));
    const again = await rig.run(['plan', 'customers.yaml', '--out', 'plan2.json']);
    assert.equal(again.code, 0, show(again));
    const second = await rig.run([
      'apply',
      'plan2.json',
      '--auto-approve',
      '--journal',
      'apply2.jsonl',
    ]);
    assert.equal(second.code, 0, show(second));
    const rejects = await rig.run(['validate', 'crm.csv', '--rejects', 'rejects2.csv']);
    assert.equal(rejects.code, 0, show(rejects));
    for (const name of ['plan2.json', 'apply2.jsonl', 'rejects2.csv'])
      assert.equal(rig.mode(name).toString(8), '600', `${name} kept its loose mode`);
  } finally {
    await rig.close();
  }
});

/** Starts `helcim-sync emulator ARGS` and resolves with the URL it prints, and a way to stop it. */
async function cliEmulator(args: string[]): Promise<{ url: URL; stop: () => Promise<CliRun> }> {
  const running = startCli(['emulator', '--port', '0', ...args], { timeoutMs: 60_000 });
  let out = '';
  const url = await new Promise<URL>((resolve, reject) => {
    running.child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) resolve(new URL(match[1]));
    });
    void running.done.then((run) => reject(new Error(`the emulator exited: ${show(run)}`)));
  });
  return {
    url,
    stop: () => {
      running.child.kill('SIGTERM');
      return running.done;
    },
  };
}

/** This machine's addresses on interfaces other than loopback. */
function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
}

async function reachable(host: string, port: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}:${port}/__emulator/stats`, {
      signal: AbortSignal.timeout(3000),
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

test('the emulator listens on loopback only, unless --host says otherwise', async () => {
  const local = await cliEmulator([]);
  try {
    assert.equal(local.url.hostname, '127.0.0.1');
    assert.ok(await reachable('127.0.0.1', local.url.port), 'not reachable on loopback');
    for (const address of externalAddresses())
      assert.equal(await reachable(address, local.url.port), false, `reachable on ${address}`);
  } finally {
    const stopped = await local.stop();
    assert.equal(stopped.code, 0, show(stopped));
  }

  // The check above means something only if another interface could be reached at all.
  const external = externalAddresses();
  if (external.length === 0) return;
  const open = await cliEmulator(['--host', '0.0.0.0']);
  try {
    assert.ok(await reachable(external[0] ?? '', open.url.port), '--host 0.0.0.0 is not reachable');
  } finally {
    await open.stop();
  }
});
