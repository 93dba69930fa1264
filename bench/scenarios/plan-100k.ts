import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchFiles } from '../generate.js';
import { RUNS, median, round2, spread, type Figures, type Scenario } from '../measure.js';
import { pkBenchFiles, pkRemoteStateFile } from '../payment-kit-data.js';
import {
  CHILD,
  CLI,
  EMULATOR_TOKEN,
  PK_EMULATOR_KEY,
  runMeasured,
  startEmulatorProcess,
  startPaymentKitEmulatorProcess,
  type Measured,
} from '../process.js';
import { differing, remoteStateFile } from '../remote-state.js';

const COUNT = 100_000;

/** `Plan: 3 to create, 12 to update, ...` → the counts; undefined when the line is missing. */
export function planSummary(stdout: string): { create: number; update: number } | undefined {
  const found = /^Plan: (\d+) to create, (\d+) to update/m.exec(stdout);
  return found === null ? undefined : { create: Number(found[1]), update: Number(found[2]) };
}

function fail(what: string, run: { code: number | null; stderr: string }): Error {
  return new Error(`${what} exited ${String(run.code)}: ${run.stderr.slice(-2000)}`);
}

/**
 * A floor that read fewer customers than the account holds did less than the unavoidable work
 * and would flatter nothing but the ratio: refused rather than measured.
 */
function checkFloor(what: string, run: Measured): void {
  if (run.code !== 0) throw fail(what, run);
  const figures: unknown = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
  const customers =
    typeof figures === 'object' && figures !== null && 'customers' in figures
      ? figures.customers
      : undefined;
  if (customers !== COUNT)
    throw new Error(`${what} read ${String(customers)} customers, not the ${COUNT}`);
}

/** What a timed plan runs against: its files, an emulator holding the account, its env. */
interface PlanSetup {
  /** The desired file the plan reads. */
  file: string;
  /** Given to the CLI after the file (a config, say). */
  args: string[];
  /** The floor: a task of bench/tasks, run with (CSV, API URL [, serial]). */
  floorTask: string;
  /** The CSV the floor parses. */
  csv: string;
  /** The emulator's API URL, which the floor reads. */
  url: string;
  env: Record<string, string>;
  /** Stops the emulator and removes what the setup made. */
  stop(): Promise<void>;
}

/** A fresh cache folder: never the developer's, so a run measures what a fresh clone would. */
function freshCache(): string {
  return mkdtempSync(join(tmpdir(), 'helcim-sync-bench-cache-'));
}

async function helcimSetup(format: 'csv' | 'yaml'): Promise<PlanSetup> {
  const files = await benchFiles(COUNT);
  const emulator = await startEmulatorProcess({ state: await remoteStateFile(COUNT) });
  const cache = freshCache();
  return {
    file: format === 'csv' ? files.csv : files.yaml,
    args: [],
    floorTask: 'plan-floor',
    csv: files.csv,
    url: emulator.url,
    env: {
      HELCIM_API_URL: emulator.url,
      HELCIM_API_TOKEN: EMULATOR_TOKEN,
      HELCIM_SYNC_CACHE_DIR: cache,
    },
    async stop() {
      await emulator.stop();
      rmSync(cache, { recursive: true, force: true });
    },
  };
}

async function paymentKitSetup(): Promise<PlanSetup> {
  const { csv, config } = await pkBenchFiles(COUNT);
  const emulator = await startPaymentKitEmulatorProcess({ state: await pkRemoteStateFile(COUNT) });
  const cache = freshCache();
  return {
    file: csv,
    args: ['--config', config],
    floorTask: 'pk-plan-floor',
    csv,
    url: emulator.url,
    env: {
      PAYMENT_KIT_URL: emulator.url,
      PAYMENT_KIT_ACCESS_KEY: PK_EMULATOR_KEY,
      HELCIM_SYNC_CACHE_DIR: cache,
    },
    async stop() {
      await emulator.stop();
      rmSync(cache, { recursive: true, force: true });
    },
  };
}

/**
 * `helcim-sync plan FILE` of 100,000 generated customers against an emulator (its own process,
 * limits off) holding the same 100,000, 1% of them different, RUNS times. The CSV run is timed
 * against its floor, run alternately with it against the same emulator so both meet the same
 * noise. The floor is the faster of two bare scripts (csv-parse and the listing overlapped, or
 * one after the other): which wins depends on the machine, and the floor is the least time.
 * Figures are medians with their spread.
 */
