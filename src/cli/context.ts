import type { Writable, Readable } from 'node:stream';

/** Everything a command touches outside itself, injected so tests can run commands in-process. */
export interface CliContext {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop starting new work and wrap up. */
  signal: AbortSignal;
}

/** Colour only on a TTY, never under NO_COLOR (https://no-color.org) or FORCE_COLOR=0. */
export function useColor(ctx: CliContext, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  const noColor = ctx.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  if (ctx.env['FORCE_COLOR'] === '0') return false;
  if (ctx.env['FORCE_COLOR'] !== undefined && ctx.env['FORCE_COLOR'] !== '') return true;
  return ctx[stream].isTTY === true;
}
