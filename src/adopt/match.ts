/**
 * Adoption, the pure part: which remote customer each desired record without a code is. The
 * same rules as the planner (match key compared without letter case), and the same refusal to
 * guess: two candidates, or one candidate claimed twice, is a conflict for a person to settle.
 * The identity written is the provider's (Helcim's customerCode, Payment Kit's did) unless the
 * caller names another identifier of the provider (Payment Kit's id).
 */
import { textOf, type RemoteCustomer } from '../core/customer.js';
import type { DesiredCustomer } from '../desired/index.js';
import { getField } from '../core/fields.js';
import type { ProviderInfo } from '../providers/types.js';
import { identityKey } from '../core/identity.js';

export type Adoption =
  | { kind: 'adopt'; customer: DesiredCustomer; code: string; remoteId: string }
  | { kind: 'conflict'; customer: DesiredCustomer; reason: string; codes: string[] }
  | { kind: 'new'; customer: DesiredCustomer };

export interface AdoptionPlan {
  adoptions: Adoption[];
  /** Records that have a code already: left alone. */
  withCode: number;
}

/** How messages name `identity`: the provider's own word for its identity (`code`, `DID`). */
export function identityWord(provider: ProviderInfo, identity: string): string {
  return identity === provider.fields.identity ? provider.fields.identityLabel : identity;
}

/**
 * Matches the records without `identity` (default: the provider's identity); both sides already
 * normalised.
 */
export function planAdoption(
  desired: readonly DesiredCustomer[],
  remote: readonly RemoteCustomer[],
  matchKey: string,
  provider: ProviderInfo,
  identity: string = provider.fields.identity,
): AdoptionPlan {
  const fields = provider.fields;
  const system = provider.displayName;
  const word = identityWord(provider, identity);
  const codeOf = (r: RemoteCustomer): string => textOf(r[identity]) ?? '';
  // Other identifiers a record may already hold (a Payment Kit id when the DID is written): the
  // planner refuses a record whose identifier is not its match's, so adopt must not write one in.
  const otherIds = fields.exactKeys.filter((k) => k !== identity && k !== matchKey);
  const byKey = new Map<string, RemoteCustomer[]>();
  for (const r of remote) {
    const key = identityKey(fields, matchKey, getField(r, matchKey));
    if (key === undefined) continue;
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [r]);
    else list.push(r);
  }
  // A code already written in the files belongs to that record; giving it to another would
  // make two records claim one customer.
  const codesInFiles = new Map<string, DesiredCustomer>();
  let withCode = 0;
  for (const d of desired) {
    const code = textOf(d.data[identity]);
    if (code === undefined) continue;
    withCode++;
    codesInFiles.set(code, d);
  }
  const adoptions: Adoption[] = [];
  const claimed = new Map<string, Adoption & { kind: 'adopt' }>();
  for (const d of desired) {
    if (d.data[identity] !== undefined) continue;
    const key = identityKey(fields, matchKey, getField(d.data, matchKey));
    const candidates = key === undefined ? [] : (byKey.get(key) ?? []);
    const first = candidates[0];
    if (first === undefined) {
      adoptions.push({ kind: 'new', customer: d });
      continue;
    }
    const codes = candidates.map(codeOf).sort();
    if (candidates.length > 1) {
      adoptions.push({
        kind: 'conflict',
        customer: d,
        reason: `${candidates.length} customers in ${system} have ${matchKey} ${getField(d.data, matchKey) ?? ''}: ${codes.join(', ')}`,
        codes,
      });
      continue;
    }
    const firstCode = codeOf(first);
    if (firstCode === '') {
      const reason = `its match in ${system} (id ${first.id}) has no ${identity} to write`;
      adoptions.push({ kind: 'conflict', customer: d, reason, codes });
      continue;
    }
    const clash = otherIds.find((k) => {
      const mine = textOf(d.data[k]);
      return mine !== undefined && mine !== textOf(first[k]);
    });
    if (clash !== undefined) {
      const theirs = textOf(first[clash]) ?? 'none';
      const reason = `its ${clash} is ${textOf(d.data[clash]) ?? ''}, but its match in ${system} (${firstCode}) has ${theirs}`;
      adoptions.push({ kind: 'conflict', customer: d, reason, codes });
      continue;
    }
    if (codesInFiles.has(firstCode)) {
      adoptions.push({
        kind: 'conflict',
        customer: d,
        reason: `its match ${firstCode} is already the ${word} of another record`,
        codes,
      });
      continue;
    }
    const earlier = claimed.get(first.id);
    if (earlier !== undefined) {
      const reason = `matches the same customer (${firstCode}) as another record`;
      adoptions.push({ kind: 'conflict', customer: d, reason, codes });
      const index = adoptions.indexOf(earlier);
      adoptions[index] = { kind: 'conflict', customer: earlier.customer, reason, codes };
      continue;
    }
    const adoption = {
      kind: 'adopt' as const,
      customer: d,
      code: firstCode,
      remoteId: first.id,
    };
    claimed.set(first.id, adoption);
    adoptions.push(adoption);
  }
  return { adoptions, withCode };
}
