/**
 * Loaded with `node --import` into a measured process (the CLI or its floor): on exit, writes
 * the process's peak resident memory in MB and its CPU time in ms (`rssMb cpuMs`) to
 * BENCH_RSS_FILE. maxRSS covers the process's whole life, so this is its own peak, which no
 * outside observer can read after it has exited. CPU time is less disturbed than wall time by
 * other work on a shared machine, so it helps to read noisy runs.
 */
import { writeFileSync } from 'node:fs';

const out = process.env['BENCH_RSS_FILE'];
if (out !== undefined && out !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
    writeFileSync(out, `${Math.round(usage.maxRSS / 1024)} ${cpuMs}`);
  });
}
