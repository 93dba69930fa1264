/**
 * The client against what the recorded traffic added to the contract: the remaining-budget
 * headers are hints that may count either way (or not at all), and the answers' quirks (zeroed
 * dates, `cards: []`, 404 for a non-numeric id). Real HTTP, the pacer and the emulator's windows
 * on one hand-moved clock: no test depends on how fast the machine is.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RemoteError } from '../../../../src/core/errors.js';
import {
  startEmulator,
  type EmulatorHandle,
  type RemainingHeadersMode,
} from '../../../../src/emulator/index.js';
import type { HelcimEvent } from '../../../../src/providers/helcim/client/caller.js';
import { HelcimClient } from '../../../../src/providers/helcim/client/client.js';
import { FakeClock, sendJson, startTestServer } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of cleanup.reverse()) await close();
});

const MINUTE_MS = 60_000;
const LIMITS = { concurrent: 2, perMinute: 5, perHour: 1000 };
const LOOKUPS = 8;

/** Polls (real time) until `done()`; the bound only keeps a broken client from hanging the run. */
async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (!done()) {
    if (performance.now() > deadline) assert.fail(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const count = (events: HelcimEvent[], type: HelcimEvent['type']): number =>
  events.filter((e) => e.type === type).length;

/**
 * Looks up 8 codes with a budget of 5 a minute, time standing still: the client must send 5,
 * then wait for its own window, whatever the headers said; once the clock passes the window,
 * the other 3 go. Answers what the server saw before and after.
 */
async function lookUpPastTheMinute(
  url: string,
  token: string,
  clock: FakeClock,
  served: () => number,
): Promise<{ beforeWindow: number; requestsBeforeWindow: number; found: number }> {
  const events: HelcimEvent[] = [];
  const client = new HelcimClient({
    baseUrl: url,
    token,
    clock,
    limits: { ...LIMITS, minuteMs: MINUTE_MS },
    onEvent: (event) => events.push(event),
  });
  cleanup.push(() => client.close());
  const codes = Array.from({ length: LOOKUPS }, (_, i) => `PACE-${i}`);
  const lookups = client.findByIdentities(codes);
  // The pacer waits for its window once its 5 answers are in; a client that trusted the
  // headers would instead have had a 6th answer by then.
  await until(
    'the pacer waiting for its window after 5 answers, or a 6th answer',
    () =>
      (count(events, 'response') >= LIMITS.perMinute && count(events, 'wait') > 0) ||
      count(events, 'response') > LIMITS.perMinute,
  );
  const beforeWindow = served();
  const requestsBeforeWindow = count(events, 'request');
  await clock.advance(MINUTE_MS + 1_000);
  const found = await lookups;
  return { beforeWindow, requestsBeforeWindow, found: found.size };
}

async function emulatorWith(mode: RemainingHeadersMode, clock: FakeClock): Promise<EmulatorHandle> {
  const emu = await startEmulator({ rateLimit: LIMITS, remainingHeaders: mode, clock });
  cleanup.push(() => emu.close());
  return emu;
}

describe('pacing when the remaining-budget headers count either way', () => {
  for (const mode of ['after-call', 'before-call'] as const) {
    it(`${mode} headers: 5 requests in the first minute, none refused, the other 3 after it`, async () => {
      const clock = new FakeClock();
      const emu = await emulatorWith(mode, clock);
      const run = await lookUpPastTheMinute(
        emu.url,
        emu.token,
        clock,
        () => emu.stats().totalRequests,
      );
      assert.equal(run.requestsBeforeWindow, LIMITS.perMinute);
      assert.equal(run.beforeWindow, LIMITS.perMinute);
      assert.equal(run.found, LOOKUPS);
      const stats = emu.stats();
      assert.equal(stats.rateLimited, 0);
      assert.deepEqual(stats.requests['GET /v2/customers'], { '200': LOOKUPS });
    });
  }

  it('headers that never count down (always the whole budget): still 5 in the first minute, none refused', async () => {
    const clock = new FakeClock();
    // A server that enforces 5 a minute on the shared clock but always reports the whole budget,
    // as the recorded hour header stayed at 3000 across 20 calls.
    const stamps: number[] = [];
    let refused = 0;
    const server = await startTestServer((_req, res) => {
      const now = clock.now();
      const inWindow = stamps.filter((t) => t > now - MINUTE_MS).length;
      res.setHeader('minute-limit-remaining', String(LIMITS.perMinute));
      res.setHeader('hour-limit-remaining', String(LIMITS.perHour));
      if (inWindow >= LIMITS.perMinute) {
        refused++;
        sendJson(res, 429, { errors: 'Too many requests' });
        return;
      }
      stamps.push(now);
      sendJson(res, 200, []);
    });
    cleanup.push(() => server.close());
    const run = await lookUpPastTheMinute(server.url, 'test-token', clock, () => stamps.length);
    assert.equal(run.requestsBeforeWindow, LIMITS.perMinute);
    assert.equal(run.beforeWindow, LIMITS.perMinute);
    assert.equal(run.found, LOOKUPS);
    assert.equal(refused, 0);
    assert.equal(server.requests.length, LOOKUPS);
  });
});

describe('the answers the recordings show', () => {
  async function setup(seed = 0): Promise<{ emu: EmulatorHandle; client: HelcimClient }> {
    const emu = await startEmulator({ seed, rateLimit: 'off' });
    const client = new HelcimClient({ baseUrl: emu.url, token: emu.token, limits: 'off' });
    cleanup.push(
      () => client.close(),
      () => emu.close(),
    );
    return { emu, client };
  }

  it("a create's zeroed dateUpdated maps to no updatedAt; a GET's maps to createdAt", async () => {
    const { client } = await setup();
    const created = await client.create({ customerCode: 'REC-1', contactName: 'Dated' });
    assert.equal('updatedAt' in created, false);
    const fetched = await client.get(created.id);
    assert.equal(fetched.updatedAt, created.createdAt);
    assert.deepEqual({ ...fetched, updatedAt: undefined }, { ...created, updatedAt: undefined });
  });

  it('a non-numeric id fails as not found (ERR_REMOTE_NOT_FOUND) after one call, not retried', async () => {
    const { emu, client } = await setup(4);
    await assert.rejects(client.get('CST1001'), (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.equal(error.code, 'ERR_REMOTE_NOT_FOUND');
      assert.deepEqual(error.problems, [{ message: 'Invalid customerId' }]);
      return true;
    });
    assert.deepEqual(emu.stats().requests['GET /v2/customers/{id}'], { '404': 1 });
  });

  it('a plain listing (cards: [] even for holders) parses; the includeCards listing still finds the cards', async () => {
    const { client } = await setup(8);
    const listed = await client.list();
    assert.equal(listed.length, 8);
    const cards = await client.listCards();
    // Seeded customers 0 and 4 of every 8 have cards (the seed's rule): the [] of the plain
    // listing did not hide them from the listing that asks for them.
    assert.equal([...cards.values()].filter((c) => c.length > 0).length, 2);
  });
});
