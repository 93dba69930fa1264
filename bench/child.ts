import { tasks } from './tasks/index.js';

// Runs one task and prints one JSON line of its figures on stdout.
const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : tasks[name];
if (load === undefined) {
  console.error(`unknown bench task "${name ?? ''}"; known: ${Object.keys(tasks).join(', ')}`);
  process.exit(1);
}
const task = await load();
const start = performance.now();
const figures = await task(args);
const wallMs = Math.round(performance.now() - start);
// maxRSS is in kilobytes and covers the whole life of this process: the task's own peak.
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(JSON.stringify({ wallMs, peakRssMb, ...figures }) + '\n');
process.exit(0);
