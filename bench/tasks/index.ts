/**
 * Benchmark tasks: each runs alone in a child process (bench/child.ts) so that its wall time and
 * peak memory are its own. A task is a module `bench/tasks/<name>.ts` whose default export is a
 * `Task`; it returns extra figures, and the child adds wallMs and peakRssMb.
 */
export type Task = (args: string[]) => Promise<Record<string, number | string | boolean>>;

export function isTask(value: unknown): value is Task {
  return typeof value === 'function';
}
