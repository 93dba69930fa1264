import { statSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { outputText, planEdits, type FileEdit } from '../../adopt/edit.js';
import { planAdoption, type Adoption } from '../../adopt/match.js';
import { UsageError } from '../../core/errors.js';
import { loadDesiredState } from '../../desired/index.js';
import { writePrivateFile } from '../../export/private-file.js';
import { loadConfig } from '../../load/config.js';
import { isFieldPath } from '../../core/fields.js';
import { formatPlace } from '../../load/types.js';
import { remoteNormalizer } from '../../pipeline.js';
import { providerInfo } from '../../providers/index.js';
import { EXIT, booleanOption, stringOption, type CommandBody } from '../command.js';
import type { CliContext } from '../context.js';
import { useColor } from '../context.js';
import { formatProblem } from '../problems.js';
import { buildRemote, providerChoice, providerOptions, remoteOptions } from '../remote.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function reportAdoptions(ctx: CliContext, adoptions: readonly Adoption[], matchKey: string): void {
  for (const a of adoptions) {
    const where = formatPlace(a.customer.record.locate(matchKey));
    if (a.kind === 'adopt') ctx.stdout.write(`${where}: ${a.customer.key} -> ${a.code}\n`);
    else if (a.kind === 'conflict')
      ctx.stderr.write(`${where}: error: ${a.customer.key} not adopted: ${a.reason}\n`);
  }
}

function writeEdits(ctx: CliContext, edits: readonly FileEdit[], dryRun: boolean): number {
  let written = 0;
  for (const edit of edits) {
    const text = outputText(edit);
    if (edit.error !== undefined || text === undefined || edit.after === undefined) {
      ctx.stderr.write(
        `${edit.file.name}: error: no codes written: ${edit.error ?? 'nothing to write'}\n`,
      );
      continue;
    }
    if (dryRun) {
      const name = edit.file.name;
      ctx.stdout.write(createTwoFilesPatch(`a/${name}`, `b/${name}`, edit.before, edit.after));
    } else {
      // A source file keeps its own permissions; only new files get 0600.
      writePrivateFile(edit.file.path, text, statSync(edit.file.path).mode & 0o777);
    }
    if (edit.note !== undefined) ctx.stderr.write(`${edit.file.name}: note: ${edit.note}\n`);
    written += edit.codes.size;
  }
  return written;
}

export const adoptCommand: CommandBody = {
  usage: 'adopt [PATH...] [options]',
  description: [
    'For records without a customerCode: finds the customer in Helcim with the same match key',
    "(the config's matchKey, e.g. billingAddress.email, compared without letter case) and writes",
    'its code into the source file, so that plan and apply match it by code from then on instead',
    'of creating a duplicate. CSV: into the customerCode column (added in front if missing), the',
    'rest of the file byte for byte. YAML: as the first key of the item, comments and layout kept.',
    'Two customers with one key is a conflict: reported, nothing written for that record.',
    'Records with no match are left alone: apply creates them. Exits 1 on any conflict or error.',
  ].join('\n'),
  examples: [
    'helcim-sync adopt crm.csv --dry-run',
    'helcim-sync adopt customers.yaml --match-key billingAddress.email',
  ],
  options: {
    config: {
      type: 'string',
      valueName: 'FILE',
      description: 'Config file (default: helcim-sync.yaml in the working directory)',
    },
    'match-key': {
      type: 'string',
      valueName: 'PATH',
      description: "Field to match by (default: the config's matchKey), e.g. billingAddress.email",
    },
    'dry-run': {
      type: 'boolean',
      description: 'Show the changes as a diff on standard output; write nothing',
    },
    ...remoteOptions,
    ...providerOptions,
  },
  async run(ctx, args) {
    const configPath = stringOption(args, 'config');
    const loaded = loadConfig({
      cwd: ctx.cwd,
      ...(configPath === undefined ? {} : { path: configPath }),
    });
    const color = useColor(ctx, 'stderr');
    const matchKey = stringOption(args, 'match-key') ?? loaded.config.matchKey;
    const choice = providerChoice(ctx, args);
    const fields = providerInfo(choice.provider).fields;
    if (!isFieldPath(fields, matchKey) || matchKey.endsWith('.*'))
      throw new UsageError(`--match-key ${matchKey} is not a customer field`, {
        hint: `e.g. ${fields.matchKeyExample}`,
      });
    if (matchKey === fields.identity)
      throw new UsageError(`adopt matches records by a field other than ${fields.identity}`, {
        hint: `set matchKey: ${fields.matchKeyExample} in helcim-sync.yaml, or pass --match-key`,
      });
    const state = loadDesiredState(args.positionals, {
      cwd: ctx.cwd,
      ...(configPath === undefined ? {} : { configPath }),
      config: { ...loaded.config, provider: choice.provider, matchKey },
    });
    for (const p of [...loaded.problems, ...state.problems])
      ctx.stderr.write(formatProblem(p, color));
    if (loaded.problems.some((p) => p.severity === 'error') || state.fatal.length > 0) {
      ctx.stderr.write('error: the files cannot be read as customers; nothing was written\n');
      return EXIT.error;
    }
    const dryRun = booleanOption(args, 'dry-run');
    const withoutCode = state.customers.filter((c) => c.data[fields.identity] === undefined);
    const invalid = state.rejected.length;
    if (withoutCode.length === 0) {
      ctx.stderr.write(`nothing to adopt: every valid record has a ${fields.identity}\n`);
      return invalid > 0 ? EXIT.error : EXIT.ok;
    }
    const setup = await buildRemote(ctx, args, choice);
    let remote;
    try {
      remote = (await setup.remote.list({ signal: ctx.signal })).map(
        remoteNormalizer(providerInfo(setup.remote.provider)),
      );
    } finally {
      await setup.remote.close();
    }
    const { adoptions } = planAdoption(
      state.customers,
      remote,
      matchKey,
      providerInfo(setup.remote.provider),
    );
    reportAdoptions(ctx, adoptions, matchKey);
    const edits = planEdits(state.files, adoptions, state.config);
    const written = writeEdits(ctx, edits, dryRun);
    const conflicts = adoptions.filter((a) => a.kind === 'conflict').length;
    const fresh = adoptions.filter((a) => a.kind === 'new').length;
    const failed = edits.filter((e) => e.error !== undefined).length;
    const files = edits.length - failed;
    ctx.stderr.write(
      `${dryRun ? 'would adopt' : 'adopted'} ${plural(written, 'customer')} in ${plural(files, 'file')}` +
        `; ${plural(fresh, 'record')} not in Helcim (apply creates them)` +
        (conflicts > 0 ? `; ${plural(conflicts, 'conflict')}` : '') +
        (invalid > 0 ? `; ${plural(invalid, 'invalid record')} left alone` : '') +
        '\n',
    );
    return conflicts > 0 || failed > 0 || invalid > 0 ? EXIT.error : EXIT.ok;
  },
};
