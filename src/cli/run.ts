import { readFileSync } from 'node:fs';
import { SyncError, UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { EXIT, formatHelp, parseCommandArgs, type Command } from './command.js';
import { commands } from './commands/index.js';
import type { CliContext } from './context.js';

export function packageVersion(): string {
  const raw: unknown = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  );
  if (
    typeof raw === 'object' &&
    raw !== null &&
    'version' in raw &&
    typeof raw.version === 'string'
  ) {
    return raw.version;
  }
  return '0.0.0';
}

function globalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'helcim-sync: declarative sync of customer records into Helcim or Payment Kit (plan, then apply).',
    '',
    'Usage: helcim-sync <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Options:',
    '  -h, --help     Show help (also "helcim-sync <command> --help")',
    '  -V, --version  Print the version',
    '',
    'Environment:',
    '  HELCIM_API_TOKEN        Helcim API token (never pass it on the command line)',
    '  HELCIM_API_URL          Helcim API base URL (default https://api.helcim.com/v2)',
    '  PAYMENT_KIT_ACCESS_KEY  Payment Kit access key (never on the command line)',
    "  PAYMENT_KIT_URL         Payment Kit's base URL: the app's origin + its mount point",
    '  HELCIM_SYNC_CACHE_DIR   Where account sizes are remembered (off: nowhere)',
    '  NO_COLOR                Disable colour',
    '',
  ].join('\n');
}

/** Runs one invocation and returns its exit code; never calls process.exit. */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    ctx.stderr.write(globalHelp());
    return EXIT.error;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    const entry = topic === undefined ? undefined : commands.find((c) => c.name === topic);
    ctx.stdout.write(
      entry === undefined ? globalHelp() : formatHelp({ ...entry, ...(await entry.load()) }),
    );
    return EXIT.ok;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    ctx.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === first);
  try {
    if (entry === undefined) {
      const guess = closest(
        first,
        commands.map((c) => c.name),
      );
      throw new UsageError(
        `unknown command "${first}"${guess === undefined ? '' : `; did you mean "${guess}"?`}`,
        { hint: 'run "helcim-sync --help" for the list of commands' },
      );
    }
    const command: Command = { ...entry, ...(await entry.load()) };
    if (rest.includes('--help') || rest.includes('-h')) {
      ctx.stdout.write(formatHelp(command));
      return EXIT.ok;
    }
    return await command.run(ctx, parseCommandArgs(command, rest), run);
  } catch (error) {
    return reportError(ctx, error);
  }
}

function reportError(ctx: CliContext, error: unknown): number {
  // Ctrl-C while reading Helcim surfaces as a cancelled request: that is the user's choice, not
  // a failure, and it happens before any write.
  if (ctx.signal.aborted && error instanceof SyncError && error.code === 'ERR_ABORTED') {
    ctx.stderr.write('Interrupted before any change was made; nothing was written.\n');
    return EXIT.interrupted;
  }
  if (error instanceof SyncError) {
    ctx.stderr.write(`error: ${error.message}\n`);
    if (error.hint !== undefined) ctx.stderr.write(`  ${error.hint}\n`);
    return EXIT.error;
  }
  // Unknown failures keep their stack: they are bugs, and the stack is what a bug report needs.
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  ctx.stderr.write(`internal error: ${text}\n`);
  return EXIT.error;
}
