import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isTask } from './tasks/index.js';

// Runs one task (bench/tasks/<name>.js) and prints one JSON line of its figures on stdout.
const [name, ...args] = process.argv.slice(2);
const url = new URL(`./tasks/${name ?? ''}.js`, import.meta.url);
if (name === undefined || !/^[a-z0-9-]+$/.test(name) || !existsSync(fileURLToPath(url))) {
  console.error(`unknown bench task "${name ?? ''}" (expected a module in bench/tasks/)`);
  process.exit(1);
}
const mod: unknown = await import(url.href);
const task = typeof mod === 'object' && mod !== null && 'default' in mod ? mod.default : undefined;
if (!isTask(task)) {
  console.error(`bench/tasks/${name}.js has no default-exported task function`);
  process.exit(1);
}
const start = performance.now();
const figures = await task(args);
const wallMs = Math.round(performance.now() - start);
// maxRSS is in kilobytes and covers the whole life of this process: the task's own peak.
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(JSON.stringify({ wallMs, peakRssMb, ...figures }) + '\n');
process.exit(0);
