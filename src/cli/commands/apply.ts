import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import {
  applyPlan,
  checkGuards,
  reportWithoutWrites,
  type ApplyReport,
  type RecordResult,
} from '../../apply/apply.js';
import {
  notAnErrorFile,
  writeFailureFiles,
  type FailuresOutcome,
} from '../../apply/failures-files.js';
import { openJournal } from '../../apply/journal.js';
import { recheckStrategy } from '../../apply/recheck.js';
import { InputError, SyncError, UsageError } from '../../core/errors.js';
import { displayName } from '../../load/files.js';
import { FAILURES_SUFFIX } from '../../load/rejects.js';
import { remoteNormalizer } from '../../pipeline.js';
import { providerInfo } from '../../providers/index.js';
import { parseSavedPlan } from '../../plan/saved.js';
import type { Plan } from '../../plan/types.js';
import { renderText } from '../../render/index.js';
import {
  EXIT,
  booleanOption,
  numberOption,
  stringOption,
  type CommandBody,
  type ParsedArgs,
} from '../command.js';
import type { CliContext } from '../context.js';
import { useColor } from '../context.js';
import { planFromArgs, planningOptions } from '../planning.js';
import { progressReporter } from '../progress.js';
import {
  apiTarget,
  assertSameTarget,
  buildRemote,
  providerChoice,
  type ProviderChoice,
  type RemoteSetup,
} from '../remote.js';
import { reportConflicts } from './plan.js';

function isSavedPlanArg(positionals: readonly string[]): boolean {
  return positionals.length === 1 && positionals[0]?.toLowerCase().endsWith('.json') === true;
}

async function loadSaved(
  ctx: CliContext,
  args: ParsedArgs,
  file: string,
): Promise<{ plan: Plan; setup: RemoteSetup }> {
  const path = resolve(ctx.cwd, file);
  if (!existsSync(path))
    throw new InputError(`${file}: no such file`, {
      code: 'ERR_PLAN',
      hint: 'make one with: helcim-sync plan --out plan.json',
    });
  const saved = parseSavedPlan(readFileSync(path, 'utf8'), file);
  // Checked before the client exists, so a refused plan leaves no connection pool behind.
  const choice = savedPlanProvider(ctx, args, saved.plan, file);
  assertSameTarget(saved.target, apiTarget(ctx, choice.provider), file, choice.provider);
  return { plan: saved.plan, setup: await buildRemote(ctx, args, choice) };
}

/**
 * The provider the plan was made for: a config (or `--provider`) naming another is refused, as
 * the plan's fields, identities and payloads are that provider's.
 */
function savedPlanProvider(
  ctx: CliContext,
  args: ParsedArgs,
  plan: Plan,
  file: string,
): ProviderChoice {
  const choice = providerChoice(ctx, args);
  if (choice.named && choice.provider !== plan.provider)
    throw new SyncError(
      'ERR_PLAN',
      `${file}: the plan was made for ${providerInfo(plan.provider).displayName}, but the config says provider: ${choice.provider}; nothing was written`,
      {
        hint: `apply it with the config it was made with, or make a new plan for ${choice.provider}`,
      },
    );
  const livemode = plan.livemode ?? choice.livemode;
  // Live and test customers are different sets: a plan of one is never applied to the other.
  if (
    plan.livemode !== undefined &&
    choice.livemode !== undefined &&
    choice.livemode !== plan.livemode
  )
    throw new SyncError(
      'ERR_PLAN',
      `${file}: the plan was made for ${plan.livemode ? 'live' : 'test'} customers, but the config says livemode: ${String(choice.livemode)}; nothing was written`,
      { hint: 'apply it with the config it was made with, or make a new plan' },
    );
  return {
    provider: plan.provider,
    named: choice.named,
    ...(livemode === undefined ? {} : { livemode }),
  };
}

