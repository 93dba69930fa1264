import { formatPlace, type Problem } from '../load/types.js';
import { painter } from '../render/style.js';

/** `customers.yaml:4:5: error: ...` and, under it, the hint. */
export function formatProblem(problem: Problem, color: boolean): string {
  const paint = painter(color);
  const label = problem.severity === 'error' ? paint('red', 'error') : paint('yellow', 'warning');
  const hint = problem.hint === undefined ? '' : `\n  ${paint('dim', `hint: ${problem.hint}`)}`;
  return `${formatPlace(problem.place)}: ${label}: ${problem.message}${hint}\n`;
}

export { writeRejectFiles, type RejectsWritten } from '../desired/rejects-files.js';
