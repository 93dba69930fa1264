/**
 * The apply of a saved plan re-reads what it touches before writing: an update whose record
 * changed since the plan is stale (a person's edit is never overwritten), and so is a create
 * whose code is taken since (created by someone, or by an earlier apply of this very plan).
 * Never rely on the provider refusing a duplicate code: for Helcim that refusal is unverified,
 * and a duplicate customer cannot be deleted.
 *
 * It re-reads the cheaper way the plan stated: one listing before the first write, or one read
 * per record right before its write.
 */
import { textOf, type RemoteCustomer } from '../core/customer.js';
import type { FieldList } from '../core/fields.js';
import { RemoteError } from '../core/errors.js';
import { savedPlanCheck } from '../plan/cost.js';
import { fingerprint } from '../plan/plan.js';
import { providerInfo } from '../providers/index.js';
import type { CreateAction, Plan, SavedPlanCheck, UpdateAction } from '../plan/types.js';
import type { CallOptions, CustomerRemote } from '../remote/port.js';

export interface Recheck {
  readonly strategy: SavedPlanCheck['strategy'];
  /** Why the create must not be sent; undefined when its code is still free. */
  create(action: CreateAction, calls: CallOptions): Promise<string | undefined>;
  /** Why the update must not be sent; undefined when the record is as the plan saw it. */
  update(action: UpdateAction, calls: CallOptions): Promise<string | undefined>;
}

export interface RecheckOptions {
  normalize: (customer: RemoteCustomer) => RemoteCustomer;
  /** Cancels the listing, which comes before any write. */
  signal?: AbortSignal;
}

/** The plan's stated way, or (a plan saved by an earlier version) one read per record. */
export function recheckStrategy(plan: Plan, remote: Pick<CustomerRemote, 'cost'>): SavedPlanCheck {
  return (
    plan.cost.savedPlanCheck ??
    savedPlanCheck(plan.summary.create + plan.summary.update, undefined, remote.cost)
  );
}

export async function prepareRecheck(
  plan: Plan,
  remote: CustomerRemote,
  options: RecheckOptions,
): Promise<Recheck> {
  const provider = providerInfo(plan.provider);
  const why = reasons(provider.displayName, provider.fields.identityLabel);
  return recheckStrategy(plan, remote).strategy === 'list'
    ? listedRecheck(plan, remote, options, why, provider.fields)
    : readRecheck(remote, options, why, provider.fields);
}

/** The identity a create sends: every create carries one (a derived one if need be). */
function identityOf(action: CreateAction, list: FieldList): string {
  return textOf(action.payload[list.identity]) ?? '';
}

function reasons(system: string, label: string) {
  return {
    taken: (code: string, id: string) =>
      `a customer with ${label} ${code} exists in ${system} (id ${id}): created since the plan was made, or by an earlier apply of this plan; plan again`,
    changed: `changed in ${system} since the plan was made; plan again to see the change`,
    gone: `no longer exists in ${system}`,
  };
}

function readRecheck(
  remote: CustomerRemote,
  options: RecheckOptions,
  why: ReturnType<typeof reasons>,
  list: FieldList,
): Recheck {
  return {
    strategy: 'lookup',
    async create(action, calls) {
      const code = identityOf(action, list);
      const found = await remote.findByIdentity(code, calls);
      const first = found[0];
      return first === undefined ? undefined : why.taken(code, first.id);
    },
    async update(action, calls) {
      let current: RemoteCustomer;
      try {
        current = options.normalize(await remote.get(action.remoteId, calls));
      } catch (error) {
        if (error instanceof RemoteError && error.code === 'ERR_REMOTE_NOT_FOUND') return why.gone;
        throw error;
      }
      return fingerprint(list, current) === action.fingerprint ? undefined : why.changed;
    },
  };
}

/** One listing before any write; keeps only the codes and fingerprints the plan asks about. */
async function listedRecheck(
  plan: Plan,
  remote: CustomerRemote,
  options: RecheckOptions,
  why: ReturnType<typeof reasons>,
  list: FieldList,
): Promise<Recheck> {
  const codes = new Map<string, string | undefined>();
  const ids = new Map<string, string | undefined>();
  for (const a of plan.actions) {
    if (a.type === 'create') codes.set(identityOf(a, list), undefined);
    else if (a.type === 'update') ids.set(a.remoteId, undefined);
  }
  const call = options.signal === undefined ? {} : { signal: options.signal };
  const pages = remote.listPages?.(call) ?? once(remote.list(call));
  for await (const page of pages) {
    for (const c of page) {
      const code = textOf(c[list.identity]);
      if (code !== undefined && codes.has(code) && codes.get(code) === undefined)
        codes.set(code, c.id);
      if (ids.has(c.id)) ids.set(c.id, fingerprint(list, options.normalize(c)));
    }
  }
  return {
    strategy: 'list',
    create: async (action) => {
      const code = identityOf(action, list);
      const id = codes.get(code);
      return id === undefined ? undefined : why.taken(code, id);
    },
    update: async (action) => {
      const now = ids.get(action.remoteId);
      if (now === undefined) return why.gone;
      return now === action.fingerprint ? undefined : why.changed;
    },
  };
}

async function* once<T>(value: Promise<T>): AsyncGenerator<T, void, undefined> {
  yield await value;
}
