import { formatPlace, type Problem } from '../load/types.js';
import { painter } from '../render/style.js';
import { groupProblems } from './problem-groups.js';

/** `customers.yaml:4:5: error: ...` and, under it, the hint. */
export function formatProblem(problem: Problem, color: boolean, withHint = true): string {
  const paint = painter(color);
  const label = problem.severity === 'error' ? paint('red', 'error') : paint('yellow', 'warning');
  return `${formatPlace(problem.place)}: ${label}: ${problem.message}${withHint ? hintLine(problem.hint, color) : ''}\n`;
}

function hintLine(hint: string | undefined, color: boolean): string {
  return hint === undefined ? '' : `\n  ${painter(color)('dim', `hint: ${hint}`)}`;
}

export interface ProblemReport {
  text: string;
  /** Whether some problems were left out of `text` as part of a group. */
  grouped: boolean;
}

/**
 * Every problem, one after the other; without `verbose`, a problem repeated on many rows is
 * shown in full a few times and then as one line with its count and rows
 * (`crm.csv: error: billingAddress.street1: an address needs a street1: 100 rows (2-101)`).
 */
export function formatProblems(
  problems: readonly Problem[],
  options: { color: boolean; verbose: boolean },
): ProblemReport {
  if (options.verbose)
    return { text: problems.map((p) => formatProblem(p, options.color)).join(''), grouped: false };
  const paint = painter(options.color);
  let text = '';
  let grouped = false;
  for (const entry of groupProblems(problems)) {
    if (entry.kind === 'problem') {
      // A group's hint is said once, under its line: the same fix three times is noise.
      text += formatProblem(entry.problem, options.color, entry.inGroup !== true);
      continue;
    }
    grouped = true;
    const p = entry.first;
    const label = p.severity === 'error' ? paint('red', 'error') : paint('yellow', 'warning');
    text += `${p.place.file}: ${label}: ${entry.message}: ${entry.where}${hintLine(p.hint, options.color)}\n`;
  }
  return { text, grouped };
}

/** Said once, after grouped problems, so that nobody wonders where the other rows went. */
export const GROUPED_NOTE =
  'problems repeated on many rows are grouped; --verbose lists each one\n';

export { writeRejectFiles, type RejectsWritten } from '../desired/rejects-files.js';
