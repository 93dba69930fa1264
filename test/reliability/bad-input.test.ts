/**
 * The bad-input corpus (test/fixtures/bad/, described by its manifest.json): every broken file
 * exits 1 with its own message at its own place, and nothing is written to Helcim, or to Payment
 * Kit for the cases whose config names it (`"provider": "payment-kit"`: each runs against a
 * Payment Kit emulator). Input files are also run through `validate`, which must not touch the
 * network at all.
 *
 * A CLI run costs about half a second of CPU, so the small size checks every file's message and
 * place in process (the same loader and formatter the CLI uses) and spawns `apply` for a sample
 * across the categories; RELIABILITY=full spawns validate, validate --json, plan and apply for
 * every file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem } from '../../src/cli/problems.js';
import { assertSameTarget } from '../../src/cli/remote.js';
import { loadDesiredState } from '../../src/desired/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { PaymentKitEmulatorStats } from '../../src/providers/payment-kit/emulator/types.js';
import { parseSavedPlan } from '../../src/plan/saved.js';
import { runCli, type CliRun } from '../support/cli.js';
import { FULL, isRecord, show, writesOf } from './support.js';

const CORPUS = fileURLToPath(new URL('../../../test/fixtures/bad/', import.meta.url));

interface Case {
  name: string;
  /** `input`: files and configs (validate, plan, apply); `plan`: a saved plan (apply). */
  kind: 'input' | 'plan';
  /** The corpus files the case reads (a config may name a CSV that args do not). */
  files: string[];
  args: string[];
  exitCode: number;
  /** A regular expression for the message (and its hint). */
  message: string;
  /** Where the message must say the problem is, as printed; null when it names no place. */
  place: string | null;
  /** The provider the case's config names, when it is not Helcim. */
  provider?: 'payment-kit';
}

function isCase(value: unknown): value is Case {
  return (
    isRecord(value) &&
    typeof value['name'] === 'string' &&
    (value['kind'] === 'input' || value['kind'] === 'plan') &&
    Array.isArray(value['files']) &&
    value['files'].every((a) => typeof a === 'string') &&
    Array.isArray(value['args']) &&
    value['args'].every((a) => typeof a === 'string') &&
    typeof value['exitCode'] === 'number' &&
    typeof value['message'] === 'string' &&
    (typeof value['place'] === 'string' || value['place'] === null) &&
    (value['provider'] === undefined || value['provider'] === 'payment-kit')
  );
}

function readManifest(): Case[] {
  const raw: unknown = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8'));
  if (!isRecord(raw) || !Array.isArray(raw['cases'])) throw new Error('manifest: no cases');
  return raw['cases'].map((c: unknown) => {
    if (!isCase(c)) throw new Error(`manifest: malformed case ${JSON.stringify(c)}`);
    return c;
  });
}

const cases = readManifest();

/**
 * The problem as printed: the line that names the place, with the indented hint lines under it.
 * A place must be followed by ": " so that `a.yaml:4:5` does not match `a.yaml:4:55`.
 */
function problemBlock(stderr: string, c: Case): string | undefined {
  const lines = stderr.split('\n');
  const matches = (line: string): boolean =>
    (c.place === null || line.includes(`${c.place}: `)) && /\berror\b/.test(line);
  const blocks: string[] = [];
  lines.forEach((line, i) => {
    if (!matches(line)) return;
    const block = [line];
    for (let j = i + 1; lines[j]?.startsWith('  ') === true; j++) block.push(lines[j] ?? '');
    blocks.push(block.join('\n'));
  });
  return blocks.find((b) => new RegExp(c.message).test(b));
}

/** What the CLI would print for the case, computed in process. */
function inProcess(c: Case, cwd: string): { failed: boolean; stderr: string } {
  if (c.kind === 'plan') {
    const file = c.args[0] ?? '';
    try {
      const saved = parseSavedPlan(readFileSync(join(cwd, file), 'utf8'), file);
      // It parses: then it must be for another API than the test's emulator, which apply refuses.
      assertSameTarget(saved.target, 'http://127.0.0.1:65535/v2', file, saved.plan.provider);
      return { failed: false, stderr: '' };
    } catch (error) {
      return { failed: true, stderr: `error: ${error instanceof Error ? error.message : ''}\n` };
    }
  }
  const config = c.args.indexOf('--config');
  const configPath = config === -1 ? undefined : c.args[config + 1];
  const paths = config === -1 ? c.args : c.args.filter((_, i) => i !== config && i !== config + 1);
  const state = loadDesiredState(paths, {
    cwd,
    ...(configPath === undefined ? {} : { configPath }),
  });
  return {
    failed: state.problems.some((p) => p.severity === 'error'),
    stderr: state.problems.map((p) => formatProblem(p, false)).join(''),
  };
}

function checkMessage(run: CliRun, c: Case, command: string): void {
  assert.equal(run.code, c.exitCode, `${c.name} (${command}): ${show(run)}`);
  assert.ok(
    // validate reports on stdout (its report is the data), plan and apply on stderr.
    problemBlock(`${run.stdout}\n${run.stderr}`, c) !== undefined,
    `${c.name} (${command}): no error matching /${c.message}/ at ${c.place ?? '(no place)'}\n${show(run)}`,
  );
}

