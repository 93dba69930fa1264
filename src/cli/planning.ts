import { loadDesiredState, type DesiredState } from '../desired/index.js';
import { FETCH_STRATEGIES, type FetchStrategy } from '../fetch/fetch.js';
import { planSync } from '../pipeline.js';
import type { Plan } from '../plan/types.js';
import { UsageError } from '../core/errors.js';
import { booleanOption, stringOption, type OptionSpecs, type ParsedArgs } from './command.js';
import type { CliContext } from './context.js';
import { useColor } from './context.js';
import { formatProblem, writeRejectFiles } from './problems.js';
import { buildRemote, remoteOptions, type RemoteSetup } from './remote.js';

/** Options shared by `plan` and `apply`. */
export const planningOptions: OptionSpecs = {
  config: {
    type: 'string',
    valueName: 'FILE',
    description: 'Config file (default: helcim-sync.yaml in the working directory)',
  },
  fetch: {
    type: 'string',
    valueName: 'HOW',
    description:
      'How to read Helcim: list (every customer, 100 a call), lookup (one call per code) or auto (the cheaper)',
    default: 'auto',
  },
  'skip-invalid': {
    type: 'boolean',
    description: 'Leave invalid records out (written to a rejects CSV) and go ahead with the rest',
  },
  rejects: {
    type: 'string',
    valueName: 'FILE',
    description:
      'Rejects file (default: <input>.rejects.csv next to each input); implies --skip-invalid',
  },
  verbose: {
    type: 'boolean',
    short: 'v',
    description: 'Also list unchanged records and customers only in Helcim',
  },
  ...remoteOptions,
};

function fetchStrategy(args: ParsedArgs): FetchStrategy {
  const value = stringOption(args, 'fetch') ?? 'auto';
  const found = FETCH_STRATEGIES.find((s) => s === value);
  if (found === undefined)
    throw new UsageError(`--fetch must be one of ${FETCH_STRATEGIES.join(', ')}, got "${value}"`);
  return found;
}

/**
 * Loads and checks the desired state. Problems go to stderr; with errors (and no
 * --skip-invalid) it returns undefined: nothing is fetched, nothing is written.
 */
export function loadDesiredForCli(
  ctx: CliContext,
  args: ParsedArgs,
  paths: readonly string[],
): DesiredState | undefined {
  const configPath = stringOption(args, 'config');
  const rejects = stringOption(args, 'rejects');
  const skipInvalid = booleanOption(args, 'skip-invalid') || rejects !== undefined;
  const state = loadDesiredState(paths, {
    cwd: ctx.cwd,
    ...(configPath === undefined ? {} : { configPath }),
  });
  const color = useColor(ctx, 'stderr');
  for (const problem of state.problems) ctx.stderr.write(formatProblem(problem, color));
  const errors = state.problems.filter((p) => p.severity === 'error').length;
  if (state.fatal.length > 0 || (errors > 0 && !skipInvalid)) {
    ctx.stderr.write(
      `error: the desired state has ${errors} error${errors === 1 ? '' : 's'}; nothing was fetched or written\n` +
        (state.fatal.length === 0
          ? '  fix them, or pass --skip-invalid to go ahead without the invalid records\n'
          : ''),
    );
    return undefined;
  }
  for (const w of writeRejectFiles(state, ctx.cwd, rejects)) {
    ctx.stderr.write(
      `wrote ${w.records} invalid record${w.records === 1 ? '' : 's'} to ${w.path}; they are left out\n`,
    );
  }
  return state;
}

export interface Planned {
  plan: Plan;
  state: DesiredState;
  setup: RemoteSetup;
}

/** Desired state, remote fetch and plan, as `plan` and `apply` both do them. */
export async function planFromArgs(
  ctx: CliContext,
  args: ParsedArgs,
  paths: readonly string[],
): Promise<Planned | undefined> {
  const strategy = fetchStrategy(args);
  const state = loadDesiredForCli(ctx, args, paths);
  if (state === undefined) return undefined;
  const setup = buildRemote(ctx, args);
  const tty = ctx.stderr.isTTY === true;
  let shown = 0;
  const plan = await planSync(state.customers, setup.remote, {
    config: state.config,
    fetch: strategy,
    includeUnchanged: booleanOption(args, 'verbose'),
    limits:
      setup.limits === 'off'
        ? { concurrent: Infinity, perMinute: Infinity, perHour: Infinity }
        : setup.limits,
    signal: ctx.signal,
    onFetchProgress: (fetched) => {
      if (!tty || fetched - shown < 500) return;
      shown = fetched;
      ctx.stderr.write(`\rreading ${setup.target}: ${fetched} customers`);
    },
  }).catch(async (error: unknown) => {
    await setup.remote.close();
    throw error;
  });
  if (tty && shown > 0) ctx.stderr.write('\r\u001b[K');
  return { plan, state, setup };
}
