import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZERO_DATE } from '../../../../src/providers/helcim/emulator/dates.js';
import {
  startEmulator,
  type EmulatorHandle,
  type EmulatorOptions,
  type WireCustomer,
} from '../../../../src/emulator/index.js';
import { writeStateAtomic } from '../../../../src/emulator/state-file.js';
import { arr, num, obj, withApi, type Api } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../../../src/cli/main.js', import.meta.url));
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function idOf(api: Api, customer: Record<string, unknown>): Promise<number> {
  const res = await api.post(customer);
  assert.equal(res.status, 200, res.text);
  return num(obj(res.body)['id']);
}

/** Ids of the exact-code lookup, in the order answered. */
async function idsWithCode(api: Api, code: string, extra = ''): Promise<number[]> {
  const res = await api.get(`/customers?customerCode=${encodeURIComponent(code)}${extra}`);
  assert.equal(res.status, 200, res.text);
  return arr(res.body).map((c) => num(obj(c)['id']));
}

/** Fails (and stops the emulator, so the run can end) when it starts after all. */
async function assertRefusesToStart(
  options: EmulatorOptions,
  check: (caught: Error & { code?: unknown; hint?: unknown }) => void,
): Promise<void> {
  let started: EmulatorHandle;
  try {
    started = await startEmulator(options);
  } catch (caught) {
    assert.ok(caught instanceof Error);
    check(caught);
    return;
  }
  await started.close();
  assert.fail('the emulator started');
}

async function statsOverHttp(api: Api): Promise<Record<string, unknown>> {
  const res = await fetch(api.emulator.url.replace(/\/v2$/, '/__emulator/stats'));
  return obj(await res.json());
}

