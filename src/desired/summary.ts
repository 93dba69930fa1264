import type { Config } from '../load/config-types.js';
import type { Problem } from '../load/types.js';
import type { DesiredState } from './index.js';
import type { RejectsWritten } from './rejects-files.js';
import { writeRejectFiles } from './rejects-files.js';
import type { DesiredCustomer } from '../validate/types.js';

/** What planning needs of a desired customer: plain data, so it can cross a thread. */
export type PlannedCustomer = Pick<DesiredCustomer, 'key' | 'data' | 'place' | 'clear'>;

/**
 * The desired state as `plan` and `apply` use it: the valid customers, every problem, and the
 * rejects files already written when asked for. Plain data only (no record objects).
 */
export interface DesiredSummary {
  customers: PlannedCustomer[];
  problems: Problem[];
  fatal: Problem[];
  config: Pick<Config, 'provider' | 'matchKey' | 'ignore'>;
  rejectsWritten: RejectsWritten[];
  /** Warnings the config's mappings silence: not in `problems`, counted here. */
  silenced?: number;
}

export interface SummaryOptions {
  cwd: string;
  /** Write the rejected records to rejects CSVs (`--skip-invalid`), to `target` if given. */
  rejects?: { target?: string };
}

export function summarizeDesired(state: DesiredState, options: SummaryOptions): DesiredSummary {
  const errors = state.problems.some((p) => p.severity === 'error');
  const writeRejects = options.rejects !== undefined && state.fatal.length === 0 && errors;
  return {
    customers: state.customers.map((c) => ({
      key: c.key,
      data: c.data,
      place: c.place,
      ...(c.clear === undefined ? {} : { clear: c.clear }),
    })),
    problems: state.problems,
    fatal: state.fatal,
    ...(state.silenced === undefined ? {} : { silenced: state.silenced }),
    config: {
      provider: state.config.provider,
      matchKey: state.config.matchKey,
      ignore: state.config.ignore,
    },
    rejectsWritten: writeRejects
      ? writeRejectFiles(state, options.cwd, options.rejects?.target)
      : [],
  };
}
