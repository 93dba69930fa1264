import { dirname } from 'node:path';
import { loadDesiredState } from '../../src/desired/index.js';
import { defaultConfig } from '../../src/load/config-types.js';
import { benchFiles } from '../generate.js';
import type { Task } from './index.js';

// The whole desired-state stage on the YAML file; `yaml-bare` is its reference.
const task: Task = async ([count]) => {
  const { yaml } = await benchFiles(Number(count ?? 100_000));
  const cwd = dirname(yaml);
  const state = loadDesiredState([yaml], { cwd, config: defaultConfig(cwd) });
  return {
    records: state.customers.length + state.rejected.length,
    problems: state.problems.length,
  };
};
export default task;