describe('--duplicate-codes', () => {
  test('default (reject): a second create with a taken code is a 400 naming the code', async () => {
    await withApi({}, async (api) => {
      await idOf(api, { contactName: 'First', customerCode: 'TWICE' });
      const res = await api.post({ contactName: 'Second', customerCode: 'TWICE' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { errors: 'A customer with customerCode "TWICE" already exists' });
      assert.deepEqual((await statsOverHttp(api))['duplicateCodes'], 0);
    });
  });

  test('accept: a second customer with the same code, both found by the exact lookup, counted in stats', async () => {
    await withApi({ duplicateCodes: 'accept' }, async (api) => {
      const first = await idOf(api, { contactName: 'First', customerCode: 'SHARED' });
      await idOf(api, { contactName: 'Bystander', customerCode: 'SHARED-NOT' });
      const res = await api.post({ contactName: 'Second', customerCode: 'SHARED' });
      assert.equal(res.status, 200);
      const second = obj(res.body);
      assert.equal(second['customerCode'], 'SHARED');
      assert.ok(num(second['id']) > first);

      assert.deepEqual(await idsWithCode(api, 'SHARED'), [first, num(second['id'])]);
      // Still exact and case-sensitive, still pageable, still combined with search.
      assert.deepEqual(await idsWithCode(api, 'shared'), []);
      assert.deepEqual(await idsWithCode(api, 'SHARED', '&limit=1&page=2'), [num(second['id'])]);
      assert.deepEqual(await idsWithCode(api, 'SHARED', '&search=second'), [num(second['id'])]);

      assert.equal((await statsOverHttp(api))['duplicateCodes'], 1);
      assert.equal(api.emulator.stats().duplicateCodes, 1);
      assert.equal(api.emulator.stats().customers, 3);
      api.emulator.reset();
      assert.equal(api.emulator.stats().duplicateCodes, 0);
    });
  });

  test('accept: the state file saves and loads customers sharing a code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'helcim-emulator-dup-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    let ids: number[] = [];
    await withApi({ duplicateCodes: 'accept', statePath }, async (api) => {
      await idOf(api, { contactName: 'One', customerCode: 'PAIR' });
      await idOf(api, { contactName: 'Two', customerCode: 'PAIR' });
      ids = await idsWithCode(api, 'PAIR');
    });
    assert.equal(ids.length, 2);

    await withApi({ duplicateCodes: 'accept', statePath }, async (api) => {
      assert.deepEqual(await idsWithCode(api, 'PAIR'), ids);
      assert.equal(api.emulator.stats().duplicateCodes, 1);
    });

    // Under reject the same file is refused, clearly, rather than loaded in part or emptied.
    await assertRefusesToStart({ statePath }, (caught) => {
      assert.equal(caught.code, 'ERR_EMULATOR');
      assert.match(caught.message, /state .* is not usable: .*customerCode "PAIR"/);
      assert.match(String(caught.hint), /--duplicate-codes accept/);
    });
  });

  test('a state file with one id twice is refused under either mode, naming the id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'helcim-emulator-dup-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    const customer = (code: string): WireCustomer => ({
      id: 28000001,
      customerCode: code,
      businessName: '',
      contactName: 'Twin',
      dateCreated: '2025-04-10 14:33:08',
      dateUpdated: ZERO_DATE,
      cellphone: '',
      billingAddress: '',
      shippingAddress: '',
      cards: [],
    });
    await writeStateAtomic(statePath, {
      nextId: 28000002,
      nextCode: 1001,
      nextCardId: 1,
      customers: [customer('ONE'), customer('TWO')],
    });
    for (const duplicateCodes of ['accept', 'reject'] as const) {
      await assertRefusesToStart({ statePath, duplicateCodes }, (caught) => {
        assert.equal(caught.code, 'ERR_EMULATOR');
        assert.match(caught.message, /not usable: customer id 28000001 appears more than once/);
      });
    }
  });

  test('PUT to a code another customer holds: 400 under reject', async () => {
    await withApi({ duplicateCodes: 'reject' }, async (api) => {
      await idOf(api, { contactName: 'Owner', customerCode: 'HELD' });
      const mover = await idOf(api, { contactName: 'Mover', customerCode: 'MINE' });
      const res = await api.put(mover, { contactName: 'Mover', customerCode: 'HELD' });
      assert.equal(res.status, 400);
      assert.match(String(obj(res.body)['errors']), /"HELD"/);
      assert.deepEqual(await idsWithCode(api, 'MINE'), [mover]);
    });
  });

  test('PUT to a code another customer holds: allowed under accept, lookups stay in id order', async () => {
    await withApi({ duplicateCodes: 'accept' }, async (api) => {
      const a = await idOf(api, { contactName: 'A', customerCode: 'CODE-A' });
      const b = await idOf(api, { contactName: 'B', customerCode: 'CODE-B' });
      const c = await idOf(api, { contactName: 'C', customerCode: 'CODE-B' });
      assert.equal(api.emulator.stats().duplicateCodes, 1);

      const res = await api.put(a, { contactName: 'A', customerCode: 'CODE-B' });
      assert.equal(res.status, 200, res.text);
      assert.equal(obj(res.body)['customerCode'], 'CODE-B');
      // The oldest customer joined last, yet comes first.
      assert.deepEqual(await idsWithCode(api, 'CODE-B'), [a, b, c]);
      assert.deepEqual(await idsWithCode(api, 'CODE-A'), []);
      assert.equal(api.emulator.stats().duplicateCodes, 2);

      assert.equal((await api.put(b, { contactName: 'B', customerCode: 'CODE-Z' })).status, 200);
      assert.deepEqual(await idsWithCode(api, 'CODE-B'), [a, c]);
      assert.equal((await api.put(a, { contactName: 'A', customerCode: 'CODE-A' })).status, 200);
      assert.deepEqual(await idsWithCode(api, 'CODE-B'), [c]);
      assert.deepEqual(await idsWithCode(api, 'CODE-A'), [a]);
      assert.deepEqual(await idsWithCode(api, 'CODE-Z'), [b]);
      assert.equal(api.emulator.stats().duplicateCodes, 0);
    });
  });
});

function spawnCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [MAIN, 'emulator', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    // An emulator that starts when it should not would otherwise keep the test run alive.
    timeout: 15_000,
  });
}

function exitOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

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

describe('helcim-sync emulator --duplicate-codes', () => {
  test('a value other than accept or reject is a usage error with exit 1', async () => {
    const { code, stderr } = await exitOf(spawnCli(['--duplicate-codes', 'maybe']));
    assert.equal(code, 1);
    assert.match(stderr, /--duplicate-codes must be "accept" or "reject", got "maybe"/);
  });

  test('accept reaches the server', async () => {
    const child = spawnCli(['--duplicate-codes', 'accept', '--rate-limit', 'off']);
    const exited = exitOf(child);
    try {
      const url = await listeningUrl(child);
      for (const contactName of ['One', 'Two']) {
        const res = await fetch(`${url}/customers`, {
          method: 'POST',
          headers: { 'api-token': 'helcim-sync-dev-token', 'content-type': 'application/json' },
          body: JSON.stringify({ contactName, customerCode: 'CLI-DUP' }),
        });
        assert.equal(res.status, 200, await res.text());
      }
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal((await exited).code, 0);
  });
});
