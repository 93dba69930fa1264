import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const childScript = fileURLToPath(new URL('./child.js', import.meta.url));

export type Figures = Record<string, number | string | boolean>;

export interface Scenario {
  name: string;
  /** The goal, in words, for the table. */
  goal: string;
  run(): Promise<Figures & { pass: boolean }>;
}

/** Runs a task (bench/tasks/<name>.ts) in its own process and returns its figures. */
export async function measure(task: string, ...args: string[]): Promise<Figures> {
  const { stdout } = await exec(
    process.execPath,
    ['--max-old-space-size=4096', childScript, task, ...args],
    {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 15 * 60_000,
    },
  );
  const parsed: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  const out: Figures = {};
  if (typeof parsed !== 'object' || parsed === null) return out;
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/**
 * The fastest of `runs` runs: on a shared, noisy machine the minimum is the figure least
 * disturbed by other work, for the tool and for its floor alike.
 */
export async function bestOf(runs: number, task: string, ...args: string[]): Promise<Figures> {
  let best: Figures | undefined;
  for (let i = 0; i < runs; i++) {
    const figures = await measure(task, ...args);
    if (best === undefined || num(figures, 'wallMs') < num(best, 'wallMs')) best = figures;
  }
  return best ?? {};
}

export function num(figures: Figures, name: string): number {
  const value = figures[name];
  return typeof value === 'number' ? value : NaN;
}
