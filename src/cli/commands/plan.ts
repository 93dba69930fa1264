import { chmodSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { planRenderers, type PlanFormat } from '../../render/index.js';
import { serializePlan } from '../../plan/saved.js';
import type { Plan } from '../../plan/types.js';
import {
  EXIT,
  booleanOption,
  stringOption,
  type CommandBody,
  type ParsedArgs,
} from '../command.js';
import type { CliContext } from '../context.js';
import { useColor } from '../context.js';
import { planFromArgs, planningOptions } from '../planning.js';

export function outputFormat(args: ParsedArgs): PlanFormat {
  const json = booleanOption(args, 'json');
  const markdown = booleanOption(args, 'markdown');
  if (json && markdown) throw new UsageError('--json and --markdown cannot be used together');
  return json ? 'json' : markdown ? 'markdown' : 'text';
}

/** Conflicts are reported on stderr and make the run fail: a person has to resolve them. */
export function reportConflicts(ctx: CliContext, plan: Plan): boolean {
  if (plan.summary.conflict === 0) return false;
  const n = plan.summary.conflict;
  ctx.stderr.write(
    `error: the plan has ${n} conflict${n === 1 ? '' : 's'}; nothing will be done for ${n === 1 ? 'that record' : 'those records'}\n`,
  );
  return true;
}

/** Written with mode 0600: a plan holds customers' personal data. */
export function writePrivateFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing file keeps its own.
  chmodSync(path, 0o600);
}

export const planCommand: CommandBody = {
  usage: 'plan [PATH...] [options]',
  description: [
    'Loads the desired state (YAML and CSV files or directories, or the sources of the config',
    'file), reads the customers in Helcim or Payment Kit the cheapest way, and shows what apply',
    'would do: create (+, Helcim only), update (~, with old -> new), unchanged (counted), remote',
    'only (never touched) and conflicts (!). Makes no change. Secrets and addresses come from the',
    'environment only: HELCIM_API_TOKEN and HELCIM_API_URL, or PAYMENT_KIT_ACCESS_KEY and',
    "PAYMENT_KIT_URL (the config's provider: says which).",
  ].join('\n'),
  examples: [
    'helcim-sync plan customers.yaml',
    'helcim-sync plan examples/ --detailed-exitcode --out plan.json',
    'helcim-sync plan --markdown > plan.md',
    'helcim-sync plan --changed-since origin/main --markdown --out plan.json',
  ],
  options: {
    json: { type: 'boolean', description: 'Print the plan as a versioned JSON document' },
    markdown: {
      type: 'boolean',
      description: 'Print a summary for a pull-request comment (under 65,536 characters)',
    },
    out: {
      type: 'string',
      valueName: 'FILE',
      description: 'Save the plan, for "helcim-sync apply FILE" (mode 0600)',
    },
    'changed-since': {
      type: 'string',
      valueName: 'REF',
      description:
        'Read the remote side only for records added or changed in the files since git revision REF (a pull request: two edits, two calls); removed records are listed, never touched',
    },
    'detailed-exitcode': {
      type: 'boolean',
      description: 'Exit 0 with no changes, 2 with changes, 1 on error',
    },
    ...planningOptions,
  },
  async run(ctx, args) {
    const format = outputFormat(args);
    const planned = await planFromArgs(ctx, args, args.positionals);
    if (planned === undefined) return EXIT.error;
    const { plan, setup } = planned;
    await setup.remote.close();
    ctx.stdout.write(
      planRenderers[format](plan, {
        color: useColor(ctx),
        verbose: booleanOption(args, 'verbose'),
      }),
    );
    const out = stringOption(args, 'out');
    if (out !== undefined) {
      writePrivateFile(resolve(ctx.cwd, out), serializePlan(plan, setup.target));
      ctx.stderr.write(
        `Saved the plan to ${out}; apply exactly it with: helcim-sync apply ${out}\n`,
      );
    }
    if (reportConflicts(ctx, plan)) return EXIT.error;
    const changes = plan.summary.create + plan.summary.update;
    return booleanOption(args, 'detailed-exitcode') && changes > 0 ? EXIT.changes : EXIT.ok;
  },
};
