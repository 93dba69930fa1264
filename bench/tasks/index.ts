/**
 * Benchmark tasks: each runs alone in a child process (bench/child.ts) so that its wall time and
 * peak memory are its own. A task returns extra figures; the child adds wallMs and peakRssMb.
 */
export type Task = (args: string[]) => Promise<Record<string, number | string | boolean>>;

export const tasks: Record<string, () => Promise<Task>> = {
  generate: async () => (await import('./generate.js')).default,
};
