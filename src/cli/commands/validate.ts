import type { CommandBody } from '../command.js';
import { EXIT, booleanOption, stringOption } from '../command.js';
import { useColor } from '../context.js';
import { formatProblem, writeRejectFiles } from '../problems.js';
import { loadDesiredState } from '../../desired/index.js';
import type { DesiredState } from '../../desired/index.js';
import { formatPlace } from '../../load/types.js';

/** Version of the `--json` output; bumped on any incompatible change. */
export const VALIDATE_JSON_VERSION = 1;

export interface ValidateSummary {
  files: number;
  records: number;
  valid: number;
  rejected: number;
  errors: number;
  warnings: number;
}

function summarize(state: DesiredState): ValidateSummary {
  const errors = state.problems.filter((p) => p.severity === 'error').length;
  return {
    files: state.files.length,
    records: state.customers.length + state.rejected.length,
    valid: state.customers.length,
    rejected: state.rejected.length,
    errors,
    warnings: state.problems.length - errors,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const validateCommand: CommandBody = {
  usage: 'validate [PATH...] [options]',
  description: [
    'Loads the YAML and CSV files (or directories) given, or the `sources` of the config file,',
    'and reports every problem with its place: file:line:column for YAML, row and column for',
    'CSV. Exits 1 if there is any error, 0 otherwise.',
    '',
    'With --skip-invalid, records with errors are written to a rejects CSV (the input columns',
    'plus an `error` column) and the exit code is 0 unless an error concerns more than one',
    'record (the config, a file, a CSV header).',
  ].join('\n'),
  examples: [
    'helcim-sync validate customers.yaml',
    'helcim-sync validate exports/ --json',
    'helcim-sync validate crm.csv --skip-invalid --rejects fix-me.csv',
  ],
  options: {
    config: {
      type: 'string',
      valueName: 'FILE',
      description: 'Config file (default: helcim-sync.yaml in the working directory)',
    },
    json: { type: 'boolean', description: 'Print the result as JSON (versioned)' },
    'skip-invalid': {
      type: 'boolean',
      description: 'Write records with errors to a rejects CSV instead of failing',
    },
    rejects: {
      type: 'string',
      valueName: 'FILE',
      description:
        'Rejects file (default: <input>.rejects.csv next to each input); implies --skip-invalid',
    },
  },
  async run(ctx, args) {
    const configPath = stringOption(args, 'config');
    const rejectsPath = stringOption(args, 'rejects');
    const skipInvalid = booleanOption(args, 'skip-invalid') || rejectsPath !== undefined;
    const state = loadDesiredState(args.positionals, {
      cwd: ctx.cwd,
      ...(configPath === undefined ? {} : { configPath }),
    });
    const written = skipInvalid ? writeRejectFiles(state, ctx.cwd, rejectsPath) : [];
    const summary = summarize(state);
    const ok = skipInvalid ? state.fatal.length === 0 : summary.errors === 0;
    if (booleanOption(args, 'json')) {
      const problems = state.problems.map((p) => ({ ...p, location: formatPlace(p.place) }));
      const out = { version: VALIDATE_JSON_VERSION, ok, summary, problems, rejectsFiles: written };
      ctx.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else {
      for (const p of state.problems) ctx.stdout.write(formatProblem(p, useColor(ctx)));
      const counts = `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}`;
      ctx.stdout.write(
        `${counts}: ${summary.valid} of ${plural(summary.records, 'record')} valid in ${plural(summary.files, 'file')}\n`,
      );
      for (const w of written)
        ctx.stdout.write(`wrote ${plural(w.records, 'rejected record')} to ${w.path}\n`);
    }
    return ok ? EXIT.ok : EXIT.error;
  },
};
