import { estimateRecords } from '../desired/estimate.js';
import { loadDesiredState } from '../desired/index.js';
import { loadDesiredInWorker } from '../desired/in-worker.js';
import { summarizeDesired, type DesiredSummary, type SummaryOptions } from '../desired/summary.js';
import { AUTO_LOOKUP_MAX, FETCH_STRATEGIES, type FetchStrategy } from '../fetch/fetch.js';
import { planSync, planSyncWhileLoading } from '../pipeline.js';
import type { Plan } from '../plan/types.js';
import { UsageError } from '../core/errors.js';
import { booleanOption, stringOption, type OptionSpecs, type ParsedArgs } from './command.js';
import type { CliContext } from './context.js';
import { useColor } from './context.js';
import { formatProblem } from './problems.js';
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

interface DesiredRequest {
  paths: string[];
  options: { cwd: string; configPath?: string };
  summary: SummaryOptions;
  skipInvalid: boolean;
}

function desiredRequest(
  ctx: CliContext,
  args: ParsedArgs,
  paths: readonly string[],
): DesiredRequest {
  const configPath = stringOption(args, 'config');
  const target = stringOption(args, 'rejects');
  const skipInvalid = booleanOption(args, 'skip-invalid') || target !== undefined;
  return {
    paths: [...paths],
    options: { cwd: ctx.cwd, ...(configPath === undefined ? {} : { configPath }) },
    summary: {
      cwd: ctx.cwd,
      ...(skipInvalid ? { rejects: target === undefined ? {} : { target } } : {}),
    },
    skipInvalid,
  };
}

/**
 * Prints the desired state's problems and the rejects files written to stderr; false when its
 * errors stop the run (nothing is written, whatever was read).
 */
function reportDesired(
  ctx: CliContext,
  summary: DesiredSummary,
  skipInvalid: boolean,
  fetched: boolean,
): boolean {
  const color = useColor(ctx, 'stderr');
  for (const problem of summary.problems) ctx.stderr.write(formatProblem(problem, color));
  const errors = summary.problems.filter((p) => p.severity === 'error').length;
  if (summary.fatal.length > 0 || (errors > 0 && !skipInvalid)) {
    ctx.stderr.write(
      `error: the desired state has ${errors} error${errors === 1 ? '' : 's'}; nothing was ${fetched ? 'written' : 'fetched or written'}\n` +
        (summary.fatal.length === 0
          ? '  fix them, or pass --skip-invalid to go ahead without the invalid records\n'
          : ''),
    );
    return false;
  }
  for (const w of summary.rejectsWritten) {
    ctx.stderr.write(
      `wrote ${w.records} invalid record${w.records === 1 ? '' : 's'} to ${w.path}; they are left out\n`,
    );
  }
  return true;
}

export interface Planned {
  plan: Plan;
  setup: RemoteSetup;
}

/**
 * Desired state, remote fetch and plan, as `plan` and `apply` both do them. When the plan will
 * list the whole account anyway (`--fetch list`, or CSV inputs too big for per-code lookups),
 * the files load on a worker thread while the account is read: the two costs overlap instead of
 * adding up.
 */
export async function planFromArgs(
  ctx: CliContext,
  args: ParsedArgs,
  paths: readonly string[],
): Promise<Planned | undefined> {
  const strategy = fetchStrategy(args);
  const request = desiredRequest(ctx, args, paths);
  const listsAnyway =
    strategy === 'list' ||
    (strategy === 'auto' && (estimateRecords(paths, request.options) ?? 0) > 2 * AUTO_LOOKUP_MAX);
  const tty = ctx.stderr.isTTY === true;
  let shown = 0;
  let setup: RemoteSetup | undefined;
  const syncOptions = (remote: RemoteSetup) => ({
    includeUnchanged: booleanOption(args, 'verbose'),
    limits:
      remote.limits === 'off'
        ? { concurrent: Infinity, perMinute: Infinity, perHour: Infinity }
        : remote.limits,
    signal: ctx.signal,
    onFetchProgress: (fetched: number) => {
      if (!tty || fetched - shown < 500) return;
      shown = fetched;
      ctx.stderr.write(`\rreading ${remote.target}: ${fetched} customers`);
    },
  });
  try {
    let plan: Plan | undefined;
    if (listsAnyway) {
      setup = buildRemote(ctx, args);
      const desired = loadDesiredInWorker(request).then(({ summary, inputs }) =>
        reportDesired(ctx, summary, request.skipInvalid, true)
          ? { inputs, config: summary.config }
          : undefined,
      );
      plan = await planSyncWhileLoading(desired, setup.remote, syncOptions(setup));
    } else {
      const summary = summarizeDesired(
        loadDesiredState(request.paths, request.options),
        request.summary,
      );
      if (!reportDesired(ctx, summary, request.skipInvalid, false)) return undefined;
      setup = buildRemote(ctx, args);
      plan = await planSync(summary.customers, setup.remote, {
        config: summary.config,
        fetch: strategy,
        ...syncOptions(setup),
      });
    }
    if (tty && shown > 0) ctx.stderr.write('\r\u001b[K');
    if (plan === undefined) {
      await setup.remote.close();
      return undefined;
    }
    return { plan, setup };
  } catch (error) {
    await setup?.remote.close();
    throw error;
  }
}
