import { createHash } from 'node:crypto';
import { InputError } from '../core/errors.js';
import { isProviderName, providerInfo } from '../providers/index.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlanAction } from './types.js';

/**
 * A saved plan (`plan --out plan.json`): the plan, where it was made, and a checksum so that a
 * truncated or hand-edited file is refused instead of applied.
 */
export interface SavedPlan {
  version: typeof PLAN_FORMAT_VERSION;
  kind: 'helcim-sync-plan';
  /** The API the plan was made against; apply refuses to run it against another. */
  target: string;
  checksum: string;
  plan: Plan;
}

function checksumOf(target: string, plan: Plan): string {
  return `sha256:${createHash('sha256').update(target).update('\n').update(JSON.stringify(plan)).digest('hex')}`;
}

export function serializePlan(plan: Plan, target: string): string {
  const saved: SavedPlan = {
    version: PLAN_FORMAT_VERSION,
    kind: 'helcim-sync-plan',
    target,
    checksum: checksumOf(target, plan),
    plan,
  };
  return JSON.stringify(saved, null, 2) + '\n';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ACTION_TYPES = new Set(['create', 'update', 'unchanged', 'remote-only', 'conflict']);

function isPlan(value: unknown): value is Plan {
  if (!isRecord(value) || value['version'] !== PLAN_FORMAT_VERSION) return false;
  const provider = value['provider'];
  if (!isProviderName(provider) || typeof value['matchKey'] !== 'string') return false;
  if (!isRecord(value['summary']) || !isRecord(value['cost']) || !isRecord(value['fetch']))
    return false;
  const actions = value['actions'];
  const identity = providerInfo(provider).fields.identity;
  return Array.isArray(actions) && actions.every((a) => isAction(a, identity));
}

/** A create carries the identity it creates: the re-check before the write looks it up. */
function isAction(value: unknown, identity: string): value is PlanAction {
  if (!isRecord(value) || typeof value['type'] !== 'string' || !ACTION_TYPES.has(value['type']))
    return false;
  if (typeof value['key'] !== 'string') return false;
  if (value['type'] === 'create')
    return isRecord(value['payload']) && typeof value['payload'][identity] === 'string';
  if (value['type'] === 'update') {
    return (
      typeof value['remoteId'] === 'string' &&
      typeof value['fingerprint'] === 'string' &&
      isRecord(value['payload']) &&
      Array.isArray(value['changes'])
    );
  }
  return true;
}

/** Reads a saved plan, refusing anything it cannot vouch for, with a message that says why. */
export function parseSavedPlan(text: string, file: string): SavedPlan {
  const fail = (
    message: string,
    hint = `make a new plan: helcim-sync plan --out ${file}`,
  ): never => {
    throw new InputError(`${file}: ${message}`, { code: 'ERR_PLAN', hint });
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fail(`not a saved plan: the JSON does not parse (${detail}); the file may be truncated`);
  }
  if (!isRecord(raw) || raw['kind'] !== 'helcim-sync-plan') {
    return fail(
      'not a saved plan: it lacks "kind": "helcim-sync-plan" (was it written by "helcim-sync plan --out"?)',
    );
  }
  if (raw['version'] !== PLAN_FORMAT_VERSION) {
    return fail(
      `saved plan format version ${JSON.stringify(raw['version'])} is not supported (this helcim-sync reads version ${PLAN_FORMAT_VERSION})`,
    );
  }
  const { target, checksum, plan } = raw;
  if (typeof target !== 'string' || typeof checksum !== 'string' || !isPlan(plan)) {
    return fail('the saved plan is incomplete or malformed');
  }
  if (checksumOf(target, plan) !== checksum) {
    return fail(
      'the saved plan was changed after it was saved (checksum mismatch); a plan is applied exactly as made or not at all',
    );
  }
  return { version: PLAN_FORMAT_VERSION, kind: 'helcim-sync-plan', target, checksum, plan };
}
