import { UsageError } from '../../core/errors.js';
import { parseRateLimit } from '../../emulator/index.js';
import { toUsage } from '../../emulator/usage.js';
import { DEFAULT_PROVIDER, PROVIDER_NAMES, providerInfo } from '../../providers/index.js';
import type { EmulatorCli, EmulatorSettings } from '../../providers/types.js';
import type { CommandBody, OptionSpecs, ParsedArgs } from '../command.js';
import { booleanOption, EXIT, numberOption, stringOption } from '../command.js';
import type { CliContext } from '../context.js';

/** Every provider's emulator, in the registry's order (the default first). */
const EMULATORS: readonly (readonly [string, EmulatorCli])[] = PROVIDER_NAMES.map((name) => [
  name,
  providerInfo(name).emulator,
]);

/** Options that only one provider's emulator has: given to another, a usage error. */
const ONLY_FOR = new Map<string, string>(
  EMULATORS.flatMap(([name, emulator]) => Object.keys(emulator.options).map((o) => [o, name])),
);

function readProvider(args: ParsedArgs): [string, EmulatorCli] {
  const given = stringOption(args, 'provider') ?? DEFAULT_PROVIDER;
  const found = EMULATORS.find(([name]) => name === given);
  if (found === undefined) {
    throw new UsageError(
      `--provider must be ${PROVIDER_NAMES.map((n) => `"${n}"`).join(' or ')}, got "${given}"`,
    );
  }
  for (const [name, owner] of ONLY_FOR) {
    if (owner !== given && args.values[name] !== undefined) {
      throw new UsageError(`--${name} applies to --provider ${owner} only`);
    }
  }
  return [given, found[1]];
}

/** What every emulator takes; the provider's emulator reads the rest of `args` itself. */
function settingsOf(ctx: CliContext, args: ParsedArgs, emulator: EmulatorCli): EmulatorSettings {
  const settings: EmulatorSettings = {
    port: numberOption(args, 'port', { min: 0, integer: true }) ?? 0,
    host: stringOption(args, 'host') ?? '127.0.0.1',
    token: stringOption(args, 'token') ?? nonEmpty(ctx.env[emulator.tokenEnv]) ?? emulator.devToken,
    log: (message) => ctx.stderr.write(`${message}\n`),
  };
  if (settings.port > 65535)
    throw new UsageError(`--port must be at most 65535, got ${settings.port}`);
  const state = stringOption(args, 'state');
  if (state !== undefined) settings.statePath = state;
  const seed = numberOption(args, 'seed', { min: 0, integer: true });
  if (seed !== undefined) settings.seed = seed;
  const rateLimit = stringOption(args, 'rate-limit');
  if (rateLimit !== undefined) toUsage(() => (settings.rateLimit = parseRateLimit(rateLimit)));
  if (booleanOption(args, 'count-rejected')) {
    const limits = settings.rateLimit ?? emulator.defaultRateLimit;
    if (limits !== 'off') settings.rateLimit = { ...limits, countRejected: true };
  }
  const timeScale = numberOption(args, 'time-scale', { min: 0 });
  if (timeScale !== undefined) {
    if (timeScale <= 0) throw new UsageError(`--time-scale must be above 0, got ${timeScale}`);
    settings.timeScale = timeScale;
  }
  const latency = numberOption(args, 'latency', { min: 0 });
  if (latency !== undefined) settings.latencyMs = latency;
  const faults = stringOption(args, 'faults');
  if (faults !== undefined) settings.faults = faults;
  const faultSeed = numberOption(args, 'fault-seed', { integer: true });
  if (faultSeed !== undefined) settings.faultSeed = faultSeed;
  return settings;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function limitText(limit: EmulatorCli['defaultRateLimit']): string {
  return limit === 'off' ? 'off' : `${limit.concurrent}/${limit.perMinute}/${limit.perHour}`;
}

const [first, ...others] = EMULATORS;
const faultKinds = [
  first?.[1].faultKinds.join(', ') ?? '',
  ...others.map(([name, e]) => `(${name}: ${e.faultKinds.join(', ')})`),
].join(' ');
const ownOptions = EMULATORS.reduce<OptionSpecs>((all, [, e]) => ({ ...all, ...e.options }), {});

export const emulatorCommand: CommandBody = {
  usage: 'emulator [options]',
  description: [
    ...EMULATORS.flatMap(([, e]) => e.help),
    'Admin endpoints (no token): GET /__emulator/stats, POST /__emulator/reset.',
  ].join('\n'),
  examples: EMULATORS.flatMap(([, e]) => e.examples),
  options: {
    provider: {
      type: 'string',
      valueName: PROVIDER_NAMES.join('|'),
      description: 'Which service to emulate',
      default: DEFAULT_PROVIDER,
    },
    port: { type: 'string', valueName: 'N', description: 'Port; 0 picks a free one', default: '0' },
    host: {
      type: 'string',
      valueName: 'HOST',
      description: 'Address to listen on',
      default: '127.0.0.1',
    },
    token: {
      type: 'string',
      valueName: 'TOKEN',
      description: `Accepted api-token or access key (prefer ${EMULATORS.map(([, e]) => e.tokenEnv).join(' or ')}: argv is visible to others)`,
    },
    state: {
      type: 'string',
      valueName: 'FILE',
      description: 'Load customers from FILE on start; save them there (mode 0600) as they change',
    },
    seed: {
      type: 'string',
      valueName: 'N',
      description: 'Start with N generated customers when empty (payment-kit: N in each mode)',
    },
    'rate-limit': {
      type: 'string',
      valueName: 'C/M/H',
      description: `In flight / per minute / per hour, or "off" (default ${EMULATORS.map(
        ([name, e]) => `${limitText(e.defaultRateLimit)} for ${name}`,
      ).join(', ')})`,
    },
    'count-rejected': {
      type: 'boolean',
      description: 'Count requests refused with 429 against the windows (the harsher reading)',
    },
    'time-scale': {
      type: 'string',
      valueName: 'X',
      description: 'Run the rate windows (and payment-kit churn) X times faster',
      default: '1',
    },
    latency: {
      type: 'string',
      valueName: 'MS',
      description: 'Delay added to every API request',
      default: '0',
    },
    faults: {
      type: 'string',
      valueName: 'SPEC',
      description: `KIND:PROBABILITY,... with kinds ${faultKinds}`,
    },
    'fault-seed': {
      type: 'string',
      valueName: 'N',
      description: 'Seed of the fault draws',
      default: '1',
    },
    ...ownOptions,
  },
  async run(ctx, args) {
    const [provider, emulatorCli] = readProvider(args);
    const settings = settingsOf(ctx, args, emulatorCli);
    if (ctx.signal.aborted) return EXIT.ok;
    const emulator = await emulatorCli.start(settings, args);
    if (settings.token === emulatorCli.devToken) {
      ctx.stderr.write(`emulator: accepting the dev token "${emulatorCli.devToken}"\n`);
    }
    ctx.stdout.write(`${provider} emulator listening on ${emulator.url}\n`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    ctx.stderr.write('emulator: stopping\n');
    await emulator.close();
    const stats = emulator.stats();
    ctx.stderr.write(
      `emulator: stopped after ${stats.totalRequests} requests; ${stats.customers} customers` +
        (settings.statePath === undefined ? '' : ` saved to ${settings.statePath}`) +
        '\n',
    );
    return EXIT.ok;
  },
};