/** `validate --json`: the problem is there with the same place, as data. */
function checkJson(run: CliRun, c: Case): void {
  assert.equal(run.code, c.exitCode, `${c.name} (validate --json): ${show(run)}`);
  const doc: unknown = JSON.parse(run.stdout);
  assert.ok(isRecord(doc) && doc['version'] === 1 && doc['ok'] === false, run.stdout);
  const problems = Array.isArray(doc['problems']) ? doc['problems'] : [];
  const found = problems.some(
    (p: unknown) =>
      isRecord(p) &&
      p['severity'] === 'error' &&
      (c.place === null || p['location'] === c.place) &&
      new RegExp(c.message).test(`${String(p['message'])}\n${String(p['hint'] ?? '')}`),
  );
  assert.ok(found, `${c.name} (validate --json): no problem at ${c.place}\n${run.stdout}`);
}

/** Runs `fn` over `items`, `width` at a time: the corpus is large and each case spawns the CLI. */
async function eachLimited<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}

test('the corpus holds at least 40 broken files, each one described in the manifest', () => {
  const files = readdirSync(CORPUS).filter((f) => f !== 'manifest.json');
  const mentioned = new Set(cases.flatMap((c) => c.files));
  // Good companions (a valid file, a CSV a mapping reads) are not broken files themselves.
  const companions = new Set(['good.yaml', 'crm-export.csv', 'pk-good.yaml', 'pk-config.yaml']);
  const broken = files.filter((f) => !companions.has(f));
  assert.ok(broken.length >= 40, `only ${broken.length} broken files`);
  const undescribed = files.filter((f) => !mentioned.has(f) && !companions.has(f));
  assert.deepEqual(undescribed, [], 'fixtures with no expectation in manifest.json');
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length, 'case names repeat');
});

test('every broken file is an error with its message and place (loader and formatter in process)', () => {
  for (const c of cases) {
    const result = inProcess(c, CORPUS);
    assert.ok(result.failed, `${c.name}: loaded without an error`);
    if (c.place === null) continue;
    assert.ok(
      problemBlock(result.stderr, c) !== undefined,
      `${c.name}: no error matching /${c.message}/ at ${c.place}\n${result.stderr}`,
    );
  }
});

test(`${FULL ? 'every broken file' : 'a sample of the broken files'} exits 1 with its message and place, and nothing is written to Helcim or Payment Kit${FULL ? '' : ' (RELIABILITY=full: all, with validate and plan too)'}`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-bad-'));
  // A copy: no run may leave anything in the repository, and no helcim-sync.yaml is picked up.
  cpSync(CORPUS, dir, { recursive: true });
  try {
    // Small: every sixth case, which the manifest's grouping spreads over YAML, CSV, config and
    // saved plans, and the one whose refusal needs a live target; every third Payment Kit case.
    const chosen = FULL
      ? cases
      : cases.filter(
          (c, i) =>
            i % (c.provider === 'payment-kit' ? 3 : 6) === 0 || c.name === 'plan-other-target.json',
        );
    await eachLimited(chosen, 3, async (c) => {
      // One emulator per case, so a request can be traced to the file that made it.
      const account = await openAccount(c);
      const run = (args: string[]): Promise<CliRun> =>
        runCli([...args, '--rate-limit', 'off'], { cwd: dir, env: account.env, timeoutMs: 60_000 });
      try {
        if (c.kind === 'input' && FULL) {
          const env = account.env;
          checkMessage(await runCli(['validate', ...c.args], { cwd: dir, env }), c, 'validate');
          checkJson(await runCli(['validate', '--json', ...c.args], { cwd: dir, env }), c);
          assert.equal(account.requests(), 0, `${c.name}: validate used the network`);
          checkMessage(await run(['plan', ...c.args]), c, 'plan');
          assert.equal(account.writes(), 0, `${c.name}: plan wrote`);
        }
        checkMessage(await run(['apply', ...c.args, '--auto-approve']), c, 'apply');
        assert.equal(account.writes(), 0, `${c.name}: apply sent a POST or a PUT`);
        assert.equal(account.customers(), account.seeded, `${c.name}: the account changed`);
      } finally {
        await account.close();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface CaseAccount {
  env: NodeJS.ProcessEnv;
  seeded: number;
  requests(): number;
  writes(): number;
  customers(): number;
  close(): Promise<void>;
}

/** Payment Kit's stats have Helcim's `requests` shape, under its own route names. */
function pkWrites(stats: PaymentKitEmulatorStats): number {
  let total = 0;
  for (const [route, byOutcome] of Object.entries(stats.requests)) {
    if (!route.startsWith('PUT ') && !route.startsWith('POST ')) continue;
    for (const n of Object.values(byOutcome)) total += n;
  }
  return total;
}

/** The emulator of the provider the case's config names, seeded with 3 customers. */
async function openAccount(c: Case): Promise<CaseAccount> {
  if (c.provider === 'payment-kit') {
    const pk = await startEmulator({ provider: 'payment-kit', seed: 3 });
    return {
      env: { PAYMENT_KIT_URL: pk.url, PAYMENT_KIT_ACCESS_KEY: pk.token },
      // Three in each mode.
      seeded: 6,
      requests: () => pk.stats().totalRequests,
      writes: () => pkWrites(pk.stats()),
      customers: () => pk.stats().customers,
      close: () => pk.close(),
    };
  }
  const emulator = await startEmulator({ port: 0, rateLimit: 'off', seed: 3 });
  return {
    env: { HELCIM_API_URL: emulator.url, HELCIM_API_TOKEN: emulator.token },
    seeded: 3,
    requests: () => emulator.stats().totalRequests,
    writes: () => writesOf(emulator.stats()),
    customers: () => emulator.stats().customers,
    close: () => emulator.close(),
  };
}