export function plan100k(format: 'csv' | 'yaml'): Scenario {
  const csv = format === 'csv';
  return planScenario({
    name: `plan-100k-${format}`,
    goal: csv
      ? 'plan of 100,000 from CSV within 1.5x its floor (csv-parse + every page with undici), peak RSS <= 500 MB, exactly the 1,000 updates'
      : 'plan of 100,000 from YAML within 8 s and 1 GB, exactly the 1,000 updates',
    csv,
    setup: () => helcimSetup(format),
  });
}

/**
 * The same for Payment Kit, from CSV, with Helcim's goals: a config with `provider:
 * payment-kit` and `livemode: false`, its emulator holding the 100,000 in test mode, 1%
 * renamed. Its floor lists the pages 5 at a time once page 1 has told their number (see
 * bench/tasks/pk-plan-floor.ts).
 */
export const pkPlan100k: Scenario = planScenario({
  name: 'pk-plan-100k-csv',
  goal: 'Payment Kit plan of 100,000 from CSV within 1.5x its floor (csv-parse + every page with undici, 5 in flight), peak RSS <= 500 MB, exactly the 1,000 updates',
  csv: true,
  setup: paymentKitSetup,
});

function planScenario(options: {
  name: string;
  goal: string;
  /** Timed against the floor (CSV), or against fixed goals (YAML). */
  csv: boolean;
  setup(): Promise<PlanSetup>;
}): Scenario {
  const { name, goal, csv } = options;
  return {
    name,
    goal,
    async run() {
      const setup = await options.setup();
      const { file, env, url } = setup;
      const walls: number[] = [];
      const rss: number[] = [];
      const floors: number[] = [];
      const cpu: number[] = [];
      const floorCpu: number[] = [];
      const serialFloors: number[] = [];
      let updates = NaN;
      try {
        for (let i = 0; i < RUNS; i++) {
          const run = await runMeasured(
            [CLI, 'plan', file, '--rate-limit', 'off', ...setup.args],
            env,
          );
          if (run.code !== 0) throw fail('helcim-sync plan', run);
          walls.push(run.wallMs);
          rss.push(run.peakRssMb);
          cpu.push(run.cpuMs);
          updates = planSummary(run.stdout)?.update ?? NaN;
          if (!csv) continue;
          const floor = await runMeasured([CHILD, setup.floorTask, setup.csv, url], env);
          checkFloor('the floor', floor);
          floors.push(floor.wallMs);
          floorCpu.push(floor.cpuMs);
          const serial = await runMeasured([CHILD, setup.floorTask, setup.csv, url, 'serial'], env);
          checkFloor('the serial floor', serial);
          serialFloors.push(serial.wallMs);
          floorCpu.push(serial.cpuMs);
        }
      } finally {
        await setup.stop();
      }
      const wallMs = Math.round(median(walls));
      // Memory hardly depends on the machine's load: the worst run is the figure.
      const peakRssMb = Math.max(...rss);
      const expected = differing(COUNT);
      const figures: Figures = {
        wallMs,
        wallMsSpread: spread(walls),
        peakRssMb,
        cpuMs: Math.round(median(cpu)),
        updates,
        runs: RUNS,
      };
      if (!csv)
        return { ...figures, pass: wallMs <= 8000 && peakRssMb <= 1000 && updates === expected };
      // Each run's floor is the faster of its two bare scripts, met by the same noise as the run
      // just before it; the ratio is taken pair by pair, and its median is the figure.
      const pairFloors = floors.map((f, i) => Math.min(f, serialFloors[i] ?? f));
      const ratios = walls.map((w, i) => round2(w / (pairFloors[i] ?? NaN)));
      const ratio = round2(median(ratios));
      return {
        ...figures,
        floorMs: Math.round(median(pairFloors)),
        floorMsSpread: spread(pairFloors),
        floorOverlappedMs: Math.round(median(floors)),
        floorSerialMs: Math.round(median(serialFloors)),
        floorCpuMs: Math.round(median(floorCpu)),
        ratio,
        ratioSpread: spread(ratios),
        pass: ratio <= 1.5 && peakRssMb <= 500 && updates === expected,
      };
    },
  };
}