/** On a terminal, asks for `yes`; anywhere else refuses unless --auto-approve was given. */
async function confirmed(ctx: CliContext, args: ParsedArgs, plan: Plan): Promise<boolean> {
  if (booleanOption(args, 'auto-approve')) return true;
  if (ctx.stdin.isTTY !== true) {
    ctx.stderr.write(
      'error: refusing to apply without confirmation: there is no terminal to ask on; nothing was written\n',
    );
    ctx.stderr.write('  pass --auto-approve to apply without asking (as CI does)\n');
    return false;
  }
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr });
  try {
    // The warning is for a provider that creates: Payment Kit never does.
    const provider = providerInfo(plan.provider);
    const warning = provider.canCreate
      ? ` ${provider.displayName} has no delete: customers created stay.`
      : '';
    const answer = await rl.question(
      `\nDo you want to perform these actions?${warning}\n` +
        "  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
      { signal: ctx.signal },
    );
    if (answer.trim() === 'yes') return true;
    ctx.stderr.write('Apply cancelled; nothing was written.\n');
    return false;
  } catch {
    ctx.stderr.write('\nApply cancelled; nothing was written.\n');
    return false;
  } finally {
    rl.close();
  }
}

function resultLine(r: RecordResult): string | undefined {
  switch (r.status) {
    case 'failed': {
      // A detail the error's message already quotes (Helcim's field errors are) is not repeated.
      const details = r.error.problems
        .map((p) => (p.field === undefined ? p.message : `${p.field}: ${p.message}`))
        .filter((detail) => !r.error.message.includes(detail));
      // A conflict was never attempted: "failed" would send the reader looking for an error.
      const what = r.action === 'conflict' ? 'not done' : `${r.action} failed`;
      return `  ! ${r.key} (${r.source}): ${what}: ${r.error.message}${details.length > 0 ? ` [${details.join('; ')}]` : ''}`;
    }
    case 'stale':
      return `  ? ${r.key} (${r.source}): skipped as stale: ${r.reason}`;
    default:
      return undefined;
  }
}

/**
 * `--failures FILE`, checked before anything is read or written: named `*.failures.csv`, so
 * that reading its folder never takes it for input (its records would be there twice), and a
 * file that is missing or one this tool wrote, never a person's data.
 */
function failuresTarget(ctx: CliContext, args: ParsedArgs): string | undefined {
  const target = stringOption(args, 'failures');
  if (target === undefined) return undefined;
  if (!target.toLowerCase().endsWith(FAILURES_SUFFIX))
    throw new UsageError(
      `--failures ${target}: name the failures file *${FAILURES_SUFFIX}, which a folder is read without`,
      { hint: `e.g. --failures fix-me${FAILURES_SUFFIX}` },
    );
  const refusal = notAnErrorFile(resolve(ctx.cwd, target));
  if (refusal !== undefined)
    throw new UsageError(`--failures ${target}: ${refusal}; nothing was written`, {
      hint: 'name a new file, or an earlier failures file',
    });
  return target;
}

/** Values of the environment named like secrets: never in a failures file, whatever happens. */
function secretsOf(env: CliContext['env']): string[] {
  return Object.entries(env)
    .filter(([name, value]) => /TOKEN|KEY|SECRET|PASSWORD/i.test(name) && (value ?? '').length >= 8)
    .map(([, value]) => value ?? '');
}

