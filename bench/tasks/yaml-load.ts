import { readFileSync } from 'node:fs';
import { loadYaml } from '../../src/load/yaml.js';
import { benchFiles } from '../generate.js';
import type { Task } from './index.js';

/** The YAML loader on the 100k-customer file: read, scan, build records. */
const task: Task = async () => {
  const { yaml } = await benchFiles(100_000);
  const text = readFileSync(yaml, 'utf8');
  const result = loadYaml('customers.yaml', text);
  return { records: result.records.length, problems: result.problems.length };
};
export default task;
