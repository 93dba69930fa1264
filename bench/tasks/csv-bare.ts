import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { benchFiles } from '../generate.js';
import type { Task } from './index.js';

// The reference for the CSV goal: csv-parse with its defaults, nothing else.
const task: Task = async ([count]) => {
  const { csv } = await benchFiles(Number(count ?? 100_000));
  const rows: unknown[] = parse(readFileSync(csv));
  return { rows: rows.length };
};
export default task;
