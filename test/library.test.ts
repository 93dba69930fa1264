import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyPlan,
  HelcimClient,
  loadDesiredState,
  planSync,
  renderText,
  startEmulator,
} from '../src/index.js';

test('the library runs the whole pipeline the README shows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-lib-'));
  writeFileSync(
    join(dir, 'customers.yaml'),
    'customers:\n  - customerCode: LIB-1\n    contactName: Library User\n',
  );
  const emulator = await startEmulator({ rateLimit: 'off' });
  const remote = new HelcimClient({ baseUrl: emulator.url, token: emulator.token, limits: 'off' });
  try {
    const desired = loadDesiredState(['customers.yaml'], { cwd: dir });
    assert.deepEqual(desired.problems, []);
    const plan = await planSync(desired.customers, remote, { config: desired.config });
    assert.match(renderText(plan), /Plan: 1 to create, 0 to update, 0 unchanged/);
    const report = await applyPlan(plan, remote);
    assert.equal(report.summary.created, 1);
    const again = await planSync(desired.customers, remote, { config: desired.config });
    assert.equal(again.summary.unchanged, 1);
  } finally {
    await remote.close();
    await emulator.close();
  }
});
