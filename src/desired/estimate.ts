import { closeSync, openSync, readSync } from 'node:fs';
import { loadConfig } from '../load/config.js';
import { discoverFiles } from '../load/files.js';
import type { DesiredOptions } from './index.js';

/**
 * An upper bound of the records the inputs hold, from the lines of their CSV files, without
 * parsing or validating them: enough to know early that a plan will list the whole account, and
 * to start reading it while the files load. Undefined when that cannot be told this cheaply
 * (YAML inputs, a broken config): the caller then loads first, as usual.
 */
export function estimateRecords(
  paths: readonly string[],
  options: Pick<DesiredOptions, 'cwd' | 'configPath'>,
): number | undefined {
  const { config, problems } = loadConfig({
    cwd: options.cwd,
    ...(options.configPath === undefined ? {} : { path: options.configPath }),
  });
  if (problems.some((p) => p.severity === 'error')) return undefined;
  const inputs = paths.length > 0 ? [...paths] : config.sources.map((s) => s.path);
  const { files } = discoverFiles(inputs, {
    cwd: options.cwd,
    exclude: config.file === undefined ? [] : [config.file],
  });
  if (files.length === 0 || files.some((f) => f.kind !== 'csv')) return undefined;
  let total = 0;
  for (const file of files) total += countLines(file.path);
  return total;
}

/** Lines of a file (a multi-line cell counts twice: an upper bound is what is wanted). */
function countLines(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 0;
  }
  const buffer = Buffer.allocUnsafe(1 << 20);
  let count = 0;
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count++;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}
