import { formatDuration } from '../plan/cost.js';
import { providerInfo } from '../providers/index.js';
import { flatten, type FieldList } from '../core/fields.js';
import type { Plan, PlanAction, PlanSummary } from '../plan/types.js';
import { painter, type Paint } from './style.js';

export interface RenderOptions {
  color?: boolean;
  /** List unchanged and remote-only records one by one. */
  verbose?: boolean;
}

/** `Plan: 3 to create, 12 to update, 840 unchanged, 5 remote only.` */
export function summaryLine(summary: PlanSummary): string {
  const parts = [
    `${summary.create} to create`,
    `${summary.update} to update`,
    `${summary.unchanged} unchanged`,
  ];
  if (summary.remoteOnly !== null) parts.push(`${summary.remoteOnly} remote only`);
  if (summary.conflict > 0)
    parts.push(`${summary.conflict} conflict${summary.conflict === 1 ? '' : 's'}`);
  return `Plan: ${parts.join(', ')}.`;
}

export function costLine(plan: Plan): string {
  if (plan.cost.calls === 0) return 'Applying it makes no API call.';
  const calls = plural(plan.cost.calls, 'API call');
  // A provider that documents no rate limit has no floor on the time to state, unless the
  // person gave limits (`--rate-limit`, a proxy's): then they are the ones the time comes from.
  const limits = providerInfo(plan.provider).limits;
  const unlimited = limits.perMinute === Infinity && limits.perHour === Infinity;
  const whose = unlimited ? 'the rate limits given' : `${where(plan)}'s rate limits`;
  // Under a second: the calls fit in what the limits allow at once ("no less than 0s" said
  // nothing a reader could use).
  const line =
    unlimited && plan.cost.minSeconds < 1
      ? `Applying it takes ${calls}.`
      : plan.cost.minSeconds < 1
        ? `Applying it takes ${calls}, within ${whose} without waiting.`
        : `Applying it takes ${calls}; ${whose} allow that in no less than ${formatDuration(plan.cost.minSeconds)}.`;
  const check = plan.cost.savedPlanCheck;
  if (check === undefined || check.calls === 0) return line;
  const how = check.strategy === 'list' ? 'one listing of the account' : 'one read per record';
  return `${line}\nApplied from a saved plan, it first re-reads what it touches: ${plural(check.calls, 'more call')} (${how}).`;
}

/** The system the plan was made against, as messages name it. */
export function where(plan: Pick<Plan, 'provider' | 'livemode'>): string {
  const name = providerInfo(plan.provider).displayName;
  if (plan.livemode === undefined) return name;
  return `${name} (${plan.livemode ? 'live' : 'test'} mode)`;
}

export function noChanges(plan: Pick<Plan, 'provider' | 'livemode'>): string {
  return `No changes. The customers in ${where(plan)} match the files.`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function quote(value: string | undefined): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

function renderAction(
  action: PlanAction,
  paint: Paint,
  verbose: boolean,
  system: string,
  list: FieldList,
): string[] {
  switch (action.type) {
    case 'create': {
      const fields = flatten(list, action.payload);
      const width = Math.max(...fields.map(([f]) => f.length));
      return [
        paint('green', `  + ${action.key}`) + paint('dim', ` will be created (${action.source})`),
        ...fields.map(([field, value]) =>
          paint('green', `      + ${field.padEnd(width)} = ${quote(value)}`),
        ),
      ];
    }
    case 'update': {
      const width = Math.max(...action.changes.map((c) => c.field.length));
      return [
        paint('yellow', `  ~ ${action.key}`) +
          paint('dim', ` will be updated (id ${action.remoteId}, ${action.source})`),
        ...action.changes.map((c) =>
          paint('yellow', `      ~ ${c.field.padEnd(width)}   ${quote(c.old)} -> ${quote(c.new)}`),
        ),
      ];
    }
    case 'conflict':
      return [
        paint('red', `  ! ${action.key}: ${action.reason}`) +
          paint(
            'dim',
            ` (${[...action.sources, ...action.remoteIds.map((id) => `id ${id}`)].join(', ')})`,
          ),
        paint('dim', '      nothing will be done for it until the conflict is resolved'),
      ];
    case 'unchanged':
      return verbose
        ? [paint('dim', `    ${action.key} unchanged (id ${action.remoteId}, ${action.source})`)]
        : [];
    case 'remote-only':
      return verbose
        ? [paint('dim', `    ${action.key} only in ${system} (id ${action.remoteId}), not managed`)]
        : [];
  }
}

/** Terraform-style human output: each change, then the summary line and the cost. */
export function renderText(plan: Plan, options: RenderOptions = {}): string {
  const paint = painter(options.color === true);
  const verbose = options.verbose === true;
  const lines: string[] = [];
  const how =
    plan.fetch.strategy === 'list'
      ? `listed ${plural(plan.fetch.fetched, 'remote customer')} in ${plural(plan.fetch.calls, 'call')}`
      : `looked the ${providerInfo(plan.provider).fields.identityLabel}s up one by one in ${plural(plan.fetch.calls, 'call')}`;
  // Which set of customers, where an account holds live and test ones apart.
  const against = plan.livemode === undefined ? '' : `${where(plan)}: `;
  lines.push(paint('dim', `${against}Matched by ${plan.matchKey}; ${how}.`), '');
  const since = changedSinceLine(plan);
  if (since !== undefined) lines.push(paint('dim', since), '');
  const changes = plan.actions.filter(
    (a) => a.type === 'create' || a.type === 'update' || a.type === 'conflict',
  );
  if (changes.length === 0) lines.push(noChanges(plan), '');
  else {
    lines.push('helcim-sync will perform the following actions:', '');
    for (const action of changes)
      lines.push(
        ...renderAction(action, paint, verbose, where(plan), providerInfo(plan.provider).fields),
        '',
      );
  }
  if (verbose) {
    const quiet = plan.actions.filter((a) => a.type === 'unchanged' || a.type === 'remote-only');
    for (const action of quiet)
      lines.push(
        ...renderAction(action, paint, verbose, where(plan), providerInfo(plan.provider).fields),
      );
    if (quiet.length > 0) lines.push('');
  } else if (plan.summary.remoteOnly !== null && plan.summary.remoteOnly > 0) {
    lines.push(
      paint(
        'dim',
        `${plural(plan.summary.remoteOnly, 'customer')} only in ${where(plan)}, not managed by any file: never touched (--verbose lists them).`,
      ),
      '',
    );
  }
  const removed = plan.changedSince?.removed ?? [];
  if (removed.length > 0) {
    lines.push(
      `${plural(removed.length, 'record')} removed from the files since ${plan.changedSince?.ref ?? ''}: no longer managed, never touched in ${where(plan)}:`,
    );
    for (const r of removed) lines.push(`  - ${r.key} (was ${r.source})`);
    lines.push('');
  }
  lines.push(paint('bold', summaryLine(plan.summary)), costLine(plan));
  return lines.join('\n') + '\n';
}

/** What `--changed-since` left out: said on every plan made with it, so nobody mistakes it. */
export function changedSinceLine(plan: Plan): string | undefined {
  const since = plan.changedSince;
  if (since === undefined) return undefined;
  return `Compared with ${since.ref}: only records added or changed in the files since were read; ${plural(since.unchanged, 'unchanged record')} left out (changes made in ${where(plan)} to those are not seen).`;
}
