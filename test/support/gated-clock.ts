/**
 * A clock for an emulator whose latency waits are held until the test lets them go. A request is
 * held once it has arrived, and answered only when released: a test can stop a run at an exact
 * point (say after the 7th answer, with 5 requests in flight) however busy the machine is, with no
 * race between the test's polling and the CLI's requests.
 */
import { systemClock, type Clock } from '../../src/core/clock.js';

export class GatedClock implements Clock {
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  /**
   * Only sleeps of exactly `latencyMs` (the emulator's per-request latency) are held; any other
   * (the state file's save debounce) passes to the system clock.
   */
  constructor(readonly latencyMs: number) {}

  now(): number {
    return systemClock.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms !== this.latencyMs) return systemClock.sleep(ms, signal);
    if (!this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Requests that have arrived and wait to be answered. */
  get held(): number {
    return this.waiting.length;
  }

  /** From now on every request is held until released. */
  close(): void {
    this.closed = true;
  }

  /** Lets the request that arrived first through; false when none is held. */
  releaseOne(): boolean {
    const next = this.waiting.shift();
    next?.();
    return next !== undefined;
  }

  /** Lets every held request through, and every later one straight away. */
  open(): void {
    this.closed = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** The part of a running CLI the pump watches: it must still be running. */
interface Running {
  child: { exitCode: number | null; signalCode: NodeJS.Signals | null };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Generous: the machine may be busy; nothing here waits for time to pass, only for events. */
const DEADLINE_MS = 60_000;

function waiting(cli: Running, started: number, what: string): void {
  if (cli.child.exitCode !== null || cli.child.signalCode !== null)
    throw new Error(`the CLI exited before ${what}`);
  if (Date.now() - started > DEADLINE_MS) throw new Error(`timed out waiting for ${what}`);
}

/**
 * Lets held requests through one at a time, each answered (`answered()` grows) before the next
 * goes, until `done()` holds: the run is stopped right after an exact answer.
 */
export async function pumpUntil(
  gate: GatedClock,
  cli: Running,
  answered: () => number,
  done: () => boolean,
  what: string,
): Promise<void> {
  const started = Date.now();
  while (!done()) {
    waiting(cli, started, what);
    const before = answered();
    if (!gate.releaseOne()) {
      await sleep(1);
      continue;
    }
    while (answered() === before) {
      waiting(cli, started, what);
      await sleep(1);
    }
  }
}

/** Waits until `count` requests of the CLI are held (it has that many in flight). */
export async function heldAtLeast(
  gate: GatedClock,
  cli: Running,
  count: number,
  what: string,
): Promise<void> {
  const started = Date.now();
  while (gate.held < count) {
    waiting(cli, started, what);
    await sleep(1);
  }
}

/**
 * Lets every held request through, one at a time, until the CLI exits: for a run that was told
 * to stop (Ctrl-C) and finishes what it has in flight, however many that turns out to be.
 */
export async function releaseUntilExit(gate: GatedClock, cli: Running): Promise<void> {
  const started = Date.now();
  while (cli.child.exitCode === null && cli.child.signalCode === null) {
    if (Date.now() - started > DEADLINE_MS)
      throw new Error('timed out waiting for the CLI to exit');
    if (!gate.releaseOne()) await sleep(1);
  }
}
