import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI, as users run it. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

/**
 * Spawns `helcim-sync ARGS` with NO_COLOR and without a TTY, and collects its output. The parent's
 * HELCIM_* and PAYMENT_KIT_* variables are not inherited, so a developer's real token or access
 * key can never reach a test.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when the process has exited and its output is drained. */
  done: Promise<CliRun>;
}

/** `runCli` for a test that has to signal the process while it runs (Ctrl-C, `kill -9`). */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('HELCIM_') && !k.startsWith('PAYMENT_KIT_')) base[k] = v;
  // What the tool remembers of an account (its size, recent request times) is kept per working
  // folder (each test's own) in a temporary folder: never the developer's cache, never a file in
  // the checkout, never another test's memory of an emulator on a reused port.
  const folder = createHash('sha256')
    .update(options.cwd ?? '')
    .digest('hex')
    .slice(0, 16);
  base['HELCIM_SYNC_CACHE_DIR'] = join(processCacheRoot(), folder);
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...base, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

let cacheRoot: string | undefined;
function processCacheRoot(): string {
  cacheRoot ??= mkdtempSync(join(tmpdir(), 'helcim-sync-cache-'));
  return cacheRoot;
}
