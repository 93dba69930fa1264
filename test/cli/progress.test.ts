import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  ETA_MIN_DONE,
  ETA_MIN_ELAPSED_MS,
  EtaEstimator,
  progressReporter,
} from '../../src/cli/progress.js';
import type { CliContext } from '../../src/cli/context.js';
import { HELCIM_RATE_LIMITS } from '../../src/core/rate-limits.js';

/** Records `count` writes finishing `every` ms apart from `from`. */
function writes(eta: EtaEstimator, from: number, count: number, every: number, done = 0): number {
  for (let i = 1; i <= count; i++) eta.record(done + i, from + i * every);
  return from + count * every;
}

test(`no estimate before ${ETA_MIN_DONE} writes have finished, however long it took`, () => {
  const eta = new EtaEstimator(100, 0, { limits: HELCIM_RATE_LIMITS });
  const t = writes(eta, 0, ETA_MIN_DONE - 1, 10_000);
  assert.equal(eta.secondsLeft(t), undefined);
  eta.record(ETA_MIN_DONE, t + 1000);
  assert.notEqual(eta.secondsLeft(t + 1000), undefined);
});

test(`no estimate before ${ETA_MIN_ELAPSED_MS} ms have passed, however many writes finished`, () => {
  const eta = new EtaEstimator(1000, 0, { limits: 'off' });
  writes(eta, 0, 50, 10);
  assert.equal(eta.secondsLeft(ETA_MIN_ELAPSED_MS - 1), undefined);
  assert.notEqual(eta.secondsLeft(ETA_MIN_ELAPSED_MS), undefined);
});

test('the estimate is never faster than the limits: 90 writes left at 100 a minute take at least 54 s', () => {
  const eta = new EtaEstimator(100, 0, { limits: HELCIM_RATE_LIMITS });
  // 10 writes in 5 s observed: 120 a minute, faster than Helcim's 100.
  writes(eta, 0, 10, 500);
  const left = eta.secondsLeft(5000);
  assert.ok(left !== undefined);
  assert.equal(Math.round(left), 54);
});

test('a saved plan that reads each record before writing it is estimated at half the writes: 90 left at 100 requests a minute take at least 108 s', () => {
  const eta = new EtaEstimator(100, 0, { limits: HELCIM_RATE_LIMITS, requestsPerWrite: 2 });
  // A quick start (10 writes in 5 s, the minute's budget still fresh) says nothing of the rest.
  writes(eta, 0, 10, 500);
  const left = eta.secondsLeft(5000);
  assert.ok(left !== undefined);
  assert.equal(Math.round(left), 108);
});

test("a minute's wait for budget before the first write does not make a one-minute job read as 1h 39m", () => {
  const eta = new EtaEstimator(100, 0, { limits: HELCIM_RATE_LIMITS });
  eta.record(1, 60_000);
  // The next writes come at the pace the limits allow: 100 a minute, one each 0.6 s.
  const t = writes(eta, 60_000, 9, 600, 1);
  const left = eta.secondsLeft(t);
  assert.ok(left !== undefined);
  // 90 left at 100 a minute: 54 s, where the average since the start (10 in 65 s) says 9m 45s.
  assert.ok(left >= 54 && left < 60, `estimated ${left} s`);
});

test('writes that stall slow the estimate down: the rate is measured up to now', () => {
  const eta = new EtaEstimator(100, 0, { limits: HELCIM_RATE_LIMITS });
  const t = writes(eta, 0, 20, 600);
  const flowing = eta.secondsLeft(t);
  const stalled = eta.secondsLeft(t + 60_000);
  assert.ok(flowing !== undefined && stalled !== undefined);
  assert.ok(stalled > flowing * 2, `flowing ${flowing} s, stalled ${stalled} s`);
});

test('--time-scale 10 makes the limits ten times faster: 90 writes left take at least 5.4 s', () => {
  const eta = new EtaEstimator(100, 0, { limits: HELCIM_RATE_LIMITS, timeScale: 10 });
  // 10 writes in the last half second: 1200 a minute, faster than the scaled limit's 1000.
  writes(eta, 4500, 10, 50);
  const left = eta.secondsLeft(5000);
  assert.ok(left !== undefined);
  assert.equal(Math.round(left * 10) / 10, 5.4);
});

test("a run longer than the hour's budget is estimated at the hour's rate (3000 an hour)", () => {
  const eta = new EtaEstimator(6010, 0, { limits: HELCIM_RATE_LIMITS });
  writes(eta, 0, 10, 500);
  const left = eta.secondsLeft(5000);
  assert.ok(left !== undefined);
  // 6000 left at 3000 an hour: 2 hours.
  assert.equal(Math.round(left), 7200);
});

test('without limits (an emulator with --rate-limit off) the estimate is the observed rate', () => {
  const eta = new EtaEstimator(110, 0, { limits: 'off' });
  writes(eta, 0, 10, 500);
  const left = eta.secondsLeft(5000);
  assert.ok(left !== undefined);
  // 100 left at 2 a second, as observed over the last writes.
  assert.equal(Math.round(left), 50);
});

function plainContext(): { ctx: CliContext; output: () => string } {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  const ctx: CliContext = {
    stdout: new PassThrough(),
    stderr,
    stdin: new PassThrough(),
    env: {},
    cwd: '/',
    signal: new AbortController().signal,
  };
  return { ctx, output: () => text };
}

test('plain progress lines say nothing of time left until the estimate means something, then say it', () => {
  const { ctx, output } = plainContext();
  let now = 0;
  const progress = progressReporter(ctx, 100, { limits: HELCIM_RATE_LIMITS }, () => now);
  now = 60_000;
  progress.update({ total: 100, done: 1, failed: 0 });
  for (let done = 2; done <= 10; done++) {
    now += 500;
    progress.update({ total: 100, done, failed: 0 });
  }
  now += 5_000;
  progress.update({ total: 100, done: 11, failed: 0 });
  // At 69.5 s: 10 writes in the last 9.5 s, 63 a minute (under Helcim's 100): 89 left, 1m 25s.
  assert.deepEqual(output().split('\n'), [
    'applied 1/100, 0 failed, 1/min',
    'applied 11/100, 0 failed, 9/min, about 1m left',
    '',
  ]);
});

test('a plain progress line of an apply shorter than a second states no rate a minute', () => {
  const { ctx, output } = plainContext();
  let now = 0;
  const progress = progressReporter(ctx, 1, { limits: HELCIM_RATE_LIMITS }, () => now);
  // One write in 3 ms is not "20000/min".
  now = 3;
  progress.update({ total: 1, done: 1, failed: 0 });
  assert.deepEqual(output().split('\n'), ['applied 1/1, 0 failed', '']);
});
