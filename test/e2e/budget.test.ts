/**
 * Two CLI processes in a row on one account: the second must not open with a burst on the
 * minute the first spent. The request times pass through the cache folder they share.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, countRequests, isRecord, people, show, yamlOf } from './helpers.js';

const SCALE = 30; // a minute is 2 s: long enough for the second process to start inside it
const LIMITS = { concurrent: 5, perMinute: 20, perHour: 1000 };
const RATE = `${LIMITS.concurrent}/${LIMITS.perMinute}/${LIMITS.perHour}`;

test('plan twice in a row with a shared cache folder: no 429', async () => {
  const box = await Sandbox.start({ rateLimit: LIMITS, timeScale: SCALE });
  try {
    box.write('c.yaml', yamlOf(people(LIMITS.perMinute)));
    const cacheDir = box.path('cache');
    // The test rig does not pass HELCIM_* on, so the cache folder is given explicitly.
    const env = { HELCIM_SYNC_CACHE_DIR: cacheDir };
    const scaled = [
      'plan',
      'c.yaml',
      '--fetch',
      'lookup',
      '--rate-limit',
      RATE,
      '--time-scale',
      String(SCALE),
    ];

    const first = await box.run(scaled, { env });
    assert.equal(first.code, 0, show(first));
    assert.equal(countRequests(box.stats(), 'GET'), LIMITS.perMinute, 'the first spent the minute');
    const second = await box.run(scaled, { env });
    assert.equal(second.code, 0, show(second));
    assert.match(second.stdout, /^Plan: 20 to create, 0 to update, 0 unchanged\.$/m);

    const stats = box.stats();
    assert.equal(stats.rateLimited, 0, JSON.stringify(stats));
    assert.deepEqual(stats.faults, {});
    assert.equal(countRequests(stats, 'GET'), 2 * LIMITS.perMinute);

    // One small file: both processes' request times, merged; no customer data.
    const files = readdirSync(cacheDir).filter((name) => name.endsWith('.json'));
    assert.equal(files.length, 1);
    const memo: unknown = JSON.parse(readFileSync(join(cacheDir, files[0] ?? ''), 'utf8'));
    assert.ok(isRecord(memo));
    const requests = memo['requests'];
    assert.ok(Array.isArray(requests));
    assert.equal(requests.length, 2 * LIMITS.perMinute);
    assert.doesNotMatch(JSON.stringify(memo), /E2E-|Person|token/i);
  } finally {
    await box.close();
  }
});
