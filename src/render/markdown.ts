import { flatten, type FieldList } from '../core/fields.js';
import { providerInfo } from '../providers/index.js';
import type { Plan, PlanAction } from '../plan/types.js';
import { changedSinceLine, costLine, noChanges, summaryLine, where } from './text.js';

/** GitHub refuses comments over 65,536 characters; stay well under it, however big the plan. */
export const MARKDOWN_LIMIT = 60_000;

function code(value: string | undefined): string {
  if (value === undefined) return '_unset_';
  const clean = value.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

function row(action: PlanAction, list: FieldList): string | undefined {
  switch (action.type) {
    case 'create':
      return `| ➕ create | ${code(action.key)} | ${action.source} | ${flatten(list, action.payload)
        .map(([f]) => f)
        .join(', ')} |`;
    case 'update':
      return `| ✏️ update | ${code(action.key)} | ${action.source} | ${action.changes
        .map((c) => `${c.field}: ${code(c.old)} → ${code(c.new)}`)
        .join('<br>')} |`;
    case 'conflict':
      return `| ⚠️ conflict | ${code(action.key)} | ${action.sources.join(', ')} | ${action.reason.replace(/\|/g, '\\|')} |`;
    default:
      return undefined;
  }
}

/** A pull-request comment: the summary first, then as many changes as fit, then the counts. */
export function renderMarkdown(plan: Plan): string {
  const head = [
    '### helcim-sync plan',
    '',
    ...(plan.livemode === undefined ? [] : [`Against ${where(plan)}.`, '']),
    `**${summaryLine(plan.summary)}**`,
    '',
    costLine(plan),
    '',
  ];
  const since = changedSinceLine(plan);
  if (since !== undefined) head.push(since, '');
  const removed = plan.changedSince?.removed ?? [];
  if (removed.length > 0)
    head.push(
      `Removed from the files since ${code(plan.changedSince?.ref)}, never touched in ${where(plan)}: ${removed
        .slice(0, 50)
        .map((r) => code(r.key))
        .join(', ')}${removed.length > 50 ? ` and ${removed.length - 50} more` : ''}.`,
      '',
    );
  const list = providerInfo(plan.provider).fields;
  const rows = plan.actions.map((a) => row(a, list)).filter((r): r is string => r !== undefined);
  if (rows.length === 0) return [...head, noChanges(plan), ''].join('\n');
  const table = ['| | Customer | Source | Changes |', '|---|---|---|---|'];
  let size = head.join('\n').length + table.join('\n').length + 400;
  let shown = 0;
  for (const r of rows) {
    if (size + r.length + 1 > MARKDOWN_LIMIT) break;
    table.push(r);
    size += r.length + 1;
    shown += 1;
  }
  const tail =
    shown < rows.length
      ? [
          '',
          `…and ${rows.length - shown} more changes not shown here; run \`helcim-sync plan --json\` for the full plan.`,
        ]
      : [];
  return [...head, ...table, ...tail, ''].join('\n');
}
