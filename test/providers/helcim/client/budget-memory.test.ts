/**
 * The rate budget across processes: request times remembered by one client (a cache file in the
 * CLI) and seeded into the next one's pacer, so a new process does not open with a burst on a
 * minute an earlier one spent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../../../src/emulator/index.js';
import {
  BUDGET_SAVE_EVERY,
  HelcimClient,
  type BudgetMemory,
} from '../../../../src/providers/helcim/client/client.js';
import { mergeRequestTimes, openCache, requestMemory } from '../../../../src/remote/cache.js';
import { FakeClock, sendJson, startTestServer } from './helpers.js';

const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  // Every one runs, so that a failed test cannot leave a server holding the process open.
  const failures: unknown[] = [];
  for (const close of cleanup.reverse())
    await Promise.resolve(close()).catch((e: unknown) => failures.push(e));
  if (failures.length > 0) throw failures[0];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-budget-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A memory in a plain array, recording every save. */
function arrayMemory(initial: number[] = []): BudgetMemory & { saves: number[][] } {
  const saves: number[][] = [];
  return {
    saves,
    load: () => [...initial],
    save: (times) => void saves.push(times),
  };
}

describe('request times in the cache', () => {
  it('merges two lists: a time in both is one request, a time twice in one is two', () => {
    const stored = [10, 20, 20, 30, 40];
    const ours = [20, 20, 30, 30, 50, 5];
    assert.deepEqual(mergeRequestTimes(stored, ours, 9, 100), [10, 20, 20, 30, 30, 40, 50]);
    assert.deepEqual(mergeRequestTimes(stored, ours, 20, 100), [30, 30, 40, 50]);
    assert.deepEqual(mergeRequestTimes(stored, ours, 0, 3), [30, 40, 50]);
    assert.deepEqual(mergeRequestTimes([], [], 0, 3), []);
  });

  it('two processes saving into one file keep both their times; saving again adds nothing', () => {
    const dir = tempDir();
    let wall = 1_000_000;
    const now = () => wall;
    const a = requestMemory(openCache(dir, 'http://127.0.0.1:1/v2'), 60_000, 100, now);
    const b = requestMemory(openCache(dir, 'http://127.0.0.1:1/v2'), 60_000, 100, now);
    const other = requestMemory(openCache(dir, 'http://127.0.0.1:2/v2'), 60_000, 100, now);
    a.save([999_000, 999_500, 999_500]);
    b.save([999_200, 999_500]);
    a.save([999_000, 999_500, 999_500]);
    assert.deepEqual(a.load(), [999_000, 999_200, 999_500, 999_500]);
    assert.deepEqual(other.load(), [], 'one file per API URL');
    wall = 1_059_300;
    b.save([1_059_000]);
    assert.deepEqual(b.load(), [999_500, 999_500, 1_059_000], 'older than the window: dropped');
    assert.equal(readdirSync(dir).length, 1);
  });
});

