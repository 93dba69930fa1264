import { benchFiles } from '../generate.js';
import type { Task } from './index.js';

const task: Task = async ([count]) => {
  await benchFiles(Number(count ?? 100_000));
  return {};
};
export default task;