/** Where the failed records went, for the text report (stdout); problems go to stderr. */
function failuresText(ctx: CliContext, outcome: FailuresOutcome): string {
  const lines: string[] = [];
  for (const w of outcome.written) {
    const name = displayName(w.path, ctx.cwd);
    lines.push(
      `Failed records: ${w.records} in ${name}; fix them there and apply it again (helcim-sync apply ${name}).`,
    );
  }
  const yaml = outcome.listedOnly.length;
  if (yaml > 0)
    lines.push(
      `${yaml} failed record${yaml === 1 ? '' : 's'} of YAML files ${yaml === 1 ? 'is' : 'are'} listed above only: fix ${yaml === 1 ? 'it' : 'them'} in ${yaml === 1 ? 'its file' : 'their files'} (--failures FILE also writes a CSV of them).`,
    );
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

/**
 * The failures files of the run, written. Whatever goes wrong there is reported, never thrown:
 * the writes are done, and their report must still be printed.
 */
function failuresOf(
  ctx: CliContext,
  args: ParsedArgs,
  report: ApplyReport,
  plan: Plan,
  target: string | undefined,
): FailuresOutcome {
  const configPath = stringOption(args, 'config');
  try {
    return writeFailureFiles(report, plan, {
      cwd: ctx.cwd,
      secrets: secretsOf(ctx.env),
      ...(target === undefined ? {} : { target }),
      ...(configPath === undefined ? {} : { configPath }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const path = resolve(ctx.cwd, target ?? '<input>.failures.csv');
    return { written: [], listedOnly: [], unlocated: [], unwritable: [{ path, reason }] };
  }
}

/** What could not go to a failures file, on stderr (with --json too). */
function reportFailureProblems(ctx: CliContext, outcome: FailuresOutcome): void {
  for (const row of outcome.unlocated)
    ctx.stderr.write(
      `warning: ${row.source} (${row.key}): not in the failures file: the file no longer has this record there (changed since the plan?)\n`,
    );
  for (const u of outcome.unwritable)
    ctx.stderr.write(
      `error: the failures file ${displayName(u.path, ctx.cwd)} was not written: ${u.reason}\n`,
    );
}

function summaryText(report: ApplyReport): string {
  const s = report.summary;
  // Conflicts count as failed in the report, yet the progress line counted writes only: say
  // which of the failed were never sent, so "0 failed" there and "1 failed" here agree.
  const conflicts = s.conflicts;
  const unsent =
    conflicts === 0 ? '' : ` (${conflicts} conflict${conflicts === 1 ? '' : 's'}, never sent)`;
  const counts = `${s.created} created, ${s.updated} updated, ${s.stale} stale, ${s.failed} failed${unsent}`;
  if (report.interrupted)
    return `Apply interrupted: ${counts}, ${s.skipped} not started. Run plan and apply again to finish.`;
  return `Apply ${s.failed > 0 || s.stale > 0 ? 'finished with problems' : 'complete'}: ${counts}.`;
}

export const applyCommand: CommandBody = {
  usage: 'apply [PATH... | PLAN.json] [options]',
  description: [
    'Given files, plans first, shows the plan and asks for "yes" (on a terminal; elsewhere it',
    'refuses unless --auto-approve). Given a plan saved with "plan --out", applies exactly that',
    'plan, skipping as stale any record changed in the account since. Writes are paced under the',
    "account's rate limits; one failed record does not stop the others. Ctrl-C stops starting",
    'new writes, lets those in flight finish and exits 130; plan and apply again to finish.',
    'Records whose write failed go to <input>.failures.csv beside each CSV input (or',
    '--failures FILE), in their own columns plus "error": fix them there and apply that file.',
  ].join('\n'),
  examples: [
    'helcim-sync apply customers.yaml',
    'helcim-sync apply examples/ --auto-approve --max-creates 50 --journal apply.jsonl',
    'helcim-sync apply plan.json --auto-approve',
    'helcim-sync apply crm.csv --auto-approve   # refused records go to crm.failures.csv',
  ],
  options: {
    'auto-approve': {
      type: 'boolean',
      description: 'Apply without asking (required without a terminal)',
    },
    'max-creates': {
      type: 'string',
      valueName: 'N',
      description: 'Refuse, before any write, a plan that creates more than N customers',
    },
    'max-updates': {
      type: 'string',
      valueName: 'N',
      description: 'Refuse, before any write, a plan that updates more than N customers',
    },
    failures: {
      type: 'string',
      valueName: 'FILE',
      description:
        'Write the records whose write failed to FILE (named *.failures.csv), their columns plus "error" (default: <input>.failures.csv beside each CSV input; YAML records are only listed)',
    },
    journal: {
      type: 'string',
      valueName: 'FILE',
      description: 'Append one JSON line per finished request to FILE (mode 0600)',
    },
    json: {
      type: 'boolean',
      description: 'Print the apply report as versioned JSON instead of text',
    },
    ...planningOptions,
  },
  async run(ctx, args) {
    const json = booleanOption(args, 'json');
    const maxCreates = numberOption(args, 'max-creates', { min: 0, integer: true });
    const maxUpdates = numberOption(args, 'max-updates', { min: 0, integer: true });
    const saved = isSavedPlanArg(args.positionals);
    const target = failuresTarget(ctx, args);
    if (saved && (args.values['config'] !== undefined || args.values['skip-invalid'] === true)) {
      throw new UsageError('--config and --skip-invalid apply to files, not to a saved plan');
    }
    const loaded = saved
      ? await loadSaved(ctx, args, args.positionals[0] ?? '')
      : await planFromArgs(ctx, args, args.positionals);
    if (loaded === undefined) return EXIT.error;
    const { plan, setup } = loaded;
    try {
      if (!json)
        ctx.stdout.write(
          renderText(plan, { color: useColor(ctx), verbose: booleanOption(args, 'verbose') }),
        );
      const conflicts = reportConflicts(ctx, plan);
      if (plan.summary.create + plan.summary.update === 0) {
        if (json)
          ctx.stdout.write(
            JSON.stringify({ ...reportWithoutWrites(plan), failuresFiles: [] }, null, 2) + '\n',
          );
        return conflicts ? EXIT.error : EXIT.ok;
      }
      checkGuards(plan, {
        ...(maxCreates === undefined ? {} : { maxCreates }),
        ...(maxUpdates === undefined ? {} : { maxUpdates }),
      });
      if (!(await confirmed(ctx, args, plan)))
        return ctx.signal.aborted ? EXIT.interrupted : EXIT.error;
      // A saved plan reads each record again before writing it, or lists the account first.
      const check = saved ? recheckStrategy(plan, setup.remote) : undefined;
      if (check !== undefined) {
        if (check.strategy === 'list')
          ctx.stderr.write(
            `Re-reading ${setup.target} (${check.calls} call${check.calls === 1 ? '' : 's'}) to check the plan still holds before writing...\n`,
          );
      }
      const journalPath = stringOption(args, 'journal');
      const timeScale = numberOption(args, 'time-scale', { min: Number.MIN_VALUE });
      const progress = progressReporter(ctx, plan.summary.create + plan.summary.update, {
        limits: setup.limits,
        ...(timeScale === undefined ? {} : { timeScale }),
        ...(check?.strategy === 'lookup' ? { requestsPerWrite: 2 } : {}),
      });
      let report: ApplyReport;
      try {
        report = await applyPlan(plan, setup.remote, {
          signal: ctx.signal,
          recheck: saved,
          normalize: remoteNormalizer(providerInfo(plan.provider)),
          onProgress: (p) => progress.update(p),
          ...(journalPath === undefined
            ? {}
            : { journal: openJournal(resolve(ctx.cwd, journalPath)) }),
        });
      } finally {
        progress.stop();
      }
      // Written whatever the exit code: a run with failures is the one that needs the file.
      const failures = failuresOf(ctx, args, report, plan, target);
      reportFailureProblems(ctx, failures);
      if (json)
        ctx.stdout.write(
          JSON.stringify({ ...report, failuresFiles: failures.written }, null, 2) + '\n',
        );
      else {
        const lines = report.results.map(resultLine).filter((l): l is string => l !== undefined);
        ctx.stdout.write(
          `${lines.length > 0 ? `\n${lines.join('\n')}\n` : ''}${failuresText(ctx, failures)}\n${summaryText(report)}\n`,
        );
      }
      if (report.interrupted) return EXIT.interrupted;
      return report.summary.failed > 0 ||
        report.summary.stale > 0 ||
        conflicts ||
        failures.unwritable.length > 0
        ? EXIT.error
        : EXIT.ok;
    } finally {
      await setup.remote.close();
    }
  },
};
