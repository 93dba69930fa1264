/**
 * Which records of an apply go to a failures file, and what its `error` column says. Pure: the
 * files are read and written by failures-files.ts.
 *
 * Every write that failed goes there, so that applying the file again finishes the job: a
 * refusal of the record (a 400 with field errors: fix the row) and a failure that is not the
 * record's (a 5xx or timeout after the retries, a revoked token: apply it again as it is) alike,
 * the error saying which. Conflicts, records that cannot be created, stale and interrupted ones
 * are not failures of a write; they stay out, except from a failures file being rewritten in
 * place (one applied again), which keeps every row not done so that no fix made in it is lost.
 */
import { RETRYABLE_STATUSES } from '../remote/http/retry.js';
import type { Plan } from '../plan/types.js';
import type { ApplyReport, FailureInfo } from './apply.js';

/**
 * - `record`: the remote side refused the record itself (field errors): fix the row.
 * - `temporary`: rate limits, server errors, timeouts, a create left in doubt: apply again.
 * - `setup`: the token, the URL, an answer the client could not read: fix that, apply again.
 */
export type FailureCause = 'record' | 'temporary' | 'setup';

/** Statuses that say nothing about the record: the caller, the route, or the moment. */
const NOT_THE_RECORDS = new Set([401, 403, 404, 405, 407, 408, 429]);

export function failureCause(error: FailureInfo): FailureCause {
  const status = error.status;
  switch (error.code) {
    case 'ERR_REMOTE_HTTP':
      if (status === undefined) return 'setup';
      if (status >= 500 || RETRYABLE_STATUSES.has(status) || status === 408) return 'temporary';
      return status >= 400 && !NOT_THE_RECORDS.has(status) ? 'record' : 'setup';
    case 'ERR_REMOTE_RESPONSE':
      // A success answer that carries errors (Helcim's 200 with `errors`) refused the record.
      return error.problems.length > 0 && status !== undefined && status < 300 ? 'record' : 'setup';
    // The client would not send the record as it is (a value the API cannot take).
    case 'ERR_INPUT':
      return 'record';
    case 'ERR_REMOTE_RATE_LIMITED':
    case 'ERR_REMOTE_TIMEOUT':
    case 'ERR_REMOTE_NETWORK':
    case 'ERR_REMOTE_AMBIGUOUS':
    case 'ERR_ABORTED':
      return 'temporary';
    default:
      return 'setup';
  }
}

/** What the remote side said, field by field when it named fields. */
function detail(error: FailureInfo): string {
  const named = error.problems.map((p) =>
    p.field === undefined ? p.message : `${p.field}: ${p.message}`,
  );
  return named.length > 0 ? named.join('; ') : error.message;
}

/** The `error` cell of a failed write: the remote side's words, and what to do about them. */
export function failureText(error: FailureInfo, system: string): string {
  switch (failureCause(error)) {
    case 'record':
      return error.code === 'ERR_INPUT'
        ? `not sent: ${error.message}`
        : `${system} refused it${error.status === undefined || error.status < 300 ? '' : ` (${error.status})`}: ${detail(error)}`;
    case 'temporary':
      return `not the record's fault, nothing to fix: ${error.message}; apply this file again`;
    case 'setup':
      return `not the record's fault: ${error.message}; fix that, then apply this file again`;
  }
}

/** One row a failures file may hold: a record of the plan, by its source, and its error. */
export interface FailureRow {
  key: string;
  /** `crm.csv row 17`, `customers.yaml:12`: as the plan has it. */
  source: string;
  error: string;
  /** A failed write (else a record not done, kept only when its own file is rewritten). */
  failed: boolean;
  /** Whether the record found again must have `key` (not for a conflict, which has several). */
  keyed: boolean;
}

/** The rows of an apply: its failed writes, and the records it left undone otherwise. */
export function failureRows(report: ApplyReport, plan: Plan, system: string): FailureRow[] {
  const rows: FailureRow[] = [];
  // The report lists the writes in the plan's order (applyPlan): so do the rows.
  for (const r of report.results) {
    const row = { key: r.key, source: r.source, keyed: true };
    if (r.status === 'failed' && r.action !== 'conflict') {
      // A create sent to a provider that has none is the plan's doing, not a write's.
      const cannot = r.error.code === 'ERR_CANNOT_CREATE';
      rows.push({
        ...row,
        error: cannot ? `not done: ${r.error.message}` : failureText(r.error, system),
        failed: !cannot,
      });
    } else if (r.status === 'stale')
      rows.push({ ...row, error: `skipped as stale: ${r.reason}`, failed: false });
    else if (r.status === 'skipped')
      rows.push({ ...row, error: `not started: ${r.reason}`, failed: false });
  }
  // A conflict's sources come one by one from the plan; the report joins them into one text.
  for (const a of plan.actions) {
    if (a.type !== 'conflict') continue;
    for (const source of a.sources)
      rows.push({
        key: a.key,
        source,
        error: `not done: ${a.reason}`,
        failed: false,
        keyed: false,
      });
  }
  return rows;
}

/** The file of a source text: `crm.csv row 17` and `customers.yaml:12` name their files. */
export function sourceFile(source: string): string {
  const csv = / row \d+$/.exec(source);
  if (csv !== null) return source.slice(0, csv.index);
  const yaml = /:\d+$/.exec(source);
  return yaml === null ? source : source.slice(0, yaml.index);
}
