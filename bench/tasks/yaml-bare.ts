import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { benchFiles } from '../generate.js';
import type { Task } from './index.js';

/** The reference: the `yaml` package's `parse` alone on the same file, strings only. */
const task: Task = async () => {
  const { yaml } = await benchFiles(100_000);
  const value: unknown = parse(readFileSync(yaml, 'utf8'), { schema: 'failsafe' });
  const customers =
    typeof value === 'object' && value !== null && 'customers' in value ? value.customers : [];
  return { records: Array.isArray(customers) ? customers.length : 0 };
};
export default task;
