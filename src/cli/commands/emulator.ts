import { SyncError, UsageError } from '../../core/errors.js';
import {
  DEFAULT_EMULATOR_TOKEN,
  DEFAULT_RATE_LIMIT,
  DUPLICATE_CODES_MODES,
  isDuplicateCodesMode,
  parseFaultSpec,
  parseRateLimit,
  startEmulator,
  type EmulatorOptions,
  type StartEmulatorOptions,
} from '../../emulator/index.js';
import {
  DEFAULT_MOUNT_POINT,
  DEFAULT_PAYMENT_KIT_TOKEN,
  normalizeMountPoint,
  PAYMENT_KIT_FAULT_KINDS,
  parsePaymentKitFaults,
} from '../../providers/payment-kit/emulator/index.js';
import type { CommandBody, ParsedArgs } from '../command.js';
import { booleanOption, EXIT, numberOption, stringOption } from '../command.js';
import type { CliContext } from '../context.js';

function toUsage(parse: () => void): void {
  try {
    parse();
  } catch (caught) {
    if (caught instanceof SyncError) {
      throw new UsageError(caught.message, caught.hint === undefined ? {} : { hint: caught.hint });
    }
    throw caught;
  }
}

const PROVIDERS = ['helcim', 'payment-kit'] as const;
type Provider = (typeof PROVIDERS)[number];
/** Options that only one provider's emulator has: given to the other, a usage error. */
const ONLY_FOR: Record<string, Provider> = {
  'duplicate-codes': 'helcim',
  'mount-point': 'payment-kit',
  churn: 'payment-kit',
};
/** The env var keeps a chosen token out of argv (and so out of `ps`). */
const TOKENS: Record<Provider, { env: string; dev: string }> = {
  helcim: { env: 'HELCIM_EMULATOR_TOKEN', dev: DEFAULT_EMULATOR_TOKEN },
  'payment-kit': { env: 'PAYMENT_KIT_EMULATOR_KEY', dev: DEFAULT_PAYMENT_KIT_TOKEN },
};

function readProvider(args: ParsedArgs): Provider {
  const given = stringOption(args, 'provider') ?? 'helcim';
  const provider = PROVIDERS.find((p) => p === given);
  if (provider === undefined) {
    throw new UsageError(`--provider must be "helcim" or "payment-kit", got "${given}"`);
  }
  for (const [name, owner] of Object.entries(ONLY_FOR)) {
    if (owner !== provider && args.values[name] !== undefined) {
      throw new UsageError(`--${name} applies to --provider ${owner} only`);
    }
  }
  return provider;
}

function buildOptions(ctx: CliContext, args: ParsedArgs): StartEmulatorOptions {
  const provider = readProvider(args);
  const common = buildCommonOptions(ctx, args, provider);
  if (provider === 'helcim') {
    const duplicateCodes = stringOption(args, 'duplicate-codes');
    if (duplicateCodes === undefined) return common;
    if (!isDuplicateCodesMode(duplicateCodes)) {
      throw new UsageError(
        `--duplicate-codes must be ${DUPLICATE_CODES_MODES.map((m) => `"${m}"`).join(' or ')}, got "${duplicateCodes}"`,
      );
    }
    return { ...common, duplicateCodes };
  }
  const { faults, ...shared } = common;
  const options: StartEmulatorOptions = { ...shared, provider: 'payment-kit' };
  if (faults !== undefined) toUsage(() => (options.faults = parsePaymentKitFaults(faults)));
  const mountPoint = stringOption(args, 'mount-point');
  if (mountPoint !== undefined) {
    toUsage(() => (options.mountPoint = normalizeMountPoint(mountPoint)));
  }
  const churn = numberOption(args, 'churn', { min: 0 });
  if (churn !== undefined) options.churn = churn;
  return options;
}

