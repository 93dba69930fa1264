import type { CommandBody } from '../command.js';
import { EXIT, booleanOption, stringOption } from '../command.js';
import { useColor } from '../context.js';
import { GROUPED_NOTE, formatProblems, writeRejectFiles } from '../problems.js';
import { loadDesiredState } from '../../desired/index.js';
import type { DesiredState } from '../../desired/index.js';
import { mappingOf } from '../../desired/silence.js';
import { SILENCEABLE_WARNINGS } from '../../load/config-types.js';
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
  /**
   * Warnings not reported because the file's mapping silences them; present only when some were,
   * so that the output of a config without `silence:` is as it was.
   */
  silenced?: number;
  /**
   * Input files with an error in the file itself (YAML syntax, CSV quoting or header): what was
   * read of them is not counted valid, since a run refuses them and they may hold more records.
   * Present only when there are some.
   */
  unreadableFiles?: string[];
}

function summarize(state: DesiredState): ValidateSummary {
  const errors = state.problems.filter((p) => p.severity === 'error').length;
  const fatalFiles = new Set(state.fatal.map((p) => p.place.file));
  const unreadable = state.files.map((f) => f.name).filter((name) => fatalFiles.has(name));
  const valid =
    unreadable.length === 0
      ? state.customers.length
      : state.customers.filter((c) => !fatalFiles.has(c.place.file)).length;
  return {
    files: state.files.length,
    records: state.customers.length + state.rejected.length,
    valid,
    rejected: state.rejected.length,
    errors,
    warnings: state.problems.length - errors,
    ...(state.silenced === undefined ? {} : { silenced: state.silenced }),
    ...(unreadable.length === 0 ? {} : { unreadableFiles: unreadable }),
  };
}

function isSilenceable(code: string): boolean {
  return SILENCEABLE_WARNINGS.some((c) => c === code);
}

/**
 * For each mapping whose files gave warnings it could silence, the line that would: the text
 * output shows no codes, so this is how a person finds the words to write.
 */
function silenceHints(state: DesiredState): string[] {
  const codes = new Map<string, Set<string>>();
  const mappingByFile = new Map(state.files.map((f) => [f.name, mappingOf(state.config, f)]));
  for (const p of state.problems) {
    if (p.severity !== 'warning' || !isSilenceable(p.code)) continue;
    const mapping = mappingByFile.get(p.place.file);
    if (mapping === undefined) continue;
    const set = codes.get(mapping.name) ?? new Set<string>();
    set.add(p.code);
    codes.set(mapping.name, set);
  }
  return [...codes].map(
    ([name, set]) =>
      `warnings an export gives on purpose can be silenced in mapping "${name}": silence: [${[...set, ...(state.config.mappings.get(name)?.silence ?? [])].join(', ')}]\n`,
  );
}

function unreadableNote(files: readonly string[] | undefined): string {
  if (files === undefined || files.length === 0) return '';
  const named = files.length <= 3 ? files.join(', ') : `${files.length} files`;
  return `; ${named} could not be read in full: fix ${files.length === 1 ? 'its' : 'their'} errors first`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const validateCommand: CommandBody = {
  usage: 'validate [PATH...] [options]',
  description: [
    'Loads the YAML and CSV files (or directories) given, or the `sources` of the config file,',
    'and reports every problem with its place: file:line:column for YAML, row and column for',
    'CSV. A problem repeated on many rows is shown a few times, then as one line with its count',
    'and rows (--verbose lists each). Exits 1 if there is any error, 0 otherwise.',
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
    verbose: {
      type: 'boolean',
      short: 'v',
      description: 'List every problem, also those repeated on many rows (grouped otherwise)',
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
      const report = formatProblems(state.problems, {
        color: useColor(ctx),
        verbose: booleanOption(args, 'verbose'),
      });
      ctx.stdout.write(report.text);
      if (report.grouped) ctx.stdout.write(GROUPED_NOTE);
      for (const hint of silenceHints(state)) ctx.stdout.write(hint);
      const silenced = summary.silenced === undefined ? '' : ` (${summary.silenced} silenced)`;
      const counts = `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}${silenced}`;
      ctx.stdout.write(
        `${counts}: ${summary.valid} of ${plural(summary.records, 'record')} valid in ${plural(summary.files, 'file')}${unreadableNote(summary.unreadableFiles)}\n`,
      );
      for (const w of written)
        ctx.stdout.write(`wrote ${plural(w.records, 'rejected record')} to ${w.path}\n`);
    }
    return ok ? EXIT.ok : EXIT.error;
  },
};
