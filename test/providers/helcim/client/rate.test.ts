/**
 * Pacing against the emulator's real limits (5 in flight, 100 per minute, 3000 per hour) with
 * time running 60 times faster: a minute lasts one second. The client and the emulator share a
 * virtual clock: requests take no time and waits exactly what they ask, so the times measured
 * are the pacer's alone, the same on a busy machine as on an idle one.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Pool } from 'undici';
import { startEmulator, type EmulatorHandle } from '../../../../src/emulator/index.js';
import type { HelcimEvent } from '../../../../src/providers/helcim/client/caller.js';
import { HelcimClient } from '../../../../src/providers/helcim/client/client.js';
import { VirtualClock } from '../../../support/virtual-clock.js';

const SCALE = 60;
const MINUTE_MS = 60_000 / SCALE;
const LIMITS = { concurrent: 5, perMinute: 100, perHour: 3000 };

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of cleanup.reverse()) await close();
});

interface Seen {
  at: number;
  event: HelcimEvent;
}

async function setup() {
  const clock = new VirtualClock();
  const emu = await startEmulator({
    port: 0,
    seed: 0,
    rateLimit: LIMITS,
    timeScale: SCALE,
    clock,
  });
  const seen: Seen[] = [];
  const client = new HelcimClient({
    baseUrl: emu.url,
    token: emu.token,
    limits: { ...LIMITS, minuteMs: MINUTE_MS, hourMs: 3_600_000 / SCALE },
    retry: { baseMs: 20, capMs: 200 },
    clock,
    onEvent: (event) => {
      if (event.type === 'request') clock.begin();
      if (event.type === 'response') clock.end();
      seen.push({ at: clock.now(), event });
    },
  });
  cleanup.push(
    () => client.close(),
    () => emu.close(),
  );
  return { emu, client, seen, clock };
}

const codes = (n: number) => Array.from({ length: n }, (_, i) => `BURST-${i}`);
const responses = (seen: Seen[], status?: number) =>
  seen.filter(
    (s) => s.event.type === 'response' && (status === undefined || s.event.status === status),
  );

/** Another client on the same account: one request every `everyMs`, never paced. */
function otherClient(emu: EmulatorHandle, clock: VirtualClock, everyMs: number) {
  const pool = new Pool(new URL(emu.url).origin, { connections: 2 });
  let running = true;
  const statuses: Record<string, number> = {};
  const done = (async () => {
    const start = clock.now();
    for (let sent = 1; running; sent++) {
      clock.begin();
      try {
        const response = await pool.request({
          path: '/v2/customers?customerCode=OTHER',
          method: 'GET',
          headers: { 'api-token': emu.token },
        });
        await response.body.text();
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      } finally {
        clock.end();
      }
      await clock.sleep(Math.max(0, start + sent * everyMs - clock.now()));
    }
    await pool.close();
  })();
  return {
    statuses,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Figures for the report, on the test's diagnostic channel (lint keeps console out). */
function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

describe('rate limits (time scale 60: a minute is 1 s)', () => {
  it(
    'a burst of 300 GETs sees no 429 and takes about the 2 windows the limits allow',
    { timeout: 120_000 },
    async () => {
      const { emu, client, seen, clock } = await setup();
      const start = clock.now();
      const found = await client.findByIdentities(codes(300));
      const elapsed = clock.now() - start;
      assert.equal(found.size, 300);
      const stats = emu.stats();
      assert.equal(stats.rateLimited, 0);
      assert.deepEqual(stats.requests['GET /v2/customers'], { '200': 300 });
      assert.ok(stats.peakInFlight <= 5);
      assert.ok(seen.some((s) => s.event.type === 'wait'));
      // 100 now, 100 a window later, 100 two windows later. The 5-in-flight limit spreads each
      // hundred over the time the first took, which no client can beat: that is allowed too.
      const firstHundred = (responses(seen)[99]?.at ?? start) - start;
      const allowed = 2 * MINUTE_MS + firstHundred;
      note(
        `burst: 300 GETs in ${elapsed.toFixed(0)} ms; limits allow ${allowed.toFixed(0)} ms ` +
          `(2 windows of ${MINUTE_MS} ms + ${firstHundred.toFixed(0)} ms for the first 100 at 5 in ` +
          `flight): ratio ${(elapsed / allowed).toFixed(3)}`,
      );
      assert.ok(elapsed >= 2 * MINUTE_MS, `finished in ${elapsed.toFixed(0)} ms: too fast`);
      assert.ok(elapsed <= allowed * 1.1, `took ${elapsed.toFixed(0)} ms, allowed ${allowed} ms`);
    },
  );

  it(
    'shares the account with another client spending half the budget: no failed request',
    { timeout: 120_000 },
    async () => {
      const { emu, client, seen, clock } = await setup();
      const other = otherClient(emu, clock, MINUTE_MS / 50);
      await clock.sleep(MINUTE_MS / 4);
      const start = clock.now();
      try {
        const found = await client.findByIdentities(codes(300));
        assert.equal(found.size, 300);
      } finally {
        await other.stop();
      }
      const elapsed = clock.now() - start;
      note(
        `shared: 300 GETs in ${elapsed.toFixed(0)} ms while another client sent 50 per window; ` +
          `our 429s absorbed: ${responses(seen, 429).length}; the other client got ` +
          JSON.stringify(other.statuses),
      );
      assert.equal(responses(seen, 200).length, 300);
      // At worst half of each window is ours: 300 requests in about 6 windows.
      assert.ok(elapsed <= 7 * MINUTE_MS, `took ${elapsed.toFixed(0)} ms`);
    },
  );
});
