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

/** Runs per timed figure: enough for a median and a spread a fresh run reproduces. */
export const RUNS = 5;

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? NaN) + upper) / 2;
}

/** `min-max`, for the table: how far the runs of one figure spread. */
export function spread(values: readonly number[]): string {
  return `${Math.min(...values)}-${Math.max(...values)}`;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * `runs` runs of a task and of its reference (the bare library, the floor), alternated so both
 * meet the same noise: the median wall time of each, their spreads, and the ratio pair by pair
 * (its median and spread). The medians, not the best runs: a figure a fresh run reproduces.
 */
export async function pairedRuns(
  runs: number,
  tool: () => Promise<Figures>,
  reference: () => Promise<Figures>,
): Promise<{ tool: Figures[]; reference: Figures[]; figures: Figures; ratio: number }> {
  const tools: Figures[] = [];
  const references: Figures[] = [];
  for (let i = 0; i < runs; i++) {
    references.push(await reference());
    tools.push(await tool());
  }
  const walls = tools.map((f) => num(f, 'wallMs'));
  const refWalls = references.map((f) => num(f, 'wallMs'));
  const ratios = walls.map((w, i) => round2(w / (refWalls[i] ?? NaN)));
  const ratio = round2(median(ratios));
  return {
    tool: tools,
    reference: references,
    ratio,
    figures: {
      wallMs: Math.round(median(walls)),
      wallMsSpread: spread(walls),
      referenceMs: Math.round(median(refWalls)),
      referenceMsSpread: spread(refWalls),
      ratio,
      ratioSpread: spread(ratios),
      runs,
    },
  };
}

/** The run with the median wall time of `runs` runs, with the spread of all of them. */
export async function medianOf(runs: number, task: string, ...args: string[]): Promise<Figures> {
  const all: Figures[] = [];
  for (let i = 0; i < runs; i++) all.push(await measure(task, ...args));
  const walls = all.map((f) => num(f, 'wallMs'));
  const mid = median(walls);
  const chosen = all.reduce((a, b) =>
    Math.abs(num(a, 'wallMs') - mid) <= Math.abs(num(b, 'wallMs') - mid) ? a : b,
  );
  return { ...chosen, wallMs: Math.round(mid), wallMsSpread: spread(walls), runs };
}

export function num(figures: Figures, name: string): number {
  const value = figures[name];
  return typeof value === 'number' ? value : NaN;
}
