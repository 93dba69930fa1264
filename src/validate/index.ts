/**
 * Validation: raw records in, desired customers and problems out. Schema first (structure,
 * unknown fields), then the domain rules on the normalised record, then identity across all
 * records. Every problem is reported; a record with an error is rejected, the others go ahead.
 */
import { CsvRecord, recordIssues } from '../load/csv-record.js';
import { formatPlace } from '../load/types.js';
import type { Place, Problem, RawRecord } from '../load/types.js';
import { DEFAULT_PROVIDER, providerInfo } from '../providers/index.js';
import { emptyPaths, identityOf, nullMapKeys, withoutIgnored } from './fields.js';
import { identityKey } from '../core/identity.js';
import type { FieldList } from '../core/fields.js';
import { countryNoteProblems } from './context.js';
import type { CountryNotes, RuleContext } from './context.js';
import type { ValidateFunction } from 'ajv';
import { schemaProblems, validator } from './schema.js';
import type {
  DesiredCustomer,
  RejectedRecord,
  ValidateOptions,
  ValidationResult,
} from './types.js';

export type {
  DesiredCustomer,
  RejectedRecord,
  ValidateOptions,
  ValidationResult,
} from './types.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NO_PATHS: ReadonlySet<string> = new Set();

/**
 * One pass over the records. The loop allocates nothing for a clean record beyond its
 * DesiredCustomer: problems go to a scratch list first and are kept only when there are some.
 */
export function validateRecords(
  records: readonly RawRecord[],
  options: ValidateOptions = {},
): ValidationResult {
  const provider = providerInfo(options.provider ?? DEFAULT_PROVIDER);
  const fields = provider.fields;
  const matchKey = options.matchKey ?? fields.identity;
  const ignore = options.ignore ?? [];
  const clearEmpty = options.emptyCells === 'clear';
  const hasMaps = fields.fields.some((f) => f.kind === 'map');
  // Compiled on first use: CSV rows never need it, and compiling costs ~100 ms per process.
  let check: ValidateFunction | undefined;
  const notes: CountryNotes = new Map();
  const candidates: DesiredCustomer[] = [];
  const problemsOf = new Map<number, Problem[]>();
  const firstWithKey = new Map<string, number>();
  const scratch: Problem[] = [];
  const ctx: RuleContext = { record: undefined, raw: {}, out: scratch, notes, skip: NO_PATHS };
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record === undefined) continue;
    scratch.length = 0;
    const candidate: DesiredCustomer = { key: '', data: {}, place: record.place, record };
    candidates.push(candidate);
    const issues = recordIssues(record);
    const value = record.value;
    if (issues.length > 0) {
      problemsOf.set(i, [...issues]);
      continue;
    }
    if (!isPlainObject(value)) {
      problemsOf.set(i, [notAMapping(record, fields)]);
      continue;
    }
    const raw = ignore.length === 0 ? value : withoutIgnored(value, ignore);
    ctx.skip = NO_PATHS;
    // A CSV row's shape comes from its header's column plan, already checked against the field
    // list: only YAML (or other) records can have unknown fields or non-text values.
    if (!(record instanceof CsvRecord && record.shaped)) {
      check ??= validator(`${provider.schema}#/definitions/customer`);
      if (!check(raw)) {
        const found = schemaProblems(check.errors ?? [], (path) => record.locate(path));
        ctx.skip = new Set(found.map((p) => p.path ?? ''));
        for (const p of found) scratch.push(p);
      }
    }
    const data = provider.normalize(raw);
    candidate.data = data;
    ctx.record = record;
    ctx.raw = raw;
    provider.check(ctx, data);
    if (clearEmpty) {
      const clear = emptyPaths(fields, raw);
      if (clear.length > 0) candidate.clear = clear;
    } else if (hasMaps) {
      // A map's key is the person's own: written as null, it is removed (kubectl's rule for
      // the keys a file owns), whatever emptyCells says about fields.
      const removed = nullMapKeys(fields, raw);
      if (removed.length > 0) candidate.clear = removed;
    }
    const key = identityOf(data, matchKey);
    if (key === undefined) {
      if (!ctx.skip.has(matchKey))
        scratch.push(missingIdentity(record, matchKey, fields, provider.canCreate));
    } else {
      candidate.key = key;
      const same = identityKey(fields, matchKey, key) ?? key;
      const first = firstWithKey.get(same);
      if (first === undefined) firstWithKey.set(same, i);
      else flagDuplicate(candidates, problemsOf, first, i, matchKey, scratch);
    }
    if (scratch.length > 0) problemsOf.set(i, [...(problemsOf.get(i) ?? []), ...scratch]);
  }
  return assemble(candidates, problemsOf, notes);
}

