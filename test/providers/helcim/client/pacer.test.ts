import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer, type PacerSlot } from '../../../../src/providers/helcim/client/pacer.js';
import { FakeClock, settle } from './helpers.js';

function track(pacer: Pacer, count: number, signal?: AbortSignal) {
  const granted: PacerSlot[] = [];
  const failed: unknown[] = [];
  for (let i = 0; i < count; i++) {
    pacer.acquire(signal).then(
      (slot) => granted.push(slot),
      (reason: unknown) => failed.push(reason),
    );
  }
  return { granted, failed };
}

describe('pacer', () => {
  it('keeps at most `concurrent` requests in flight', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ concurrent: 5, perMinute: 100, perHour: 3000 }, clock);
    const { granted } = track(pacer, 7);
    await settle();
    assert.equal(granted.length, 1, 'the first request goes alone');
    granted[0]?.release({ minuteRemaining: 99, hourRemaining: 2999 });
    await settle();
    assert.equal(granted.length, 6);
    assert.equal(pacer.state.inFlight, 5);
    granted[1]?.release();
    granted[1]?.release(); // a second release is ignored
    await settle();
    assert.equal(granted.length, 7);
    assert.equal(pacer.state.inFlight, 5);
  });

  it('a fresh pacer sends one request alone, and opens up once its answer is reconciled', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ concurrent: 5, perMinute: 100, perHour: 3000 }, clock);
    const first = track(pacer, 1);
    await settle();
    assert.equal(first.granted.length, 1);
    assert.equal(pacer.state.learned, false);
    const second = track(pacer, 1);
    await clock.advance(10_000); // time alone frees nothing: only an answer does
    assert.equal(second.granted.length, 0);
    first.granted[0]?.release({ minuteRemaining: 60, hourRemaining: 2000 });
    await settle();
    assert.equal(pacer.state.learned, true);
    assert.equal(second.granted.length, 1);
    // The headers' 40 used (1 of them ours) were counted before the pacer opened up: 39
    // phantoms, the first request, and the second now in flight.
    assert.equal(pacer.state.minute, 41);
    const rest = track(pacer, 6);
    await settle();
    assert.equal(rest.granted.length, 4, 'up to the concurrency: 5 in flight');
    assert.equal(pacer.state.inFlight, 5);
  });

  it('a failure (no answer, no headers) also opens a fresh pacer up', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ concurrent: 3, perMinute: 100, perHour: 3000 }, clock);
    const { granted } = track(pacer, 5);
    await settle();
    assert.equal(granted.length, 1);
    granted[0]?.release();
    await settle();
    assert.equal(granted.length, 4);
  });

  it('a fresh pacer seeded with a full minute grants nothing until the oldest leaves it', async () => {
    const clock = new FakeClock();
    await clock.advance(100_000);
    const pacer = new Pacer(
      { concurrent: 5, perMinute: 100, perHour: 3000, minuteMs: 60_000, hourMs: 3_600_000 },
      clock,
    );
    // 100 requests answered 50 s to 1 s ago: the oldest at 50_000, then one every 490 ms.
    const times = Array.from({ length: 100 }, (_, i) => 50_000 + i * 490);
    pacer.seed(times);
    assert.equal(pacer.state.minute, 100);
    assert.equal(pacer.state.hour, 100);
    const { granted } = track(pacer, 3);
    await clock.advance(10_119); // t = 110_119: the oldest leaves at 50_000 + 60_000 + 120
    assert.equal(granted.length, 0);
    await clock.advance(2); // t = 110_121
    assert.equal(granted.length, 1, 'one place, and a fresh pacer sends one request anyway');
    granted[0]?.release({ minuteRemaining: 0, hourRemaining: 2900 });
    await settle();
    assert.equal(granted.length, 1, 'the next place frees 490 ms later');
    await clock.advance(490);
    assert.equal(granted.length, 2);
    assert.deepEqual(pacer.sentTimes(), [110_121, 110_611]);
  });

  it('seeded times only count in the windows that still hold them', async () => {
    const clock = new FakeClock();
    await clock.advance(10_000);
    const pacer = new Pacer(
      { concurrent: 5, perMinute: 3, perHour: 4, minuteMs: 1000, hourMs: 60_000 },
      clock,
    );
    // Out of the minute, still in the hour: one place left this hour, none lost this minute.
    pacer.seed([5000, 6000, 7000]);
    // Out of both windows: forgotten.
    pacer.seed([-60_000]);
    assert.deepEqual(pacer.state, {
      inFlight: 0,
      cap: 5,
      learned: false,
      queued: 0,
      minute: 0,
      hour: 3,
    });
    const { granted } = track(pacer, 2);
    await settle();
    assert.equal(granted.length, 1);
    granted[0]?.release({ minuteRemaining: 2, hourRemaining: 0 });
    await clock.advance(50_000);
    assert.equal(granted.length, 1, 'the hour frees its oldest place at 65_000 + the margin');
    await clock.advance(5_200);
    assert.equal(granted.length, 2);
  });

  it('exports its own requests only: in flight as now, neither seeded nor phantom ones', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(
      { concurrent: 5, perMinute: 100, perHour: 3000, minuteMs: 1000, hourMs: 60_000 },
      clock,
    );
    pacer.seed([0]);
    await clock.advance(100);
    const a = track(pacer, 1);
    await settle();
    await clock.advance(5);
    a.granted[0]?.release({ minuteRemaining: 90, hourRemaining: 2990 }); // 10 used: 8 phantoms
    assert.equal(pacer.state.minute, 10);
    const b = track(pacer, 1);
    await clock.advance(20);
    assert.deepEqual(pacer.sentTimes(), [105, 125]);
    b.granted[0]?.release();
    await clock.advance(20);
    assert.deepEqual(pacer.sentTimes(), [105, 125]);
  });

  it("'off' ignores seeds and exports nothing", () => {
    const pacer = new Pacer('off', new FakeClock());
    pacer.seed([0, 1, 2]);
    assert.deepEqual(pacer.sentTimes(), []);
    assert.equal(pacer.state.learned, true);
  });

  it('frees a window place a full window after the response, not after the send', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(
      { concurrent: 10, perMinute: 3, perHour: 100, minuteMs: 1000, hourMs: 60_000 },
      clock,
    );
    const waits: number[] = [];
    const withEvents = new Pacer(
      { concurrent: 10, perMinute: 3, perHour: 100, minuteMs: 1000, hourMs: 60_000 },
      clock,
      { onWait: (ms) => waits.push(ms) },
    );
    for (const p of [pacer, withEvents]) {
      const { granted } = track(p, 4);
      await settle();
      assert.equal(granted.length, 1, 'the first request goes alone');
      await clock.advance(10);
      granted[0]?.release();
      await settle();
      assert.equal(granted.length, 3);
      for (const slot of granted) slot.release();
      await clock.advance(1000); // t = 1010: the responses arrived at 10, so not yet
      assert.equal(granted.length, 3);
      await clock.advance(3); // t = 1013: past 10 + 1000 + the 2 ms margin
      assert.equal(granted.length, 4);
      for (const slot of granted) slot.release();
      await clock.advance(5000);
    }
    assert.ok(waits.length >= 1 && waits.every((ms) => ms > 0));
  });

  it('counts the hour window too', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(
      { concurrent: 10, perMinute: 100, perHour: 2, minuteMs: 1000, hourMs: 10_000 },
      clock,
    );
    const { granted } = track(pacer, 3);
    await settle();
    granted[0]?.release();
    await settle();
    assert.equal(granted.length, 2);
    granted[1]?.release();
    await clock.advance(5000);
    assert.equal(granted.length, 2);
    await clock.advance(5100);
    assert.equal(granted.length, 3);
  });

  it('treats the shortfall in minute-limit-remaining as other clients, expiring with the window', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(
      { concurrent: 10, perMinute: 10, perHour: 1000, minuteMs: 1000, hourMs: 60_000 },
      clock,
    );
    const first = track(pacer, 1);
    await settle();
    // The server has counted 8 in its window: ours plus 7 from someone else.
    first.granted[0]?.release({ minuteRemaining: 2, hourRemaining: 992 });
    assert.equal(pacer.state.minute, 8);
    const next = track(pacer, 3);
    await settle();
    assert.equal(next.granted.length, 2);
    await clock.advance(1003);
    assert.equal(next.granted.length, 3);
  });

  it('drops phantoms when the server says the budget is back', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(
      { concurrent: 10, perMinute: 10, perHour: 1000, minuteMs: 1000, hourMs: 60_000 },
      clock,
    );
    const a = track(pacer, 1);
    await settle();
    a.granted[0]?.release({ minuteRemaining: 0 });
    assert.equal(pacer.state.minute, 10);
    await clock.advance(1003);
    const b = track(pacer, 1);
    await settle();
    b.granted[0]?.release({ minuteRemaining: 9 });
    assert.equal(pacer.state.minute, 1);
  });

  it('after a 429 for an exhausted window, sends nothing until that window has turned over', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(
      { concurrent: 5, perMinute: 10, perHour: 1000, minuteMs: 1000, hourMs: 60_000 },
      clock,
    );
    const a = track(pacer, 1);
    await settle();
    await clock.advance(5);
    a.granted[0]?.release({ minuteRemaining: 0, hourRemaining: 900, rateLimited: true });
    assert.equal(pacer.state.cap, 5, 'a window refusal is not a concurrency problem');
    const b = track(pacer, 1);
    await clock.advance(1000);
    assert.equal(b.granted.length, 0);
    await clock.advance(10);
    assert.equal(b.granted.length, 1);
  });

  it('lowers concurrency after a 429 with budget left, and raises it again', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ concurrent: 5, perMinute: 1000, perHour: 3000 }, clock);
    const a = track(pacer, 1);
    await settle();
    a.granted[0]?.release({ minuteRemaining: 50, hourRemaining: 2000, rateLimited: true });
    assert.equal(pacer.state.cap, 4);
    for (let i = 0; i < 10; i++) {
      const b = track(pacer, 1);
      await settle();
      b.granted[0]?.release({ minuteRemaining: 50, hourRemaining: 2000 });
    }
    assert.equal(pacer.state.cap, 5);
  });

  it('gives up waiting when the signal aborts', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ concurrent: 1, perMinute: 100, perHour: 3000 }, clock);
    const controller = new AbortController();
    const first = track(pacer, 1);
    const waiting = track(pacer, 2, controller.signal);
    await settle();
    assert.equal(first.granted.length, 1);
    controller.abort(new Error('stop'));
    await settle();
    assert.equal(waiting.failed.length, 2);
    assert.equal(pacer.state.queued, 0);
    await assert.rejects(pacer.acquire(controller.signal), /stop/);
  });

  it("'off' only caps requests in flight", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer('off', clock);
    const { granted } = track(pacer, 40);
    await settle();
    assert.equal(granted.length, 16);
    for (const slot of granted.splice(0)) slot.release({ minuteRemaining: 0 });
    await settle();
    assert.equal(granted.length, 16);
  });
});
