import { readFileSync } from 'node:fs';
import { parsePlain } from '../../src/load/csv-fast.js';
import { benchFiles } from '../generate.js';
import type { Task } from './index.js';

// The loader's fast path alone (structure check, decoding, uDSV), next to csv-bare: the parse
// share of load-csv. Not a goal, a figure for comparing parsers.
const task: Task = async ([count]) => {
  const { csv } = await benchFiles(Number(count ?? 100_000));
  const bytes = readFileSync(csv);
  // As the loader gives it: without the line end after the last row.
  const body = bytes.subarray(0, bytes.at(-1) === 0x0a ? -1 : undefined);
  let rows = 0;
  if (!parsePlain(body, ',', () => rows++)) throw new Error('the bench file is not plain CSV');
  return { rows };
};
export default task;
