/**
 * Whole workflows of the real CLI, as people run them, with the calls counted by the emulator:
 * a saved plan made and then applied, a first import, a few codes in a big account (first
 * contact, then with the account's size remembered), a pull request's `--changed-since` plan,
 * and a plan and its apply back to back under Helcim's rate limits.
 *
 * Every case has its own emulator (a private copy of its account), its own working folder and
 * its own `HELCIM_SYNC_CACHE_DIR`, shared by the processes of that case only (as a user's runs
 * share `~/.cache`): no case profits from another's memory, nor from the developer's.
 */
import type { HelcimCustomer } from '../../src/providers/helcim/fields.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADDRESS_FIELDS, ADDRESS_KINDS, SCALAR_FIELDS } from '../../src/providers/helcim/fields.js';
import { DEFAULT_RATE_LIMIT } from '../../src/emulator/rate-limit.js';
import { benchFiles, generateCustomers } from '../generate.js';
import type { Figures, Scenario } from '../measure.js';
import {
  CLI,
  EMULATOR_TOKEN,
  runMeasured,
  startEmulatorProcess,
  type EmulatorProcess,
  type EmulatorProcessOptions,
  type Measured,
} from '../process.js';
import { accountCustomers, differing, remoteStateFile, scratchCopy } from '../remote-state.js';
import { minimumCalls } from './api-calls.js';
import { planSummary } from './plan-100k.js';

/** Under limits, a minute of the emulator (and of the CLI's pacing) lasts one real second. */
const TIME_SCALE = 60;
const LIMITS_OFF: readonly string[] = ['--rate-limit', 'off'];

// ---------------------------------------------------------------------------------------------
// The minimums, from first principles (see `minimumCalls` in api-calls.ts for the reading rule).

/**
 * Reading `records` records of an account of `account` customers: the cheaper of listing the
 * account (floor(n/100) + 1 pages) and one call per record (a lookup by code, a read by id).
 */
export function readCalls(records: number, account: number): number {
  return minimumCalls(records, account, 0);
}

/**
 * `plan FILE --out plan.json`, then `apply plan.json`: the plan reads the `desired` records; the
 * apply, in another process and maybe days later, must re-read the records it touches before
 * writing (a saved plan never overwrites a change made since, nor creates a code taken since),
 * which costs the cheaper of a listing and one read per touched record; then one write per
 * change (no batch endpoint). The account has not changed between the two reads.
 */
export function savedPlanMinimum(desired: number, account: number, changes: number): number {
  return readCalls(desired, account) + readCalls(changes, account) + changes;
}

// ---------------------------------------------------------------------------------------------
// Files

interface Column {
  header: string;
  value(customer: HelcimCustomer): string | undefined;
}

/** The columns `bench/generate.ts` writes, in its order: a CSV the loader reads without config. */
const COLUMNS: readonly Column[] = [
  ...SCALAR_FIELDS.map((field) => ({ header: field, value: (c: HelcimCustomer) => c[field] })),
  ...ADDRESS_KINDS.flatMap((kind) =>
    ADDRESS_FIELDS.map((field) => ({
      header: `${kind}.${field}`,
      value: (c: HelcimCustomer) => c[kind]?.[field],
    })),
  ),
];

