import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startEmulator } from '../../../../src/emulator/index.js';
import { writeStateAtomic } from '../../../../src/emulator/state-file.js';
import { loadState } from '../../../../src/providers/helcim/emulator/state.js';
import { arr, num, obj, startApi } from './helpers.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'helcim-emulator-state-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('state file', () => {
  test('customers and counters survive a restart; the file is 0600 and no temp file is left', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const first = await startApi({ statePath });
    const a = obj((await first.post({ contactName: 'Persisted', cellPhone: '4035550000' })).body);
    const b = obj((await first.post({ contactName: 'Second', customerCode: 'KEEP-2' })).body);
    await first.put(num(b['id']), { contactName: 'Second, edited' });
    await first.emulator.close();

    assert.equal((await stat(statePath)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['state.json']);

    const second = await startApi({ statePath });
    try {
      // A GET shows dateUpdated as dateCreated where the create answer said zeros (recorded).
      assert.deepEqual((await second.get(`/customers/${num(a['id'])}`)).body, {
        ...a,
        dateUpdated: a['dateCreated'],
      });
      const edited = obj((await second.get(`/customers/${num(b['id'])}`)).body);
      assert.equal(edited['contactName'], 'Second, edited');
      assert.notEqual(edited['dateUpdated'], '0000-00-00 00:00:00');
      // Counters carried over: no id or generated code is handed out twice.
      const c = obj((await second.post({ contactName: 'Third' })).body);
      assert.ok(num(c['id']) > num(b['id']));
      assert.notEqual(c['customerCode'], a['customerCode']);
      assert.equal(
        Number(String(c['customerCode']).slice(3)),
        Number(String(a['customerCode']).slice(3)) + 1,
      );
    } finally {
      await second.emulator.close();
    }
  });

  test('saves shortly after a write, before close (debounced)', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const api = await startApi({ statePath });
    try {
      await api.post({ contactName: 'Early', customerCode: 'EARLY-1' });
      let saved: unknown;
      for (let i = 0; i < 40 && saved === undefined; i++) {
        await delay(50);
        saved = await loadState(statePath);
      }
      assert.ok(saved, 'saved within 2 s');
      assert.equal(obj(saved)['customers'] instanceof Array, true);
      assert.equal(arr(obj(saved)['customers']).length, 1);
    } finally {
      await api.emulator.close();
    }
  });

  test('seeded customers are saved once; a restart with --seed does not add more', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    await (await startEmulator({ statePath, seed: 7 })).close();
    const again = await startEmulator({ statePath, seed: 7 });
    assert.equal(again.stats().customers, 7);
    await again.close();
  });

  test('the atomic write replaces an old file, forces 0600 and leaves no temp files', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    await writeFile(statePath, 'old');
    await chmod(statePath, 0o644);
    await writeStateAtomic(statePath, { nextId: 5, nextCode: 1001, nextCardId: 1, customers: [] });
    assert.equal((await stat(statePath)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['state.json']);
    assert.deepEqual(JSON.parse(await readFile(statePath, 'utf8')), {
      version: 1,
      nextId: 5,
      nextCode: 1001,
      nextCardId: 1,
      customers: [],
    });
  });

  test('an unusable state file is a clear error, not a silent empty start', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    for (const content of [
      '{"version":1,',
      '{"version":99}',
      '{"version":1,"nextId":1,"nextCode":1,"nextCardId":1,"customers":[{"id":"x"}]}',
    ]) {
      await writeFile(statePath, content);
      await assert.rejects(startEmulator({ statePath }), (caught: unknown) => {
        assert.ok(caught instanceof Error);
        assert.match(caught.message, /state .* is not usable/);
        assert.equal(obj(caught)['code'], 'ERR_EMULATOR');
        return true;
      });
    }
  });

  test('reset is persisted too', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const api = await startApi({ statePath, seed: 3 });
    api.emulator.reset();
    await api.emulator.close();
    const reopened = await startEmulator({ statePath });
    assert.equal(reopened.stats().customers, 0);
    await reopened.close();
  });
});
