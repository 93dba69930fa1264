import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../../../src/emulator/index.js';
import { startPaymentKitEmulator } from '../../../../src/providers/payment-kit/emulator/index.js';
import { FIXED_NOW, arr, fetchAnswer, obj, startApi } from './helpers.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pk-emulator-state-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('state file', () => {
  test('customers and the id sequence survive a restart; 0600, no temp file left', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const first = await startApi({ statePath, seed: 3 });
    const [customer] = await first.all(true);
    assert.ok(customer);
    const edited = obj(
      (await first.put(String(customer['id']), { metadata: { crm: 'C-1' } })).body,
    );
    const [bought] = first.emulator.checkout(1, { livemode: false });
    await first.emulator.close();

    assert.equal((await stat(statePath)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['state.json']);
    const saved = obj(JSON.parse(await readFile(statePath, 'utf8')));
    assert.equal(saved['version'], 1);
    assert.equal(saved['provider'], 'payment-kit');
    assert.equal(arr(saved['customers']).length, 7);

    const second = await startApi({ statePath, seed: 3 });
    try {
      assert.equal(second.emulator.stats().customers, 7, 'seed does not add to a loaded store');
      assert.deepEqual((await second.get(`/api/customers/${String(customer['id'])}`)).body, edited);
      assert.ok(bought);
      assert.deepEqual(
        (await second.get(`/api/customers/${bought.id}?livemode=false`)).body,
        bought,
      );
      const [next] = second.emulator.checkout(1);
      const known = new Set(
        [...(await second.all(true)), ...(await second.all(false))].map((c) => c['id']),
      );
      assert.equal(known.size, 8);
      assert.ok(next && known.has(next.id));
    } finally {
      await second.emulator.close();
    }
  });

  test('an unusable file is refused at start, never emptied', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const good = await startPaymentKitEmulator({ statePath, seed: 1, now: () => FIXED_NOW });
    await good.close();
    const text = await readFile(statePath, 'utf8');
    const saved = obj(JSON.parse(text));
    const [one] = arr(saved['customers']);
    const variants = [
      '{"version":1,',
      '{"version":2,"provider":"payment-kit","nextSeq":1,"customers":[]}',
      // A Helcim emulator's state file.
      '{"version":1,"nextId":1,"nextCode":1,"nextCardId":1,"customers":[]}',
      JSON.stringify({ ...saved, customers: [{ id: 'x' }] }),
      JSON.stringify({ ...saved, customers: [{ ...obj(one), created_at: '2025-01-01' }] }),
      JSON.stringify({ ...saved, customers: [one, one] }),
    ];
    for (const content of variants) {
      await writeFile(statePath, content);
      await assert.rejects(startPaymentKitEmulator({ statePath }), (caught: unknown) => {
        assert.ok(caught instanceof Error);
        assert.match(caught.message, /state .* is not usable/);
        assert.equal(obj(caught)['code'], 'ERR_EMULATOR');
        return true;
      });
      assert.equal(await readFile(statePath, 'utf8'), content, 'left as it was');
    }
  });

  test('reset empties the store and is saved', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const api = await startApi({ statePath, seed: 2 });
    const res = await fetchAnswer(`${api.emulator.origin}/__emulator/reset`, { method: 'POST' });
    assert.deepEqual([res.status, res.body], [200, { ok: true }]);
    assert.equal(api.emulator.stats().customers, 0);
    await api.emulator.close();
    const reopened = await startPaymentKitEmulator({ statePath });
    assert.equal(reopened.stats().customers, 0);
    await reopened.close();
  });
});

describe('seed', () => {
  test('N customers in each mode, the same for the same N (ids, DIDs, names, dates)', async () => {
    const a = await startApi({ seed: 25, now: () => FIXED_NOW });
    const b = await startEmulator({ provider: 'payment-kit', seed: 25, now: () => FIXED_NOW });
    try {
      const stats = a.emulator.stats();
      assert.deepEqual([stats.liveCustomers, stats.testCustomers, stats.customers], [25, 25, 50]);
      const fromA = [...(await a.all(true)), ...(await a.all(false))];
      const page = await fetchAnswer(`${b.url}/api/customers?pageSize=100`, {
        headers: { authorization: `Bearer ${b.token}` },
      });
      assert.deepEqual(obj(page.body)['list'], fromA.slice(0, 25));
      assert.equal(b.stats().customers, 50);
      // Seeded customers are in the past, newest a little before now.
      const newest = Date.parse(String(fromA[0]?.['created_at']));
      assert.ok(newest < FIXED_NOW.getTime() && newest > FIXED_NOW.getTime() - 3_600_000);
    } finally {
      await a.emulator.close();
      await b.close();
    }
  });

  test('another N shares the same first ids (ids follow the sequence, not the count)', async () => {
    const small = await startPaymentKitEmulator({ seed: 2 });
    const big = await startPaymentKitEmulator({ seed: 5 });
    try {
      const first = small.checkout(1)[0];
      const other = big.checkout(1)[0];
      assert.ok(first && other);
      assert.notEqual(first.id, other.id, 'the sixth and the eleventh customer differ');
      small.reset();
      big.reset();
      assert.deepEqual(
        small.checkout(3).map((c) => c.id),
        big.checkout(3).map((c) => c.id),
      );
    } finally {
      await small.close();
      await big.close();
    }
  });
});

describe('stats and the provider switch', () => {
  test('stats count requests by route template and status, customers by mode', async () => {
    const api = await startApi({ seed: 2 });
    try {
      await api.get('/api/customers');
      await api.get('/api/customers/cus_unknown');
      await api.call('POST', '/api/customers', { body: {} });
      await api.call('GET', '/api/customers', { headers: {} });
      api.emulator.checkout(2);
      const stats = obj((await fetchAnswer(`${api.emulator.origin}/__emulator/stats`)).body);
      assert.equal(stats['version'], 1);
      assert.deepEqual(stats['requests'], {
        'GET /api/customers': { '200': 1, '401': 1 },
        'GET /api/customers/{id}': { '404': 1 },
        'POST /api/customers': { '405': 1 },
      });
      assert.equal(stats['totalRequests'], 4);
      assert.deepEqual(
        [stats['liveCustomers'], stats['testCustomers'], stats['checkouts']],
        [4, 2, 2],
      );
      api.emulator.reset();
      assert.equal(api.emulator.stats().totalRequests, 0);
      assert.equal(api.emulator.stats().checkouts, 0);
    } finally {
      await api.emulator.close();
    }
  });

  test('startEmulator dispatches on provider; Helcim stays the default', async () => {
    const helcim = await startEmulator({ rateLimit: 'off' });
    const pk = await startEmulator({ provider: 'payment-kit' });
    try {
      assert.match(helcim.url, /\/v2$/);
      assert.match(pk.url, /\/payment$/);
      assert.match(pk.token, /^blocklet-/);
    } finally {
      await helcim.close();
      await pk.close();
    }
    // Options read from JSON get no type check: a wrong name is refused, not read as Helcim.
    await assert.rejects(
      startEmulator(JSON.parse('{"provider":"stripe"}')),
      /unknown emulator provider "stripe"/,
    );
  });
});
