import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/apply/apply.js';
import { startEmulator } from '../../src/emulator/index.js';
import { HelcimClient } from '../../src/providers/helcim/client/index.js';
import { planChanges } from '../../src/plan/plan.js';

test('Ctrl-C during apply stops the writes waiting for rate-limit budget at once, never one on the wire', async () => {
  const limits = { concurrent: 5, perMinute: 3, perHour: 3000 };
  const emulator = await startEmulator({ rateLimit: limits, latencyMs: 50 });
  const remote = new HelcimClient({ baseUrl: emulator.url, token: emulator.token, limits });
  try {
    const desired = Array.from({ length: 8 }, (_, i) => ({
      key: `W${i}`,
      data: { customerCode: `W${i}`, contactName: `Waiting ${i}` },
      source: `w.yaml:${i + 2}`,
    }));
    const plan = planChanges(desired, [], {
      provider: 'helcim',
      fetch: { strategy: 'list', calls: 1, fetched: 0 },
    });
    const controller = new AbortController();
    const started = performance.now();
    const report = await applyPlan(plan, remote, {
      signal: controller.signal,
      // Three writes fit in the minute; the rest wait for budget until the interrupt.
      onProgress: (p) => {
        if (p.done === 3) setTimeout(() => controller.abort(new Error('SIGINT')), 100);
      },
    });
    const elapsed = performance.now() - started;
    assert.ok(
      // Generous (a busy machine), and still half the minute a wait for budget would take.
      elapsed < 30_000,
      `apply took ${Math.round(elapsed)} ms to stop; it should not wait out the minute`,
    );
    assert.equal(report.interrupted, true);
    assert.equal(report.summary.created, 3);
    assert.equal(report.summary.skipped, 5);
    assert.equal(report.summary.failed, 0);
    assert.equal(emulator.stats().customers, 3, 'nothing was sent after the interrupt');
  } finally {
    await remote.close();
    await emulator.close();
  }
});