function notAMapping(record: RawRecord, fields: FieldList): Problem {
  return {
    severity: 'error',
    code: 'not-a-mapping',
    message: `a customer must be a mapping of fields (${fields.identity}: ..., ${fields.fields[1]?.name ?? 'name'}: ...)`,
    place: record.place,
  };
}

function missingIdentity(
  record: RawRecord,
  matchKey: string,
  fields: FieldList,
  canCreate: boolean,
): Problem {
  return {
    severity: 'error',
    code: 'missing-identity',
    message: `${matchKey}: missing; it identifies the customer, so every record needs one`,
    place: record.locate(matchKey),
    path: matchKey,
    hint:
      matchKey !== fields.identity
        ? `fill in ${matchKey}`
        : canCreate
          ? `add a ${matchKey}, or set \`matchKey\` in helcim-sync.yaml (e.g. ${fields.matchKeyExample})`
          : // Every record of a provider that cannot create must name its customer in the end:
            // `adopt` is how a spreadsheet without identities gets them.
            `add a ${matchKey} (helcim-sync adopt writes them in, matching by ${fields.matchKeyExample}), or set \`matchKey\` in helcim-sync.yaml (e.g. ${fields.matchKeyExample})`,
  };
}

/** Reports a duplicate at both places: here, and once at the first record with the key. */
function flagDuplicate(
  candidates: readonly DesiredCustomer[],
  problemsOf: Map<number, Problem[]>,
  first: number,
  here: number,
  matchKey: string,
  scratch: Problem[],
): void {
  const a = candidates[first];
  const b = candidates[here];
  if (a === undefined || b === undefined) return;
  const placeA = a.record.locate(matchKey);
  const placeB = b.record.locate(matchKey);
  scratch.push(duplicate(b.key, matchKey, placeB, placeA));
  const earlier = problemsOf.get(first) ?? [];
  if (!earlier.some((p) => p.code === 'duplicate-identity')) {
    earlier.push(duplicate(a.key, matchKey, placeA, placeB));
    problemsOf.set(first, earlier);
  }
}

function duplicate(key: string, matchKey: string, place: Place, other: Place): Problem {
  return {
    severity: 'error',
    code: 'duplicate-identity',
    message: `${matchKey}: ${JSON.stringify(key)} is used by more than one record (also at ${formatPlace(other)})`,
    place,
    path: matchKey,
    hint: 'each customer must appear once; merge or remove the duplicates',
  };
}

function assemble(
  candidates: readonly DesiredCustomer[],
  problemsOf: ReadonlyMap<number, Problem[]>,
  notes: CountryNotes,
): ValidationResult {
  const customers: DesiredCustomer[] = [];
  const rejected: RejectedRecord[] = [];
  const problems: Problem[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i];
    if (candidate === undefined) continue;
    const found = problemsOf.get(i);
    if (found === undefined) {
      customers.push(candidate);
      continue;
    }
    for (const p of found) problems.push(p);
    const errors = found.filter((p) => p.severity === 'error');
    if (errors.length > 0) rejected.push({ record: candidate.record, problems: errors });
    else customers.push(candidate);
  }
  for (const p of countryNoteProblems(notes)) problems.push(p);
  return { customers, problems, rejected };
}