function csvCell(value: string | undefined): string {
  if (value === undefined) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function writeCsv(path: string, customers: readonly HelcimCustomer[]): string {
  const lines = [COLUMNS.map((c) => c.header).join(',')];
  for (const customer of customers)
    lines.push(COLUMNS.map((c) => csvCell(c.value(customer))).join(','));
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

// ---------------------------------------------------------------------------------------------
// Accounts and runs

interface Account {
  url: string;
  /** The CLI's working folder (its files, saved plans); a git clone in `changed-since`. */
  work: string;
  /** The case's HELCIM_SYNC_CACHE_DIR. */
  cache: string;
  /** Calls the emulator has answered so far (429s included), by its own stats. */
  calls(): Promise<number>;
  /** 429s the emulator sent: refused by its limits, plus injected ones (none are configured). */
  http429(): Promise<number>;
}

/**
 * Runs `body` against an emulator holding a private copy of `state`, with a fresh working folder
 * and cache folder; removes all three afterwards.
 */
async function withAccount<T>(
  tag: string,
  state: string,
  options: Omit<EmulatorProcessOptions, 'state'>,
  body: (account: Account) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `helcim-sync-workflows-${tag}-`));
  const copy = scratchCopy(state, `workflows-${tag}`);
  let emulator: EmulatorProcess | undefined;
  try {
    emulator = await startEmulatorProcess({ ...options, state: copy });
    const running = emulator;
    const work = join(dir, 'work');
    mkdirSync(work);
    return await body({
      url: running.url,
      work,
      cache: join(dir, 'cache'),
      calls: async () => (await running.stats()).totalRequests,
      http429: async () => {
        const stats = await running.stats();
        return stats.rateLimited + (stats.faults['429'] ?? 0);
      },
    });
  } finally {
    await emulator?.stop();
    rmSync(copy, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helcim-sync ARGS...` in the account's working folder, with its cache; must exit 0. */
async function helcimSync(account: Account, args: readonly string[]): Promise<Measured> {
  const run = await runMeasured(
    [CLI, ...args],
    {
      HELCIM_API_URL: account.url,
      HELCIM_API_TOKEN: EMULATOR_TOKEN,
      HELCIM_SYNC_CACHE_DIR: account.cache,
    },
    { cwd: account.work },
  );
  if (run.code !== 0) {
    const said = run.stderr.trim() === '' ? run.stdout : run.stderr;
    throw new Error(
      `helcim-sync ${args[0] ?? ''} exited ${String(run.code)}: ${said.slice(-1500)}`,
    );
  }
  return run;
}

interface Changes {
  create: number;
  update: number;
}

function expectPlan(stdout: string, expected: Changes): void {
  const found = planSummary(stdout);
  if (found?.create !== expected.create || found.update !== expected.update)
    throw new Error(
      `the plan has ${found === undefined ? 'no summary' : `${found.create} creates and ${found.update} updates`}, expected ${expected.create} and ${expected.update}`,
    );
}

function expectApplied(stdout: string, expected: Changes): void {
  const found = /^Apply complete: (\d+) created, (\d+) updated, 0 stale, 0 failed\.$/m.exec(stdout);
  if (Number(found?.[1]) !== expected.create || Number(found?.[2]) !== expected.update)
    throw new Error(
      `the apply reported ${found?.[0] ?? 'no summary'}, expected ${expected.create} created and ${expected.update} updated`,
    );
}

type CaseResult = Figures & { pass: boolean };

/** One case; an error is reported as the case's `error` figure, and the other cases still run. */
async function runCase(name: string, body: () => Promise<CaseResult>): Promise<CaseResult> {
  try {
    return await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`workflows: ${name} failed: ${message}\n`);
    return { [`${name}.error`]: message.split('\n')[0] ?? message, pass: false };
  }
}

// ---------------------------------------------------------------------------------------------
// Cases

interface SavedPlanRun {
  calls: number;
  planCalls: number;
  http429: number;
  /** Real time from the plan's spawn to the apply's exit. */
  spanMs: number;
}

/** `plan FILE --out plan.json`, then `apply plan.json --auto-approve`: two processes. */
async function savedPlanWorkflow(
  tag: string,
  state: string,
  desired: string,
  expected: Changes,
  limited: boolean,
): Promise<SavedPlanRun> {
  // The emulator's default limits (Helcim's), given explicitly: the helper turns them off.
  const { concurrent, perMinute, perHour } = DEFAULT_RATE_LIMIT;
  const emulatorOptions: Omit<EmulatorProcessOptions, 'state'> = limited
    ? { rateLimit: `${concurrent}/${perMinute}/${perHour}`, timeScale: TIME_SCALE }
    : {};
  // Under limits the CLI keeps its default (Helcim's), at the emulator's time scale.
  const flags = limited ? ['--time-scale', String(TIME_SCALE)] : LIMITS_OFF;
  return withAccount(tag, state, emulatorOptions, async (account) => {
    const saved = join(account.work, 'plan.json');
    const start = performance.now();
    const plan = await helcimSync(account, ['plan', desired, '--out', saved, ...flags]);
    expectPlan(plan.stdout, expected);
    const planCalls = await account.calls();
    const apply = await helcimSync(account, ['apply', saved, '--auto-approve', ...flags]);
    const spanMs = Math.round(performance.now() - start);
    expectApplied(apply.stdout, expected);
    return { calls: await account.calls(), planCalls, http429: await account.http429(), spanMs };
  });
}

/**
 * `saved-plan-130`, `saved-plan-10k`: an account, the same customers in a file, every `every`th
 * of them different; `exact`: the calls must equal the minimum (else at most it).
 */
async function savedPlanCase(
  name: string,
  count: number,
  every: number,
  exact: boolean,
): Promise<CaseResult> {
  const state = await remoteStateFile(count, every);
  const { csv } = await benchFiles(count);
  const changes = differing(count, every);
  const run = await savedPlanWorkflow(name, state, csv, { create: 0, update: changes }, false);
  const minimum = savedPlanMinimum(count, count, changes);
  return savedPlanFigures(name, run, minimum, exact ? run.calls === minimum : run.calls <= minimum);
}

/** A saved-plan workflow's figures: its calls against the minimum, and the plan's own share. */
function savedPlanFigures(
  name: string,
  run: { calls: number; planCalls: number },
  minimum: number,
  pass: boolean,
): CaseResult {
  return {
    [`${name}.calls`]: run.calls,
    [`${name}.minimumCalls`]: minimum,
    [`${name}.planCalls`]: run.planCalls,
    [`${name}.pass`]: pass,
    pass,
  };
}

const IMPORT_ACCOUNT = 30;
const IMPORT_NEW = 100;

/** `first-import-30`: 100 customers, none of them in the account (30 others), saved plan. */
async function firstImportCase(files: string): Promise<CaseResult> {
  const name = 'first-import-30';
  const state = await remoteStateFile(IMPORT_ACCOUNT);
  // The generated customers after the account's: codes the account does not hold.
  const fresh = generateCustomers(IMPORT_ACCOUNT + IMPORT_NEW).slice(IMPORT_ACCOUNT);
  const desired = writeCsv(join(files, 'import-100.csv'), fresh);
  const run = await savedPlanWorkflow(
    name,
    state,
    desired,
    { create: IMPORT_NEW, update: 0 },
    false,
  );
  const minimum = savedPlanMinimum(IMPORT_NEW, IMPORT_ACCOUNT, IMPORT_NEW);
  return savedPlanFigures(name, run, minimum, run.calls <= minimum);
}

const BIG_ACCOUNT = 50_000;
/** Existing customers in the file, each different from the account (every 100th differs). */
const BIG_EXISTING = 50;
const BIG_NEW = 100;

/**
 * `few-of-50k`: 150 codes in a 50,000-customer account, 50 existing (all different, so 50
 * updates) and 100 new (100 creates), `apply FILE --auto-approve` (plan + apply, one process):
 * at first contact, and after an earlier `plan --fetch list` of the same account (uncounted) has
 * left its size in the case's cache folder.
 */
async function fewOfBigCase(files: string): Promise<CaseResult> {
  const name = 'few-of-50k';
  const state = await remoteStateFile(BIG_ACCOUNT);
  const generated = generateCustomers(BIG_ACCOUNT + BIG_NEW);
  const existing = Array.from({ length: BIG_EXISTING }, (_, i) => i * 100).flatMap((i) => {
    const customer = generated[i];
    return customer === undefined ? [] : [customer];
  });
  const desired = writeCsv(join(files, 'few-of-50k.csv'), [
    ...existing,
    ...generated.slice(BIG_ACCOUNT),
  ]);
  const expected = { create: BIG_NEW, update: BIG_EXISTING };
  const codes = BIG_EXISTING + BIG_NEW;
  const applyArgs = ['apply', desired, '--auto-approve', ...LIMITS_OFF];
  const first = await withAccount(`${name}-first`, state, {}, async (account) => {
    expectApplied((await helcimSync(account, applyArgs)).stdout, expected);
    return account.calls();
  });
  const remembered = await withAccount(`${name}-remembered`, state, {}, async (account) => {
    const listed = await helcimSync(account, ['plan', desired, '--fetch', 'list', ...LIMITS_OFF]);
    expectPlan(listed.stdout, expected);
    const before = await account.calls();
    expectApplied((await helcimSync(account, applyArgs)).stdout, expected);
    return (await account.calls()) - before;
  });
  const minimum = minimumCalls(codes, BIG_ACCOUNT, codes);
  const pass = remembered === minimum;
  return {
    [`${name}.first.calls`]: first,
    [`${name}.first.minimumCalls`]: minimum,
    [`${name}.remembered.calls`]: remembered,
    [`${name}.remembered.minimumCalls`]: minimum,
    [`${name}.pass`]: pass,
    pass,
  };
}

const CHANGED_ACCOUNT = 10_000;
/** The records edited after the commit (none a multiple of 100, so none differs already). */
const EDITED: readonly number[] = [17, 7_777];

function git(cwd: string, args: readonly string[]): void {
  execFileSync(
    'git',
    [
      '-c',
      'user.name=helcim-sync bench',
      '-c',
      'user.email=bench@example.invalid',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    { cwd, stdio: 'pipe' },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) at = isRecord(at) ? at[key] : undefined;
  return at;
}

/**
 * `changed-since`: a clone whose committed file matches the 10,000-customer account exactly;
 * two records edited since; `plan FILE --changed-since HEAD --json`.
 */
async function changedSinceCase(): Promise<CaseResult> {
  const name = 'changed-since';
  const state = await remoteStateFile(CHANGED_ACCOUNT);
  const customers = accountCustomers(CHANGED_ACCOUNT);
  const calls = await withAccount(name, state, {}, async (account) => {
    const file = writeCsv(join(account.work, 'customers.csv'), customers);
    git(account.work, ['init', '-q']);
    git(account.work, ['add', 'customers.csv']);
    git(account.work, ['commit', '-q', '-m', 'the account as it is']);
    const edited = customers.map((customer, i) =>
      EDITED.includes(i)
        ? { ...customer, contactName: `${customer.contactName ?? ''} Jr` }
        : customer,
    );
    writeCsv(file, edited);
    const run = await helcimSync(account, [
      'plan',
      'customers.csv',
      '--changed-since',
      'HEAD',
      '--json',
      ...LIMITS_OFF,
    ]);
    const plan: unknown = JSON.parse(run.stdout);
    const updates = field(plan, 'summary', 'update');
    const creates = field(plan, 'summary', 'create');
    const unchanged = field(plan, 'changedSince', 'unchanged');
    if (
      updates !== EDITED.length ||
      creates !== 0 ||
      unchanged !== customers.length - EDITED.length
    )
      throw new Error(
        `the plan has ${String(creates)} creates, ${String(updates)} updates and ${String(unchanged)} records unchanged since HEAD; expected 0, ${EDITED.length} and ${customers.length - EDITED.length}`,
      );
    return account.calls();
  });
  // A plan only: reading the edited records, no write.
  const minimum = readCalls(EDITED.length, CHANGED_ACCOUNT);
  const pass = calls === minimum;
  return {
    [`${name}.calls`]: calls,
    [`${name}.minimumCalls`]: minimum,
    [`${name}.pass`]: pass,
    pass,
  };
}

/**
 * `plan-then-apply-429`: the saved-plan workflow on 1,000 customers, 100 of them changed, with
 * Helcim's limits on both sides, at `--time-scale 60`, the apply started as soon as the plan
 * exits: its 11 + 11 + 100 calls are more than a minute's 100, so the apply must know what the
 * plan, another process, has just spent.
 */
async function underLimitsCase(): Promise<CaseResult> {
  const name = 'plan-then-apply-429';
  const count = 1000;
  const every = 10;
  const changes = differing(count, every);
  const run = await savedPlanWorkflow(
    name,
    await remoteStateFile(count, every),
    (await benchFiles(count)).csv,
    { create: 0, update: changes },
    true,
  );
  const minimum = savedPlanMinimum(count, count, changes);
  const pass = run.http429 === 0 && run.calls <= minimum;
  return {
    [`${name}.calls`]: run.calls,
    [`${name}.minimumCalls`]: minimum,
    [`${name}.http429`]: run.http429,
    [`${name}.spanMs`]: run.spanMs,
    [`${name}.pass`]: pass,
    pass,
  };
}

export const workflows: Scenario = {
  name: 'workflows',
  goal: 'calls of whole CLI workflows <= the minimum the API allows: saved plan 130 (<= 14) and 10k (== 1,202), first import (<= 102), 150 codes of 50k with the size remembered (== 300), --changed-since of 2 edits (== 2); plan then apply of 1,000 under limits: no 429',
  async run() {
    const files = mkdtempSync(join(tmpdir(), 'helcim-sync-workflows-files-'));
    try {
      const results = [
        await runCase('saved-plan-130', () => savedPlanCase('saved-plan-130', 130, 13, false)),
        await runCase('saved-plan-10k', () => savedPlanCase('saved-plan-10k', 10_000, 10, true)),
        await runCase('first-import-30', () => firstImportCase(files)),
        await runCase('few-of-50k', () => fewOfBigCase(files)),
        await runCase('changed-since', () => changedSinceCase()),
        await runCase('plan-then-apply-429', () => underLimitsCase()),
      ];
      let figures: Figures = {};
      for (const { pass: _pass, ...caseFigures } of results)
        figures = { ...figures, ...caseFigures };
      return { ...figures, pass: results.every((r) => r.pass) };
    } finally {
      rmSync(files, { recursive: true, force: true });
    }
  },
};
