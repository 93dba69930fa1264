import { providerInfo } from '../providers/index.js';
import { estimateRecords } from '../desired/estimate.js';
import type { DesiredCustomer } from '../desired/index.js';
import type * as DesiredModule from '../desired/index.js';
import { compareWith, snapshotAt, type ChangeSet } from '../desired/changed-since.js';
import { PlanningWorker } from '../plan/in-worker.js';
import { summarizeDesired, type DesiredSummary, type SummaryOptions } from '../desired/summary.js';
import { AUTO_LOOKUP_MAX, FETCH_STRATEGIES, type FetchStrategy } from '../fetch/fetch.js';
import { planSync, planSyncWhileLoading } from '../pipeline.js';
import type { FetchInfo, Plan } from '../plan/types.js';
import { InputError, UsageError } from '../core/errors.js';
import { booleanOption, stringOption, type OptionSpecs, type ParsedArgs } from './command.js';
import type { CliContext } from './context.js';
import { useColor } from './context.js';
import { GROUPED_NOTE, formatProblems } from './problems.js';
import {
  apiTarget,
  buildRemote,
  providerChoice,
  remoteOptions,
  type RemoteSetup,
} from './remote.js';
import { cacheDir, openCache, type RemoteCache } from '../remote/cache.js';

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
      'How to read the customers: list (every customer, 100 a call), lookup (one call per identity: code, DID) or auto (the cheaper)',
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
    description:
      'Also list unchanged records, customers only in Helcim or Payment Kit, and every problem repeated on many rows',
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
  verbose: boolean,
): boolean {
  const report = formatProblems(summary.problems, { color: useColor(ctx, 'stderr'), verbose });
  ctx.stderr.write(report.text);
  if (report.grouped) ctx.stderr.write(GROUPED_NOTE);
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

/**
 * The loading and validation of files, imported only when this thread loads them: a plan that
 * loads them on a worker starts reading the remote side about 0.1 s sooner without them.
 */
function loadingModule(): Promise<typeof DesiredModule> {
  return import('../desired/index.js');
}

/** The records changed in the files since `ref`, from the files as they were at `ref`. */
async function changedSince<T extends Pick<DesiredCustomer, 'key' | 'data' | 'clear' | 'place'>>(
  ref: string,
  current: readonly T[],
  matchKey: string,
  provider: string,
  request: DesiredRequest,
): Promise<ChangeSet<T>> {
  const { loadDesiredState } = await loadingModule();
  const snapshot = snapshotAt(ref, request.options.cwd, request.paths, request.options.configPath);
  try {
    const before = loadDesiredState(snapshot.paths, {
      cwd: snapshot.dir,
      ...(snapshot.configPath === undefined ? {} : { configPath: snapshot.configPath }),
    });
    // Files that did not exist at `ref`, or did not load then, make every record of now new:
    // read more, never less.
    return compareWith(
      ref,
      current,
      before.fatal.length > 0 ? [] : before.customers,
      matchKey,
      providerInfo(provider).fields,
    );
  } finally {
    snapshot.remove();
  }
}

/** What the fetch learned of the account's size, for the next run's choice of fetch. */
function remember(cache: RemoteCache, fetch: FetchInfo | undefined): void {
  const size = fetch?.accountSize;
  const atLeast = fetch?.accountSizeAtLeast;
  if (size !== undefined)
    cache.update(({ accountSizeAtLeast: _dropped, ...memo }) => ({
      ...memo,
      accountSize: size,
      listedAt: new Date().toISOString(),
    }));
  else if (atLeast !== undefined)
    cache.update((memo) => ({
      ...memo,
      accountSizeAtLeast: Math.max(atLeast, memo.accountSizeAtLeast ?? 0),
    }));
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
/**
 * Where the environment points, or undefined when it points nowhere usable (Payment Kit's URL
 * unset or refused): building the client says so, after the files have been checked.
 */
function targetIfSet(ctx: CliContext, provider: string): string | undefined {
  try {
    return apiTarget(ctx, provider);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

export async function planFromArgs(
  ctx: CliContext,
  args: ParsedArgs,
  paths: readonly string[],
): Promise<Planned | undefined> {
  const strategy = fetchStrategy(args);
  const request = desiredRequest(ctx, args, paths);
  const since = stringOption(args, 'changed-since');
  const estimate = estimateRecords(paths, request.options) ?? 0;
  const mayList =
    since === undefined &&
    (strategy === 'list' || (strategy === 'auto' && estimate > 2 * AUTO_LOOKUP_MAX));
  // A load that will overlap the listing starts first of all: reading the config for the
  // provider and building the client take a few hundred milliseconds it need not wait for.
  // Stopped if the account's remembered size makes lookups cheaper after all, or on an error.
  const stopEarly = new AbortController();
  const early = mayList ? new PlanningWorker(request, stopEarly.signal) : undefined;
  let setup: RemoteSetup | undefined;
  try {
    return await planWhileLoading(early);
  } catch (error) {
    stopEarly.abort(error);
    await setup?.remote.close();
    throw error;
  }

  async function planWhileLoading(
    loading: PlanningWorker | undefined,
  ): Promise<Planned | undefined> {
    const choice = providerChoice(ctx, args);
    const provider = providerInfo(choice.provider);
    const target = targetIfSet(ctx, choice.provider);
    const cache = openCache(target === undefined ? undefined : cacheDir(ctx.env), target ?? '');
    const memo = cache.read();
    const accountSizeHint = memo.accountSize;
    const accountSizeAtLeast = memo.accountSizeAtLeast;
    const listsAnyway =
      loading !== undefined &&
      (strategy === 'list' ||
        // A remembered size that makes lookups cheaper wins over the rule of thumb.
        accountSizeHint === undefined ||
        provider.cost.list(accountSizeHint) <= estimate);
    if (!listsAnyway) stopEarly.abort(new Error('not needed: the records are looked up'));
    const tty = ctx.stderr.isTTY === true;
    let shown = 0;
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
    let plan: Plan | undefined;
    if (listsAnyway) {
      const report = (summary: DesiredSummary): boolean =>
        reportDesired(ctx, summary, request.skipInvalid, true, booleanOption(args, 'verbose'));
      let remote: RemoteSetup;
      try {
        remote = await buildRemote(ctx, args, choice);
      } catch (error) {
        // The files first, as when they load before the client is built: their mistakes are
        // what a person can fix without any secret (a fork's pull request has none).
        const filesOk = await loading.planner(report).ready.catch(() => true);
        if (!filesOk) return undefined;
        throw error;
      }
      setup = remote;
      const planner = loading.planner(report);
      plan = await planSyncWhileLoading(planner, remote.remote, syncOptions(remote));
    } else {
      const { loadDesiredState } = await loadingModule();
      const summary = summarizeDesired(
        loadDesiredState(request.paths, request.options),
        request.summary,
      );
      if (!reportDesired(ctx, summary, request.skipInvalid, false, booleanOption(args, 'verbose')))
        return undefined;
      const changes =
        since === undefined
          ? undefined
          : await changedSince(
              since,
              summary.customers,
              summary.config.matchKey,
              summary.config.provider,
              request,
            );
      const remote = await buildRemote(ctx, args, choice);
      setup = remote;
      plan = await planSync(changes?.changed ?? summary.customers, remote.remote, {
        config: summary.config,
        fetch: strategy,
        ...(accountSizeHint === undefined ? {} : { accountSizeHint }),
        ...(accountSizeAtLeast === undefined ? {} : { accountSizeAtLeast }),
        // A pull request's few changed records cost a few calls, however big the account.
        ...(changes === undefined ? {} : { probe: false }),
        ...syncOptions(remote),
      });
      if (changes !== undefined)
        plan = {
          ...plan,
          // The records left out as unchanged are not in the plan: a listing would report their
          // customers as "only in Helcim". Which customers no file manages is a full plan's to say.
          summary: { ...plan.summary, remoteOnly: null },
          actions: plan.actions.filter((a) => a.type !== 'remote-only'),
          changedSince: changes.info,
        };
    }
    if (tty && shown > 0) ctx.stderr.write('\r\u001b[K');
    remember(cache, plan?.fetch);
    if (plan === undefined) {
      await setup.remote.close();
      return undefined;
    }
    return { plan, setup };
  }
}
