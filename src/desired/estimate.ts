import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../load/config.js';
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
  // Paths given: the config is not read (its file is left out by name, as loading does), so
  // that the estimate, and the loading it may start, wait for no schema check.
  let inputs: string[];
  let exclude: string;
  if (paths.length > 0) {
    inputs = [...paths];
    exclude = resolve(options.cwd, options.configPath ?? DEFAULT_CONFIG_FILE);
  } else {
    const { config, problems } = loadConfig({
      cwd: options.cwd,
      ...(options.configPath === undefined ? {} : { path: options.configPath }),
    });
    if (problems.some((p) => p.severity === 'error')) return undefined;
    inputs = config.sources.map((s) => s.path);
    exclude = config.file ?? resolve(options.cwd, DEFAULT_CONFIG_FILE);
  }
  const { files } = discoverFiles(inputs, { cwd: options.cwd, exclude: [exclude] });
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
