/**
 * Processes for the scenarios that run the real CLI: the emulator in its own process, and the
 * measured program (the CLI, or its floor) in another, timed from spawn to exit so that start-up
 * and module loading count for both alike.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EmulatorStats } from '../src/emulator/types.js';
import {
  DEFAULT_PAYMENT_KIT_TOKEN,
  type PaymentKitEmulatorStats,
} from '../src/providers/payment-kit/emulator/types.js';

export const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
export const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));
const RSS_HOOK = pathToFileURL(fileURLToPath(new URL('./rss-hook.js', import.meta.url))).href;
export const EMULATOR_TOKEN = 'helcim-sync-dev-token';

export interface Measured {
  code: number | null;
  wallMs: number;
  peakRssMb: number;
  /** User + system CPU time of the process (all its threads, the GC's included). */
  cpuMs: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node ARGS...` with the peak-memory hook; wall time from spawn to exit. `cwd` is the
 * working folder of the process (default: this one's).
 */
export async function runMeasured(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { cwd?: string } = {},
): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-rss-'));
  const rssFile = join(dir, 'rss');
  try {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_HOOK, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env, BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    const wallMs = Math.round(performance.now() - start);
    let peakRssMb = NaN;
    let cpuMs = NaN;
    try {
      [peakRssMb = NaN, cpuMs = NaN] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
    } catch {
      // The process died before its exit hook: the figures stay NaN and the scenario fails.
    }
    return {
      code,
      wallMs,
      peakRssMb,
      cpuMs,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface EmulatorProcess {
  url: string;
  stats(): Promise<EmulatorStats>;
  stop(): Promise<void>;
}

export interface EmulatorProcessOptions {
  state?: string;
  rateLimit?: string;
  timeScale?: number;
  latencyMs?: number;
}

function isStats(value: unknown): value is EmulatorStats {
  return (
    typeof value === 'object' && value !== null && 'totalRequests' in value && 'requests' in value
  );
}

/** An emulator's process: its API URL, its origin (admin routes) and how to stop it. */
interface SpawnedEmulator {
  url: string;
  admin: string;
  stop(): Promise<void>;
}

/** `helcim-sync emulator ARGS...` as its own process; resolves once it listens. */
async function spawnEmulator(args: readonly string[]): Promise<SpawnedEmulator> {
  const child = spawn(process.execPath, ['--max-old-space-size=4096', CLI, 'emulator', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errText = '';
  child.stderr.on('data', (chunk: Buffer) => (errText += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let outText = '';
    child.stdout.on('data', (chunk: Buffer) => {
      outText += chunk.toString('utf8');
      // Up to the line's end: a chunk may end half-way through the URL.
      const found = /listening on (http:\/\/\S+)\r?\n/.exec(outText);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    void exited.then(() => reject(new Error(`the emulator exited before listening: ${errText}`)));
  });
  // Both emulators serve their admin routes at the origin, whatever the API's path.
  return {
    url,
    admin: `${new URL(url).origin}/__emulator`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function readStats<T>(admin: string, guard: (value: unknown) => value is T): Promise<T> {
  const response = await fetch(`${admin}/stats`);
  const body: unknown = await response.json();
  if (!guard(body)) throw new Error('the emulator answered stats in an unknown shape');
  return body;
}

/** `helcim-sync emulator` (Helcim's) as its own process, on a free port; resolves once it listens. */
export async function startEmulatorProcess(
  options: EmulatorProcessOptions = {},
): Promise<EmulatorProcess> {
  const args = ['--port', '0', '--rate-limit', options.rateLimit ?? 'off'];
  if (options.state !== undefined) args.push('--state', options.state);
  if (options.timeScale !== undefined) args.push('--time-scale', String(options.timeScale));
  if (options.latencyMs !== undefined) args.push('--latency', String(options.latencyMs));
  const { url, admin, stop } = await spawnEmulator(args);
  return { url, stats: () => readStats(admin, isStats), stop };
}

/** The Payment Kit emulator's default access key (the CLI's dev key). */
export const PK_EMULATOR_KEY = DEFAULT_PAYMENT_KIT_TOKEN;

export interface PaymentKitEmulatorProcess {
  /** The base URL, mount point included (`PAYMENT_KIT_URL`). */
  url: string;
  stats(): Promise<PaymentKitEmulatorStats>;
  stop(): Promise<void>;
}

function isPkStats(value: unknown): value is PaymentKitEmulatorStats {
  return (
    typeof value === 'object' &&
    value !== null &&
    'totalRequests' in value &&
    'requests' in value &&
    'checkouts' in value
  );
}

/**
 * `helcim-sync emulator --provider payment-kit` as its own process, on a free port, no limits
 * (Payment Kit documents none), no churn; resolves once it listens.
 */
export async function startPaymentKitEmulatorProcess(
  options: { state?: string } = {},
): Promise<PaymentKitEmulatorProcess> {
  // Its default key (the dev key, PK_EMULATOR_KEY): nothing secret on argv.
  const args = ['--provider', 'payment-kit', '--port', '0'];
  if (options.state !== undefined) args.push('--state', options.state);
  const { url, admin, stop } = await spawnEmulator(args);
  return { url, stats: () => readStats(admin, isPkStats), stop };
}
