import { textOf } from '../core/customer.js';
import type { FieldList } from '../core/fields.js';
import pLimit from 'p-limit';
import type { RemoteCustomer } from '../core/customer.js';
import { SyncError, RemoteError, type RemoteProblem } from '../core/errors.js';
import type { CallOptions, CustomerRemote } from '../remote/port.js';
import type { ConflictAction, CreateAction, Plan, UpdateAction } from '../plan/types.js';
import { noJournal, type Journal } from './journal.js';
import { prepareRecheck, type Recheck } from './recheck.js';
import { providerInfo } from '../providers/index.js';

export const APPLY_REPORT_VERSION = 1;

export type RecordResult =
  | { key: string; action: 'create'; status: 'created'; id: string; source: string }
  | { key: string; action: 'update'; status: 'updated'; id: string; source: string }
  | {
      key: string;
      action: 'create' | 'update';
      status: 'stale';
      reason: string;
      source: string;
      id?: string;
    }
  | {
      key: string;
      action: 'create' | 'update' | 'conflict';
      status: 'failed';
      error: FailureInfo;
      source: string;
      id?: string;
    }
  | {
      key: string;
      action: 'create' | 'update';
      status: 'skipped';
      reason: string;
      source: string;
      id?: string;
    };

export interface FailureInfo {
  code: string;
  message: string;
  status?: number;
  problems: RemoteProblem[];
}

export interface ApplySummary {
  created: number;
  updated: number;
  stale: number;
  /** Records not applied: writes that failed, and the records in conflict in the plan. */
  failed: number;
  /**
   * Of `failed`, the records in conflict in the plan: never sent, so not a remote error. Added
   * within version 1, as adding a field is compatible.
   */
  conflicts: number;
  skipped: number;
}

export interface ApplyReport {
  version: typeof APPLY_REPORT_VERSION;
  /** The plan's provider and (Payment Kit) mode: which account the writes went to. */
  provider: string;
  livemode?: boolean;
  interrupted: boolean;
  summary: ApplySummary;
  results: RecordResult[];
  /**
   * The failures files written (see failures-files.ts): set by the CLI, which writes them; the
   * library's applyPlan writes no file. Added within version 1, as adding a field is compatible.
   */
  failuresFiles?: FailuresWritten[];
}

/** A failures file written: its absolute path and the records in it. */
export interface FailuresWritten {
  path: string;
  records: number;
}

export interface ApplyProgress {
  total: number;
  done: number;
  failed: number;
}

export interface ApplyOptions {
  /** Aborting stops starting new writes; the ones in flight finish and are reported. */
  signal?: AbortSignal;
  maxCreates?: number;
  maxUpdates?: number;
  /**
   * For a saved plan: re-read what it touches before writing (see `recheck.ts`) and skip as
   * stale an update whose record changed since the plan, and a create whose code is taken.
   */
  recheck?: boolean;
  /** Applied to re-read records before fingerprinting; must be the one the plan was made with. */
  normalize?: (customer: RemoteCustomer) => RemoteCustomer;
  journal?: Journal;
  onProgress?: (progress: ApplyProgress) => void;
  /** Wall clock for journal times. */
  now?: () => Date;
  /** Writes started at once; the client paces them under the rate limits anyway. */
  concurrency?: number;
}

/** Refuses, before any write, a plan bigger than the caller expects. */
export function checkGuards(
  plan: Plan,
  options: Pick<ApplyOptions, 'maxCreates' | 'maxUpdates'>,
): void {
  const { create, update } = plan.summary;
  if (options.maxCreates !== undefined && create > options.maxCreates) {
    throw new SyncError(
      'ERR_PLAN',
      `the plan creates ${create} customers, more than --max-creates ${options.maxCreates}; nothing was written`,
      {
        hint: `check the mapping and the match key; customers cannot be deleted in ${providerInfo(plan.provider).displayName} once created`,
      },
    );
  }
  if (options.maxUpdates !== undefined && update > options.maxUpdates) {
    throw new SyncError(
      'ERR_PLAN',
      `the plan updates ${update} customers, more than --max-updates ${options.maxUpdates}; nothing was written`,
      {
        hint: 'review the plan; raise the limit if it is what you meant',
      },
    );
  }
}

