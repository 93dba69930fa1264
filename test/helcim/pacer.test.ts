import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer, type PacerSlot } from '../../src/helcim/pacer.js';
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
    assert.equal(granted.length, 5);
    granted[0]?.release();
    granted[0]?.release(); // a second release is ignored
    await settle();
    assert.equal(granted.length, 6);
    assert.equal(pacer.state.inFlight, 5);
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
      assert.equal(granted.length, 3);
      await clock.advance(10);
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
    for (const slot of granted.splice(0)) slot.release();
    await clock.advance(5000);
    assert.equal(granted.length, 0);
    await clock.advance(5100);
    assert.equal(granted.length, 1);
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