describe('client with a budget memory (fake clock)', () => {
  const EPOCH = 1_700_000_000_000;
  const LIMITS = { concurrent: 5, perMinute: 5, perHour: 50, minuteMs: 1000, hourMs: 60_000 };

  async function setup(memory: BudgetMemory, limits: typeof LIMITS = LIMITS) {
    const server = await startTestServer((_req, res) => {
      // Plenty left: the server's count adds nothing to ours.
      res.setHeader('minute-limit-remaining', '999');
      res.setHeader('hour-limit-remaining', '999');
      sendJson(res, 200, []);
    });
    cleanup.push(() => server.close());
    const clock = new FakeClock();
    await clock.advance(500_000);
    const client = new HelcimClient({
      baseUrl: server.url,
      token: 'budget-test-token',
      clock,
      wallNow: () => EPOCH + clock.now(),
      limits,
      budgetMemory: memory,
    });
    cleanup.push(() => client.close());
    return { server, clock, client };
  }

  /** Real time for loopback I/O (the fake clock stands still meanwhile); a guard, not a measure. */
  async function until(condition: () => boolean): Promise<void> {
    const deadline = performance.now() + 20_000;
    while (!condition() && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    assert.ok(condition(), 'timed out waiting for the loopback server');
  }

  it('seeds the windows from the loaded times: nothing is sent before the oldest leaves', async () => {
    const wall = EPOCH + 500_000;
    // A full minute, the oldest answered 100 ms ago; plus one from two hours ago, forgotten.
    const memory = arrayMemory([wall - 100, wall - 80, wall - 60, wall - 40, wall - 20, 0]);
    const { server, clock, client } = await setup(memory);
    const found = client.findByIdentity('A');
    // The oldest leaves at -100 + 1 ms (Date.now's rounding) + 1000 + the 2 ms margin = 903.
    await clock.advance(902);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(server.requests.length, 0);
    await clock.advance(1);
    await until(() => server.requests.length === 1);
    assert.deepEqual(await found, []);
    await client.close();
    assert.deepEqual(memory.saves.at(-1), [
      wall - 100,
      wall - 80,
      wall - 60,
      wall - 40,
      wall - 20,
      wall + 903,
    ]);
  });

  it('saves its own requests on close, as wall times', async () => {
    const memory = arrayMemory();
    const { server, clock, client } = await setup(memory);
    const wall = EPOCH + 500_000;
    await client.findByIdentity('A');
    await clock.advance(1003);
    await client.findByIdentity('B');
    assert.equal(server.requests.length, 2);
    assert.equal(memory.saves.length, 0);
    await client.close();
    assert.deepEqual(memory.saves, [[wall, wall + 1003]]);
  });

  it(`also saves every ${BUDGET_SAVE_EVERY} responses, for a process that never closes`, async () => {
    const memory = arrayMemory();
    const limits = { ...LIMITS, perMinute: 100, perHour: 3000 };
    const { client } = await setup(memory, limits);
    const codes = Array.from({ length: BUDGET_SAVE_EVERY + 10 }, (_, i) => `C${i}`);
    await client.findByIdentities(codes);
    assert.equal(memory.saves.length, 1);
    assert.ok((memory.saves[0]?.length ?? 0) >= BUDGET_SAVE_EVERY);
    await client.close();
    assert.equal(memory.saves.at(-1)?.length, BUDGET_SAVE_EVERY + 10);
  });
});

describe('client with a budget memory against the emulator (time scale 60: a minute is 1 s)', () => {
  const SCALE = 60;
  const LIMITS = { concurrent: 5, perMinute: 20, perHour: 1000 };
  const CLIENT_LIMITS = { ...LIMITS, minuteMs: 60_000 / SCALE, hourMs: 3_600_000 / SCALE };

  async function emulator(): Promise<EmulatorHandle> {
    const emu = await startEmulator({ port: 0, seed: 0, rateLimit: LIMITS, timeScale: SCALE });
    cleanup.push(() => emu.close());
    return emu;
  }

  function client(emu: EmulatorHandle, memory?: BudgetMemory): HelcimClient {
    const c = new HelcimClient({
      baseUrl: emu.url,
      token: emu.token,
      limits: CLIENT_LIMITS,
      retry: { baseMs: 20, capMs: 200 },
      ...(memory === undefined ? {} : { budgetMemory: memory }),
    });
    cleanup.push(() => c.close());
    return c;
  }

  const codes = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

  it('a second client with the first one’s memory meets no 429', async () => {
    const emu = await emulator();
    const cache = openCache(tempDir(), emu.url);
    const memory = () => requestMemory(cache, CLIENT_LIMITS.hourMs, LIMITS.perHour);
    const a = client(emu, memory());
    await a.findByIdentities(codes('A', LIMITS.perMinute));
    await a.close();
    assert.equal(cache.read().requests?.length, LIMITS.perMinute);
    const b = client(emu, memory());
    const found = await b.findByIdentities(codes('B', 10));
    await b.close();
    assert.equal(found.size, 10);
    const stats = emu.stats();
    assert.equal(stats.rateLimited, 0);
    assert.deepEqual(stats.faults, {});
    assert.deepEqual(stats.requests['GET /v2/customers'], { '200': 30 });
    assert.equal(cache.read().requests?.length, 30);
  });

  it('without a memory, the second client’s first request goes alone: at most one 429', async () => {
    const emu = await emulator();
    const a = client(emu);
    await a.findByIdentities(codes('A', LIMITS.perMinute));
    await a.close();
    const b = client(emu);
    const found = await b.findByIdentities(codes('B', 10));
    await b.close();
    assert.equal(found.size, 10);
    const stats = emu.stats();
    process.stderr.write(`no memory: ${stats.rateLimited} 429 for the second client\n`);
    assert.ok(stats.rateLimited <= 1, `${stats.rateLimited} requests refused`);
    assert.deepEqual(stats.faults, {});
  });
});
