import { dirname } from 'node:path';
import { loadDesiredState } from '../../src/desired/index.js';
import { defaultConfig } from '../../src/load/config-types.js';
import { benchFiles } from '../generate.js';
import type { Task } from './index.js';

// The whole desired-state stage on the CSV file: read, parse, validate, normalise, identify.
const task: Task = async ([count]) => {
  const { csv } = await benchFiles(Number(count ?? 100_000));
  const cwd = dirname(csv);
  const state = loadDesiredState([csv], { cwd, config: defaultConfig(cwd) });
  return {
    records: state.customers.length + state.rejected.length,
    problems: state.problems.length,
  };
};
export default task;
