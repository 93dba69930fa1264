/**
 * What every end-to-end rig shares, whatever the provider: a fresh temporary folder the CLI runs
 * in, files written to and read from it, and the built CLI spawned there with the provider's
 * URL and secret in its environment. Each rig adds its emulator and how it reads the account.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli, startCli, type CliOptions, type CliRun, type RunningCli } from './cli.js';

export abstract class CliFolder {
  protected constructor(
    readonly dir: string,
    /** How long one CLI run may take before it is killed. */
    private readonly timeoutMs: number,
  ) {}

  /** The provider's URL and secret, as the CLI reads them. */
  abstract get env(): NodeJS.ProcessEnv;

  /** The arguments as run: a rig may add its defaults (pacing off, say). */
  protected argsFor(args: readonly string[]): string[] {
    return [...args];
  }

  /** Files of the rig itself (an emulator's state) that `files()` leaves out. */
  protected ownFile(_name: string): boolean {
    return false;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, text: string): string {
    writeFileSync(this.path(name), text);
    return this.path(name);
  }

  read(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  mode(name: string): number {
    return statSync(this.path(name)).mode & 0o777;
  }

  /** Every file under the folder, by relative path: the tool's cache folder included. */
  files(): Map<string, string> {
    const out = new Map<string, string>();
    for (const entry of readdirSync(this.dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || this.ownFile(entry.name)) continue;
      const name = relative(this.dir, join(entry.parentPath, entry.name));
      out.set(name, this.read(name));
    }
    return out;
  }

  run(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
    return runCli(this.argsFor(args), {
      cwd: this.dir,
      timeoutMs: this.timeoutMs,
      ...options,
      env: { ...this.env, ...options.env },
    });
  }

  start(args: readonly string[], options: CliOptions = {}): RunningCli {
    return startCli(this.argsFor(args), {
      cwd: this.dir,
      timeoutMs: this.timeoutMs,
      ...options,
      env: { ...this.env, ...options.env },
    });
  }
}
