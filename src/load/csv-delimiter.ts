/** Guessing the delimiter of a CSV file from its header line. */
import type { Delimiter } from './config-types.js';
import { DELIMITERS } from './config-types.js';
import type { InputData } from './files.js';

/**
 * The candidate that occurs most often outside quotes in the first line; a comma when none does
 * (a file with one column) or on a tie, since a comma is what "CSV" means to most programs.
 */
export function detectDelimiter(data: InputData): Delimiter {
  const head =
    typeof data === 'string'
      ? data.slice(0, 64 * 1024)
      : data.subarray(0, 64 * 1024).toString('utf8');
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = counts.get(d) ?? 0;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}
