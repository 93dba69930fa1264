import { SyncError, UsageError } from '../core/errors.js';
import { parseRateLimit, type RateLimits } from '../core/rate-limits.js';
import { loadConfig } from '../load/config.js';
import {
  DEFAULT_PROVIDER,
  isProviderName,
  PROVIDER_NAMES,
  providerInfo,
} from '../providers/index.js';
import type { Connection } from '../providers/types.js';
import { cacheDir } from '../remote/cache.js';
import {
  booleanOption,
  numberOption,
  stringOption,
  type OptionSpecs,
  type ParsedArgs,
} from './command.js';
import type { CliContext } from './context.js';

/** Options of every command that talks to the provider. */
export const remoteOptions: OptionSpecs = {
  'rate-limit': {
    type: 'string',
    valueName: 'C/M/H',
    description:
      "Requests in flight/per minute/per hour the account allows (default: Helcim's 5/100/3000; Payment Kit documents none, so 5 in flight and no minute or hour limit); off for an emulator without limits",
  },
  'time-scale': {
    type: 'string',
    valueName: 'X',
    description:
      'Only against an emulator started with --time-scale X: its windows run X times faster',
  },
  timeout: {
    type: 'string',
    valueName: 'MS',
    description: 'Time limit for one request (default 30000)',
  },
};

/** For the commands that may run without a config file (export, adopt). */
export const providerOptions: OptionSpecs = {
  provider: {
    type: 'string',
    valueName: 'NAME',
    description: `The system the customers live in: ${PROVIDER_NAMES.join(' or ')} (default: the config's provider:, else ${DEFAULT_PROVIDER})`,
  },
  livemode: {
    type: 'boolean',
    description: "Payment Kit: its live customers (default: the config's livemode:)",
  },
  testmode: {
    type: 'boolean',
    description: "Payment Kit: its test customers (default: the config's livemode:)",
  },
};

/** Which provider to talk to, and Payment Kit's mode. */
export interface ProviderChoice {
  provider: string;
  /** Named by `--provider` or the config, rather than the default. */
  named: boolean;
  livemode?: boolean;
}

/**
 * The provider the config names, unless `--provider` (and `--livemode` / `--testmode`) say
 * otherwise: what export and adopt use. A config with errors is reported by the command that
 * reads it; here it only lends its provider.
 */
export function providerChoice(ctx: CliContext, args: ParsedArgs): ProviderChoice {
  const configPath = stringOption(args, 'config');
  const config = loadConfig({
    cwd: ctx.cwd,
    ...(configPath === undefined ? {} : { path: configPath }),
  }).config;
  const named = stringOption(args, 'provider');
  if (named !== undefined && !isProviderName(named))
    throw new UsageError(`--provider: unknown provider ${JSON.stringify(named)}`, {
      hint: `use one of: ${PROVIDER_NAMES.join(', ')}`,
    });
  const live = booleanOption(args, 'livemode');
  const test = booleanOption(args, 'testmode');
  if (live && test) throw new UsageError('--livemode and --testmode exclude each other');
  const provider = named ?? config.provider;
  const livemode = live ? true : test ? false : config.livemode;
  return {
    provider,
    named: named !== undefined || config.providerNamed === true,
    ...(livemode === undefined ? {} : { livemode }),
  };
}

export interface RemoteSetup extends Connection {
  provider: string;
}

/** The provider's client as the CLI builds it: secrets and URL from the environment only. */
export async function buildRemote(
  ctx: CliContext,
  args: ParsedArgs,
  choice: ProviderChoice,
): Promise<RemoteSetup> {
  const rateText = stringOption(args, 'rate-limit');
  const limits: RateLimits | 'off' | undefined =
    rateText === undefined ? undefined : parseRateLimit(rateText);
  const timeScale = numberOption(args, 'time-scale', { min: Number.MIN_VALUE }) ?? 1;
  const timeoutMs = numberOption(args, 'timeout', { min: 1, integer: true });
  const dir = cacheDir(ctx.env);
  const connector = await providerInfo(choice.provider).connector();
  const connection = connector.connect({
    env: ctx.env,
    timeScale,
    ...(limits === undefined ? {} : { limits }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(choice.livemode === undefined ? {} : { livemode: choice.livemode }),
    ...(dir === undefined ? {} : { cacheDir: dir }),
  });
  return { ...connection, provider: choice.provider };
}

export function apiTarget(ctx: CliContext, provider: string): string {
  return providerInfo(provider).target(ctx.env);
}

export function assertSameTarget(
  saved: string,
  current: string,
  file: string,
  provider: string,
): void {
  if (saved !== current) {
    const env = providerInfo(provider).urlEnv;
    throw new SyncError(
      'ERR_PLAN',
      `${file}: the plan was made against ${saved}, but ${env} points at ${current}; nothing was written`,
      {
        hint: `set ${env}=${saved} to apply it there, or make a new plan against ${current}`,
      },
    );
  }
}