/** A conflict (a record that matches nobody where the provider cannot create, too) is a failure. */
function conflictResults(plan: Plan): RecordResult[] {
  return plan.actions
    .filter((a): a is ConflictAction => a.type === 'conflict')
    .map((c) => ({
      key: c.key,
      action: 'conflict',
      status: 'failed',
      source: c.sources.join(', '),
      error: { code: 'ERR_PLAN_CONFLICT', message: c.reason, problems: [] },
    }));
}

function accountOf(plan: Plan): Pick<ApplyReport, 'provider' | 'livemode'> {
  return {
    provider: plan.provider,
    ...(plan.livemode === undefined ? {} : { livemode: plan.livemode }),
  };
}

/**
 * The report of a plan with nothing to write: its conflicts, so that a script reading the report
 * of a run that exits 1 learns why, as it does when there are writes too.
 */
export function reportWithoutWrites(plan: Plan): ApplyReport {
  const results = conflictResults(plan);
  return {
    version: APPLY_REPORT_VERSION,
    ...accountOf(plan),
    interrupted: false,
    summary: summarise(results),
    results,
  };
}

/**
 * Carries out the creates and updates of a plan through the remote port. One result per record;
 * a failed record does not stop the others.
 */
export async function applyPlan(
  plan: Plan,
  remote: CustomerRemote,
  options: ApplyOptions = {},
): Promise<ApplyReport> {
  checkGuards(plan, options);
  const journal = options.journal ?? noJournal;
  const now = options.now ?? (() => new Date());
  const normalize = options.normalize ?? ((c: RemoteCustomer) => c);
  const writes = plan.actions.filter(
    (a): a is CreateAction | UpdateAction => a.type === 'create' || a.type === 'update',
  );
  const results = conflictResults(plan);
  const progress: ApplyProgress = { total: writes.length, done: 0, failed: 0 };
  const limit = pLimit(options.concurrency ?? 5);
  const signal = options.signal;
  const provider = providerInfo(plan.provider);
  const system = provider.displayName;

  // The report lists the writes in the plan's order, which is the files', whatever order they
  // ended in (side by side, under load): the same report, and failures file, from run to run.
  const ended: (RecordResult | undefined)[] = [];
  const finish = (result: RecordResult, at: number): void => {
    ended[at] = result;
    // A write never started is not progress: after Ctrl-C the bar must not run to 100%.
    if (result.status === 'skipped') return;
    progress.done += 1;
    if (result.status === 'failed') progress.failed += 1;
    journal.record({
      time: now().toISOString(),
      key: result.key,
      action: result.action === 'create' ? 'create' : 'update',
      status: result.status,
      ...(result.id === undefined ? {} : { id: result.id }),
      ...(result.status === 'failed' ? { error: result.error.message } : {}),
    });
    options.onProgress?.({ ...progress });
  };

  // The interrupt never cuts a request on the wire (that would leave a create in doubt); it only
  // stops the waits between requests.
  const calls: CallOptions = signal === undefined ? {} : { stopWaiting: signal };
  const run = async (
    action: CreateAction | UpdateAction,
    at: number,
    recheck: Recheck | undefined,
  ) => {
    if (signal?.aborted === true) {
      finish(skipped(action, 'interrupted before it started'), at);
      return;
    }
    finish(
      action.type === 'create'
        ? await create(action, { remote, recheck, calls, system, fields: provider.fields })
        : await update(action, { remote, recheck, calls, system, fields: provider.fields }),
      at,
    );
  };

  try {
    // Nothing is written yet: an interrupted or failed listing leaves no write in doubt.
    const recheck =
      options.recheck === true && writes.length > 0
        ? await prepareRecheck(plan, remote, {
            normalize,
            ...(signal === undefined ? {} : { signal }),
          })
        : undefined;
    await Promise.all(writes.map((action, at) => limit(() => run(action, at, recheck))));
  } finally {
    journal.close();
  }
  for (const result of ended) if (result !== undefined) results.push(result);
  return {
    version: APPLY_REPORT_VERSION,
    ...accountOf(plan),
    interrupted: signal?.aborted === true,
    summary: summarise(results),
    results,
  };
}

