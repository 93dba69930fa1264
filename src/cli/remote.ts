import { SyncError } from '../core/errors.js';
import { HELCIM_RATE_LIMITS, parseRateLimit, type RateLimits } from '../core/rate-limits.js';
import { helcimClientFromEnv, type HelcimClient } from '../providers/helcim/client/index.js';
import {
  DEFAULT_HELCIM_API_URL,
  resolveBaseUrl,
  URL_ENV,
} from '../providers/helcim/client/config.js';
import { cacheDir, openCache, requestMemory } from '../remote/cache.js';
import { numberOption, stringOption, type OptionSpecs, type ParsedArgs } from './command.js';
import type { CliContext } from './context.js';

/** Options of every command that talks to Helcim. */
export const remoteOptions: OptionSpecs = {
  'rate-limit': {
    type: 'string',
    valueName: 'C/M/H',
    description:
      "Requests in flight/per minute/per hour the account allows (default Helcim's 5/100/3000); off for an emulator without limits",
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

export interface RemoteSetup {
  remote: HelcimClient;
  /** The API base URL, shown to the user and recorded in saved plans (it holds no secret). */
  target: string;
  limits: RateLimits | 'off';
}

/** The Helcim client as the CLI builds it: token and URL from the environment only. */
export function buildRemote(ctx: CliContext, args: ParsedArgs): RemoteSetup {
  const rateText = stringOption(args, 'rate-limit');
  const limits = rateText === undefined ? { ...HELCIM_RATE_LIMITS } : parseRateLimit(rateText);
  const scale = numberOption(args, 'time-scale', { min: Number.MIN_VALUE }) ?? 1;
  const timeoutMs = numberOption(args, 'timeout', { min: 1, integer: true });
  const target = apiTarget(ctx);
  // Wall times in the cache are compared with the scaled window: an emulator's "hour" under
  // --time-scale X is 1/X of a real one, and real milliseconds pass on both sides.
  const hourMs = 3_600_000 / scale;
  const remote = helcimClientFromEnv(ctx.env, {
    limits: limits === 'off' ? 'off' : { ...limits, minuteMs: 60_000 / scale, hourMs },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(limits === 'off'
      ? {}
      : {
          budgetMemory: requestMemory(openCache(cacheDir(ctx.env), target), hourMs, limits.perHour),
        }),
  });
  return { remote, target, limits };
}

export function apiTarget(ctx: CliContext): string {
  const raw = ctx.env[URL_ENV]?.trim();
  const { origin, basePath } = resolveBaseUrl(
    raw === undefined || raw === '' ? DEFAULT_HELCIM_API_URL : raw,
  );
  return `${origin}${basePath}`;
}

export function assertSameTarget(saved: string, current: string, file: string): void {
  if (saved !== current) {
    throw new SyncError(
      'ERR_PLAN',
      `${file}: the plan was made against ${saved}, but ${URL_ENV} points at ${current}; nothing was written`,
      {
        hint: `set ${URL_ENV}=${saved} to apply it there, or make a new plan against ${current}`,
      },
    );
  }
}
