import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
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

/** The environment a run gets: the parent's without its secrets, a cache of its own, no colour. */
function cliEnv(options: CliOptions): NodeJS.ProcessEnv {
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
  return { ...base, NO_COLOR: '1', ...options.env };
}

/** `runCli` for a test that has to signal the process while it runs (Ctrl-C, `kill -9`). */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cliEnv(options),
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

/** A stream that keeps what is written to it, decoded as the spawned runs' pipes are. */
class Collected extends Writable {
  #decoder = new StringDecoder('utf8');
  #text = '';

  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.#text += Buffer.isBuffer(chunk) ? this.#decoder.write(chunk) : String(chunk);
    done();
  }

  get text(): string {
    return this.#text + this.#decoder.end();
  }
}

/**
 * `runCli` without a process: `run(argv, ctx)`, the dispatcher the built CLI's main calls, with
 * the environment `runCli` gives (no HELCIM_* or PAYMENT_KIT_* of the parent's, a cache folder of
 * its own, NO_COLOR), `cwd`, `input` on stdin, and stdout and stderr kept in memory, none of them
 * a TTY. For tests of what a command does. What only a process has (exit on signals, a closed
 * pipe, a crash, the binary's start) is end-to-end, and those tests spawn it (`runCli`).
 */
export async function runInProcess(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const { run } = await import('../../src/cli/run.js');
  const stdout = new Collected();
  const stderr = new Collected();
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // A spawned run is killed at its timeout; this one is asked to stop, and the test fails.
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new Error('timed out'));
      reject(new Error(`helcim-sync ${args.join(' ')} ran for more than ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const code = await Promise.race([
      run(args, {
        stdout,
        stderr,
        stdin,
        env: cliEnv(options),
        cwd: options.cwd ?? process.cwd(),
        signal: controller.signal,
      }),
      late,
    ]);
    return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
  } finally {
    clearTimeout(timer);
  }
}

let cacheRoot: string | undefined;
function processCacheRoot(): string {
  cacheRoot ??= mkdtempSync(join(tmpdir(), 'helcim-sync-cache-'));
  return cacheRoot;
}
