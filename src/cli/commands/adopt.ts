import { statSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { outputText, planEdits, type FileEdit } from '../../adopt/edit.js';
import { identityWord, planAdoption, type Adoption } from '../../adopt/match.js';
import { UsageError } from '../../core/errors.js';
import { loadDesiredState } from '../../desired/index.js';
import { writePrivateFile } from '../../export/private-file.js';
import { loadConfig } from '../../load/config.js';
import { fieldSpec, isFieldPath } from '../../core/fields.js';
import type { Config } from '../../load/config-types.js';
import { formatPlace } from '../../load/types.js';
import { remoteNormalizer } from '../../pipeline.js';
import { providerInfo, type ProviderInfo } from '../../providers/index.js';
import {
  EXIT,
  booleanOption,
  stringOption,
  type CommandBody,
  type ParsedArgs,
} from '../command.js';
import type { CliContext } from '../context.js';
import { useColor } from '../context.js';
import { formatProblem } from '../problems.js';
import { buildRemote, providerChoice, providerOptions, remoteOptions } from '../remote.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function reportAdoptions(
  ctx: CliContext,
  adoptions: readonly Adoption[],
  matchKey: string,
  provider: ProviderInfo,
): void {
  for (const a of adoptions) {
    const where = formatPlace(a.customer.record.locate(matchKey));
    if (a.kind === 'adopt') ctx.stdout.write(`${where}: ${a.customer.key} -> ${a.code}\n`);
    else if (a.kind === 'conflict')
      ctx.stderr.write(`${where}: error: ${a.customer.key} not adopted: ${a.reason}\n`);
    else if (!provider.canCreate)
      // apply cannot create it either: the person must know which rows stay unsynced, and why.
      ctx.stderr.write(
        `${where}: warning: ${a.customer.key}: no customer in ${provider.displayName} has this ${matchKey}; ` +
          `${provider.displayName} ${provider.createdElsewhere ?? 'creates its customers itself'}, so plan will report it\n`,
      );
  }
}

/** The identifiers adopt can write: the provider's exact keys that are top-level text fields. */
function writableIdentities(provider: ProviderInfo): string[] {
  const fields = provider.fields;
  return fields.exactKeys.filter((k) => fieldSpec(fields, k)?.kind === 'text');
}

interface AdoptKeys {
  matchKey: string;
  identity: string;
  /** Said on stderr when adopt chose the match key itself. */
  note?: string;
}

/**
 * What adopt writes and what it matches by. The written identity is `--identity`, else the
 * config's matchKey when that is an identifier (so that plan matches by what was written), else
 * the provider's identity. The match key is `--match-key`, else the config's matchKey when that
 * is not an identifier. Else, for a provider that cannot create customers, its usual other key
 * (Payment Kit: email): every record must end up with its identity there, so a config keyed by
 * the identity is the end state and adopt is how a spreadsheet gets there. A provider that
 * creates (Helcim) keeps asking for the key, since its config must match by it for the rows
 * that become new customers to be valid at all.
 */
function adoptKeys(args: ParsedArgs, config: Config, provider: ProviderInfo): AdoptKeys {
  const fields = provider.fields;
  const writable = writableIdentities(provider);
  // A config for another provider (none, with --provider) has nothing to say about its keys.
  const configKey = config.provider === provider.name ? config.matchKey : undefined;
  const configIsId = configKey !== undefined && writable.includes(configKey);
  const asked = stringOption(args, 'identity');
  if (asked !== undefined && !writable.includes(asked))
    throw new UsageError(
      `--identity ${asked}: adopt writes an identifier: ${writable.join(' or ')}`,
      { hint: `e.g. --identity ${writable[writable.length - 1] ?? fields.identity}` },
    );
  const identity = asked ?? (configIsId ? configKey : fields.identity);
  const given = stringOption(args, 'match-key');
  if (given !== undefined && (!isFieldPath(fields, given) || given.endsWith('.*')))
    throw new UsageError(`--match-key ${given} is not a ${provider.displayName} customer field`, {
      hint: `e.g. ${fields.matchKeyExample}`,
    });
  const configMatch = configKey !== undefined && !configIsId ? configKey : undefined;
  const fallback = provider.canCreate ? undefined : fields.matchKeyExample;
  const matchKey = given ?? configMatch ?? fallback ?? configKey ?? fields.identity;
  if (matchKey === identity)
    throw new UsageError(`adopt matches records by a field other than ${identity}`, {
      hint:
        given === undefined
          ? `set matchKey: ${fields.matchKeyExample} in helcim-sync.yaml, or pass --match-key`
          : `e.g. --match-key ${fields.matchKeyExample}`,
    });
  if (given === undefined && configMatch === undefined)
    return {
      matchKey,
      identity,
      note: `matching by ${matchKey} (adopt's default for ${provider.displayName}; --match-key to choose another) and writing ${identity}`,
    };
  return { matchKey, identity };
}

