import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import type { CliContext } from './context.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown in --help. */
  description: string;
  /** Placeholder for the value in --help, e.g. `FILE`. */
  valueName?: string;
  default?: string | boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface ParsedArgs {
  values: ParsedValues;
  positionals: string[];
}

/** Exit codes, set in one place: see the README's "Exit codes". */
export const EXIT = {
  ok: 0,
  error: 1,
  changes: 2,
  interrupted: 130,
} as const;

/** What a command module defines; its name and summary live in the command list. */
export interface CommandBody {
  /** The synopsis after `helcim-sync`, e.g. `plan [PATH...]`. */
  usage: string;
  /** Longer description for --help. */
  description?: string;
  examples: string[];
  options: OptionSpecs;
  /**
   * Returns the exit code. `runCommand` runs another invocation (the demo runs plan and apply):
   * handed in, so that no command imports the dispatcher that imports every command.
   */
  run(ctx: CliContext, args: ParsedArgs, runCommand: RunCommand): Promise<number>;
}

/** `helcim-sync ARGV` in-process, with its exit code. */
export type RunCommand = (argv: string[], ctx: CliContext) => Promise<number>;

export interface CommandInfo {
  name: string;
  summary: string;
}

export type Command = CommandInfo & CommandBody;

/**
 * An entry of the command list: what --help shows, and the module, loaded only when the
 * command runs so that starting the CLI does not load every command's dependencies.
 */
export interface CommandEntry extends CommandInfo {
  load(): Promise<CommandBody>;
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
  > = {};
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = {
      type: spec.type,
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === undefined ? {} : { multiple: spec.multiple }),
    };
  }
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const values: ParsedValues = { ...parsed.values };
    for (const [name, spec] of Object.entries(command.options)) {
      if (values[name] === undefined && spec.default !== undefined) values[name] = spec.default;
    }
    return { values, positionals: parsed.positionals };
  } catch (error) {
    throw toUsageError(command, error);
  }
}

function toUsageError(command: Command, error: unknown): Error {
  if (!(error instanceof Error)) return new UsageError(String(error));
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(error.message);
  if (unknown?.[1] !== undefined) {
    const given = unknown[1];
    const names = Object.keys(command.options).map((n) => `--${n}`);
    const guess = closest(given, names);
    return new UsageError(
      `unknown option ${given} for "helcim-sync ${command.name}"` +
        (guess === undefined ? '' : `; did you mean ${guess}?`),
      { hint: `see "helcim-sync ${command.name} --help" for the options` },
    );
  }
  return new UsageError(error.message.replace(/\. To specify .*$/s, ''), {
    hint: `see "helcim-sync ${command.name} --help"`,
  });
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function numberOption(
  args: ParsedArgs,
  name: string,
  opts: { min?: number; integer?: boolean } = {},
): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const min = opts.min ?? -Infinity;
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    (opts.integer === true && !Number.isInteger(value))
  ) {
    const kind = opts.integer === true ? 'an integer' : 'a number';
    throw new UsageError(
      `--${name} must be ${kind}${Number.isFinite(min) ? ` >= ${min}` : ''}, got "${raw}"`,
    );
  }
  return value;
}

export function formatHelp(command: Command): string {
  const lines = [`Usage: helcim-sync ${command.usage}`, '', command.summary];
  if (command.description !== undefined) lines.push('', command.description);
  const entries = Object.entries(command.options);
  if (entries.length > 0) {
    lines.push('', 'Options:');
    const rows = entries.map(([name, spec]) => {
      const flag = `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
      const dflt =
        spec.default === undefined || spec.default === false
          ? ''
          : ` (default: ${String(spec.default)})`;
      return [flag, `${spec.description}${dflt}`] as const;
    });
    const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
    for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  }
  if (command.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const example of command.examples) lines.push(`  ${example}`);
  }
  return lines.join('\n') + '\n';
}
