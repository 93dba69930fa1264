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
import type { ProviderInfo } from '../providers/types.js';
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
  const validation = new Validation(options);
  validation.add(records);
  return validation.finish();
}

/**
 * `validateRecords` fed a chunk of records at a time (a big CSV file as it is parsed), and asked
 * for the valid customers of the chunks so far (`takeValid`): the records of a chunk taken, and
 * the customers made of them, are then the caller's to keep or drop, so 100,000 records need
 * not all be alive at once. Identity is still checked across every record: a record whose key
 * an earlier, already taken record has makes `lostFirst` true, since that first record should
 * have been rejected too and its customer has already gone; the caller then validates again
 * from scratch. Without `takeValid`, the same result as `validateRecords` on all the records.
 */
export class Validation {
  readonly #provider: ProviderInfo;
  readonly #fields: FieldList;
  readonly #matchKey: string;
  readonly #ignore: readonly string[];
  readonly #clearEmpty: boolean;
  readonly #hasMaps: boolean;
  // Compiled on first use: CSV rows never need it, and compiling costs ~100 ms per process.
  #check: ValidateFunction | undefined;
  readonly #notes: CountryNotes = new Map();
  /** Records not yet taken, from index `#base` on. */
  #candidates: DesiredCustomer[] = [];
  #base = 0;
  readonly #problemsOf = new Map<number, Problem[]>();
  readonly #firstWithKey = new Map<string, number>();
  readonly #scratch: Problem[] = [];
  readonly #ctx: RuleContext;
  /** Problems and rejected records of the chunks taken, in record order. */
  readonly #problems: Problem[] = [];
  readonly #rejected: RejectedRecord[] = [];
  #lostFirst = false;

  constructor(options: ValidateOptions = {}) {
    this.#provider = providerInfo(options.provider ?? DEFAULT_PROVIDER);
    this.#fields = this.#provider.fields;
    this.#matchKey = options.matchKey ?? this.#fields.identity;
    this.#ignore = options.ignore ?? [];
    this.#clearEmpty = options.emptyCells === 'clear';
    this.#hasMaps = this.#fields.fields.some((f) => f.kind === 'map');
    this.#ctx = {
      record: undefined,
      raw: {},
      out: this.#scratch,
      notes: this.#notes,
      skip: NO_PATHS,
    };
  }

  /** True when a duplicate's first record had already been taken (see the class). */
  get lostFirst(): boolean {
    return this.#lostFirst;
  }

  add(records: readonly RawRecord[]): void {
    for (const record of records) this.#one(record);
  }

  #one(record: RawRecord): void {
    const fields = this.#fields;
    const matchKey = this.#matchKey;
    const scratch = this.#scratch;
    const ctx = this.#ctx;
    const i = this.#base + this.#candidates.length;
    scratch.length = 0;
    const candidate: DesiredCustomer = { key: '', data: {}, place: record.place, record };
    this.#candidates.push(candidate);
    const issues = recordIssues(record);
    const value = record.value;
    if (issues.length > 0) {
      this.#problemsOf.set(i, [...issues]);
      return;
    }
    if (!isPlainObject(value)) {
      this.#problemsOf.set(i, [notAMapping(record, fields)]);
      return;
    }
    const raw = this.#ignore.length === 0 ? value : withoutIgnored(value, this.#ignore);
    ctx.skip = NO_PATHS;
    // A CSV row's shape comes from its header's column plan, already checked against the field
    // list: only YAML (or other) records can have unknown fields or non-text values.
    if (!(record instanceof CsvRecord && record.shaped)) {
      this.#check ??= validator(`${this.#provider.schema}#/definitions/customer`);
      const check = this.#check;
      if (!check(raw)) {
        const found = schemaProblems(check.errors ?? [], (path) => record.locate(path));
        ctx.skip = new Set(found.map((p) => p.path ?? ''));
        for (const p of found) scratch.push(p);
      }
    }
    const data = this.#provider.normalize(raw);
    candidate.data = data;
    ctx.record = record;
    ctx.raw = raw;
    this.#provider.check(ctx, data);
    if (this.#clearEmpty) {
      const clear = emptyPaths(fields, raw);
      if (clear.length > 0) candidate.clear = clear;
    } else if (this.#hasMaps) {
      // A map's key is the person's own: written as null, it is removed (kubectl's rule for
      // the keys a file owns), whatever emptyCells says about fields.
      const removed = nullMapKeys(fields, raw);
      if (removed.length > 0) candidate.clear = removed;
    }
    const key = identityOf(data, matchKey);
    if (key === undefined) {
      if (!ctx.skip.has(matchKey))
        scratch.push(missingIdentity(record, matchKey, fields, this.#provider.canCreate));
    } else {
      candidate.key = key;
      const same = identityKey(fields, matchKey, key) ?? key;
      const first = this.#firstWithKey.get(same);
      if (first === undefined) this.#firstWithKey.set(same, i);
      else if (first < this.#base) this.#lostFirst = true;
      else this.#flagDuplicate(first, i, scratch);
    }
    if (scratch.length > 0)
      this.#problemsOf.set(i, [...(this.#problemsOf.get(i) ?? []), ...scratch]);
  }

  /** Reports a duplicate at both places: here, and once at the first record with the key. */
  #flagDuplicate(first: number, here: number, scratch: Problem[]): void {
    const a = this.#candidates[first - this.#base];
    const b = this.#candidates[here - this.#base];
    if (a === undefined || b === undefined) return;
    const matchKey = this.#matchKey;
    const placeA = a.record.locate(matchKey);
    const placeB = b.record.locate(matchKey);
    scratch.push(duplicate(b.key, matchKey, placeB, placeA));
    const earlier = this.#problemsOf.get(first) ?? [];
    if (!earlier.some((p) => p.code === 'duplicate-identity')) {
      earlier.push(duplicate(a.key, matchKey, placeA, placeB));
      this.#problemsOf.set(first, earlier);
    }
  }

  /**
   * The valid customers of the records added since the last call, in order; their problems and
   * the rejected records are kept for `finish`. The records are let go of.
   */
  takeValid(): DesiredCustomer[] {
    const customers: DesiredCustomer[] = [];
    const base = this.#base;
    this.#candidates.forEach((candidate, k) => {
      const found = this.#problemsOf.get(base + k);
      if (found === undefined) {
        customers.push(candidate);
        return;
      }
      this.#problemsOf.delete(base + k);
      for (const p of found) this.#problems.push(p);
      const errors = found.filter((p) => p.severity === 'error');
      if (errors.length > 0) this.#rejected.push({ record: candidate.record, problems: errors });
      else customers.push(candidate);
    });
    this.#base += this.#candidates.length;
    this.#candidates = [];
    return customers;
  }

  /** The customers not yet taken, every problem, every rejected record. */
  finish(): ValidationResult {
    const customers = this.takeValid();
    const problems = this.#problems;
    for (const p of countryNoteProblems(this.#notes)) problems.push(p);
    return { customers, problems, rejected: this.#rejected };
  }
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