/** Cut short by the interrupt while waiting (for budget, before a retry): plan again to see. */
/** What one write needs besides its action. */
interface WriteContext {
  remote: CustomerRemote;
  recheck: Recheck | undefined;
  calls: CallOptions;
  /** The system, as messages name it. */
  system: string;
  fields: FieldList;
}

function interruptedWaiting(system: string): string {
  return `interrupted while waiting for ${system} (rate limits or a retry); plan again to see its state`;
}

function stoppedWaiting(error: unknown, calls: CallOptions): boolean {
  return (
    calls.stopWaiting?.aborted === true &&
    error instanceof RemoteError &&
    error.code === 'ERR_ABORTED'
  );
}

async function create(
  action: CreateAction,
  { remote, recheck, calls, system, fields }: WriteContext,
): Promise<RecordResult> {
  const base = { key: action.key, action: 'create', source: action.source } as const;
  try {
    const taken = await recheck?.create(action, calls);
    if (taken !== undefined) return { ...base, status: 'stale', reason: taken };
    // A plan never holds a create for a provider that cannot create; a hand-made one might.
    if (remote.create === undefined)
      return {
        ...base,
        status: 'failed',
        error: {
          code: 'ERR_CANNOT_CREATE',
          message: `${system} cannot create customers`,
          problems: [],
        },
      };
    const created = await remote.create(action.payload, calls);
    return { ...base, status: 'created', id: created.id };
  } catch (error) {
    if (stoppedWaiting(error, calls))
      return { ...base, status: 'skipped', reason: interruptedWaiting(system) };
    if (error instanceof RemoteError && error.code === 'ERR_REMOTE_CONFLICT') {
      return {
        ...base,
        status: 'stale',
        reason: `a customer with ${fields.identityLabel} ${textOf(action.payload[fields.identity]) ?? ''} was created in ${system} since the plan; plan again`,
      };
    }
    return { ...base, status: 'failed', error: failure(error) };
  }
}

async function update(
  action: UpdateAction,
  { remote, recheck, calls, system }: WriteContext,
): Promise<RecordResult> {
  const base = {
    key: action.key,
    action: 'update',
    source: action.source,
    id: action.remoteId,
  } as const;
  try {
    // Read right before writing when reading one by one: the narrowest window in which a
    // change made remotely could still be overwritten.
    const stale = await recheck?.update(action, calls);
    if (stale !== undefined) return { ...base, status: 'stale', reason: stale };
    await remote.update(action.remoteId, action.payload, calls);
    return { ...base, status: 'updated' };
  } catch (error) {
    if (stoppedWaiting(error, calls))
      return { ...base, status: 'skipped', reason: interruptedWaiting(system) };
    if (error instanceof RemoteError && error.code === 'ERR_REMOTE_NOT_FOUND') {
      return { ...base, status: 'stale', reason: `no longer exists in ${system}` };
    }
    return { ...base, status: 'failed', error: failure(error) };
  }
}

function skipped(action: CreateAction | UpdateAction, reason: string): RecordResult {
  return action.type === 'create'
    ? { key: action.key, action: 'create', status: 'skipped', reason, source: action.source }
    : {
        key: action.key,
        action: 'update',
        status: 'skipped',
        reason,
        source: action.source,
        id: action.remoteId,
      };
}

function failure(error: unknown): FailureInfo {
  if (error instanceof RemoteError) {
    return {
      code: error.code,
      message: error.message,
      problems: error.problems,
      ...(error.status === undefined ? {} : { status: error.status }),
    };
  }
  if (error instanceof SyncError) return { code: error.code, message: error.message, problems: [] };
  return {
    code: 'ERR_INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    problems: [],
  };
}

function summarise(results: readonly RecordResult[]): ApplySummary {
  const summary: ApplySummary = {
    created: 0,
    updated: 0,
    stale: 0,
    failed: 0,
    conflicts: 0,
    skipped: 0,
  };
  for (const r of results) {
    summary[r.status] += 1;
    if (r.action === 'conflict' && r.status === 'failed') summary.conflicts += 1;
  }
  return summary;
}