function writeEdits(
  ctx: CliContext,
  edits: readonly FileEdit[],
  dryRun: boolean,
  word: string,
): number {
  let written = 0;
  for (const edit of edits) {
    const text = outputText(edit);
    if (edit.error !== undefined || text === undefined || edit.after === undefined) {
      ctx.stderr.write(
        `${edit.file.name}: error: no ${word}s written: ${edit.error ?? 'nothing to write'}\n`,
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
    'For records without an identity (Helcim: customerCode; Payment Kit: did, or id): finds the',
    "customer with the same match key (the config's matchKey, e.g. billingAddress.email, compared",
    'without letter case) and writes its identity into the source file, so that plan and apply',
    'match it by that from then on instead of creating a duplicate. CSV: into the identity column',
    '(added in front if missing), the rest of the file byte for byte. YAML: as the first key of',
    'the item, comments and layout kept. Two customers with one key is a conflict: reported,',
    'nothing written for that record. Records with no match are left alone (Helcim: apply creates',
    'them; Payment Kit: each is named, as it cannot be created). Exits 1 on any conflict or error.',
    'Payment Kit: matches by email unless told otherwise, and writes the did (--identity id: the id).',
  ].join('\n'),
  examples: [
    'helcim-sync adopt crm.csv --dry-run',
    'helcim-sync adopt customers.yaml --match-key billingAddress.email',
    'helcim-sync adopt crm.csv --provider payment-kit --testmode',
    'helcim-sync adopt crm.csv --provider payment-kit --livemode --match-key metadata.crm_id --identity id',
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
      description:
        "Field to match by (default: the config's matchKey; Payment Kit: email when that is did or id), e.g. billingAddress.email",
    },
    identity: {
      type: 'string',
      valueName: 'FIELD',
      description:
        "Identifier to write: did or id for Payment Kit, customerCode for Helcim (default: the config's matchKey if it is one of them, else did or customerCode)",
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
    const choice = providerChoice(ctx, args);
    const provider = providerInfo(choice.provider);
    const { matchKey, identity, note } = adoptKeys(args, loaded.config, provider);
    const word = identityWord(provider, identity);
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
    if (note !== undefined) ctx.stderr.write(`${note}\n`);
    const dryRun = booleanOption(args, 'dry-run');
    const withoutCode = state.customers.filter((c) => c.data[identity] === undefined);
    const invalid = state.rejected.length;
    if (withoutCode.length === 0) {
      ctx.stderr.write(`nothing to adopt: every valid record has a ${identity}\n`);
      return invalid > 0 ? EXIT.error : EXIT.ok;
    }
    const setup = await buildRemote(ctx, args, choice);
    let remote;
    try {
      remote = (await setup.remote.list({ signal: ctx.signal })).map(remoteNormalizer(provider));
    } finally {
      await setup.remote.close();
    }
    const { adoptions } = planAdoption(state.customers, remote, matchKey, provider, identity);
    reportAdoptions(ctx, adoptions, matchKey, provider);
    const edits = planEdits(state.files, adoptions, state.config, identity);
    const written = writeEdits(ctx, edits, dryRun, word);
    const conflicts = adoptions.filter((a) => a.kind === 'conflict').length;
    const fresh = adoptions.filter((a) => a.kind === 'new').length;
    const failed = edits.filter((e) => e.error !== undefined).length;
    const files = edits.length - failed;
    const system = provider.displayName;
    ctx.stderr.write(
      `${dryRun ? 'would adopt' : 'adopted'} ${plural(written, 'customer')} in ${plural(files, 'file')}` +
        `; ${plural(fresh, 'record')} not in ${system}` +
        (provider.canCreate
          ? ' (apply creates them)'
          : ` (${system} ${provider.createdElsewhere ?? 'creates its customers itself'})`) +
        (conflicts > 0 ? `; ${plural(conflicts, 'conflict')}` : '') +
        (invalid > 0 ? `; ${plural(invalid, 'invalid record')} left alone` : '') +
        '\n',
    );
    return conflicts > 0 || failed > 0 || invalid > 0 ? EXIT.error : EXIT.ok;
  },
};