/** What both emulators take. Payment Kit's rate limit is off unless asked for. */
function buildCommonOptions(
  ctx: CliContext,
  args: ParsedArgs,
  provider: Provider,
): EmulatorOptions {
  const options: EmulatorOptions = {
    port: numberOption(args, 'port', { min: 0, integer: true }) ?? 0,
    host: stringOption(args, 'host') ?? '127.0.0.1',
    token:
      stringOption(args, 'token') ??
      nonEmpty(ctx.env[TOKENS[provider].env]) ??
      TOKENS[provider].dev,
    log: (message) => ctx.stderr.write(`${message}\n`),
  };
  const port = options.port ?? 0;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const state = stringOption(args, 'state');
  if (state !== undefined) options.statePath = state;
  const seed = numberOption(args, 'seed', { min: 0, integer: true });
  if (seed !== undefined) options.seed = seed;
  const rateLimit = stringOption(args, 'rate-limit');
  if (rateLimit !== undefined) toUsage(() => (options.rateLimit = parseRateLimit(rateLimit)));
  if (booleanOption(args, 'count-rejected')) {
    const limits = options.rateLimit ?? (provider === 'helcim' ? DEFAULT_RATE_LIMIT : 'off');
    if (limits !== 'off') options.rateLimit = { ...limits, countRejected: true };
  }
  const timeScale = numberOption(args, 'time-scale', { min: 0 });
  if (timeScale !== undefined) {
    if (timeScale <= 0) throw new UsageError(`--time-scale must be above 0, got ${timeScale}`);
    options.timeScale = timeScale;
  }
  const latency = numberOption(args, 'latency', { min: 0 });
  if (latency !== undefined) options.latencyMs = latency;
  const faults = stringOption(args, 'faults');
  // Payment Kit checks its own kinds (buildOptions); Helcim's parser reads the text for both.
  if (faults !== undefined) toUsage(() => (options.faults = parseFaultSpec(faults)));
  const faultSeed = numberOption(args, 'fault-seed', { integer: true });
  if (faultSeed !== undefined) options.faultSeed = faultSeed;
  return options;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export const emulatorCommand: CommandBody = {
  usage: 'emulator [options]',
  description: [
    "Serves Helcim's Customer API (/v2/customers...) on localhost with its quirks, rate limits",
    'and optional injected faults. Prints "listening on http://HOST:PORT/v2" on stdout once',
    'ready; stops cleanly (saving --state) on SIGINT or SIGTERM.',
    `The api-token is --token, else HELCIM_EMULATOR_TOKEN, else the dev token "${DEFAULT_EMULATOR_TOKEN}".`,
    "--provider payment-kit serves ArcBlock Payment Kit's customers API under --mount-point",
    '(listening on http://HOST:PORT/payment); its access key is --token, else',
    `PAYMENT_KIT_EMULATOR_KEY, else the dev key "${DEFAULT_PAYMENT_KIT_TOKEN}"; no rate limit unless asked.`,
    'Admin endpoints (no token): GET /__emulator/stats, POST /__emulator/reset.',
  ].join('\n'),
  examples: [
    'helcim-sync emulator --port 8080 --seed 100',
    'helcim-sync emulator --state .emulator.json --rate-limit off',
    'helcim-sync emulator --faults 500:0.05,lost-response:0.02 --fault-seed 7',
    'helcim-sync emulator --provider payment-kit --seed 50 --churn 6',
  ],
  options: {
    provider: {
      type: 'string',
      valueName: 'helcim|payment-kit',
      description: 'Which service to emulate',
      default: 'helcim',
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
      description:
        'Accepted api-token or access key (prefer HELCIM_EMULATOR_TOKEN or PAYMENT_KIT_EMULATOR_KEY: ' +
        'argv is visible to others)',
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
      description:
        'In flight / per minute / per hour, or "off" (default 5/100/3000 for helcim, off for payment-kit)',
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
      description: `KIND:PROBABILITY,... with kinds 500, 522, 429, reset, hang, lost-response (payment-kit: ${PAYMENT_KIT_FAULT_KINDS.join(', ')})`,
    },
    'fault-seed': {
      type: 'string',
      valueName: 'N',
      description: 'Seed of the fault draws',
      default: '1',
    },
    'duplicate-codes': {
      type: 'string',
      valueName: 'accept|reject',
      description:
        'Helcim only. A customerCode another customer holds, on create or update: "reject" ' +
        '(the default) answers 400, "accept" lets both customers have it (unverified upstream)',
    },
    'mount-point': {
      type: 'string',
      valueName: 'PATH',
      description: `Payment Kit only. Where the app mounts it (default ${DEFAULT_MOUNT_POINT})`,
    },
    churn: {
      type: 'string',
      valueName: 'N',
      description: 'Payment Kit only. N new customers a minute in each mode, newest first',
    },
  },
  async run(ctx, args) {
    const options = buildOptions(ctx, args);
    if (ctx.signal.aborted) return EXIT.ok;
    const emulator = await startEmulator(options);
    const provider = options.provider ?? 'helcim';
    if (options.token === TOKENS[provider].dev) {
      ctx.stderr.write(`emulator: accepting the dev token "${TOKENS[provider].dev}"\n`);
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
        (options.statePath === undefined ? '' : ` saved to ${options.statePath}`) +
        '\n',
    );
    return EXIT.ok;
  },
};
