import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const childScript = fileURLToPath(new URL('./child.js', import.meta.url));

export type Figures = Record<string, number | string | boolean>;

/** Runs a task in its own process and returns its figures. */
export async function measure(task: string, ...args: string[]): Promise<Figures> {
  const { stdout } = await run(
    process.execPath,
    ['--max-old-space-size=4096', childScript, task, ...args],
    {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 15 * 60_000,
    },
  );
  const lastLine = stdout.trim().split('\n').at(-1) ?? '{}';
  const parsed: unknown = JSON.parse(lastLine);
  if (typeof parsed !== 'object' || parsed === null)
    throw new Error(`task ${task} printed no figures`);
  return Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, number | string | boolean] =>
      ['number', 'string', 'boolean'].includes(typeof e[1]),
    ),
  );
}

export interface Scenario {
  name: string;
  /** What the goal is, in words, for the table. */
  goal: string;
  run(): Promise<Figures & { pass: boolean }>;
}

const scenarios: Scenario[] = (await import('./scenarios.js')).scenarios;

const wanted = process.argv.slice(2);
const selected = wanted.length === 0 ? scenarios : scenarios.filter((s) => wanted.includes(s.name));
if (selected.length === 0) {
  console.error(
    `no scenario named ${wanted.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`,
  );
  process.exit(1);
}

const results: { name: string; goal: string; figures: Figures & { pass: boolean } }[] = [];
await measure('generate', '100000');
for (const scenario of selected) {
  process.stderr.write(`running ${scenario.name}...\n`);
  const figures = await scenario.run();
  results.push({ name: scenario.name, goal: scenario.goal, figures });
  const shown = Object.entries(figures)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('  ');
  console.log(
    `${figures.pass ? 'PASS' : 'MISS'}  ${scenario.name.padEnd(18)} ${shown}\n      goal: ${scenario.goal}`,
  );
}
writeFileSync(
  'bench-results.json',
  JSON.stringify(
    { version: 1, node: process.version, date: new Date().toISOString(), scenarios: results },
    null,
    2,
  ) + '\n',
);
console.log('wrote bench-results.json');
