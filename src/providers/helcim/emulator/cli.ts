/** The Helcim emulator as `helcim-sync emulator` starts it (the default provider). */
import { UsageError } from '../../../core/errors.js';
import { stringOption } from '../../../cli/command.js';
import { parseFaultSpec } from '../../../emulator/faults.js';
import { DEFAULT_RATE_LIMIT } from '../../../emulator/rate-limit.js';
import { FAULT_KINDS } from '../../../emulator/types.js';
import { toUsage } from '../../../emulator/usage.js';
import type { EmulatorCli } from '../../types.js';
import {
  DEFAULT_EMULATOR_TOKEN,
  DUPLICATE_CODES_MODES,
  isDuplicateCodesMode,
  isRemainingHeadersMode,
  REMAINING_HEADERS_MODES,
  type EmulatorOptions,
} from './types.js';

export const helcimEmulatorCli: EmulatorCli = {
  tokenEnv: 'HELCIM_EMULATOR_TOKEN',
  devToken: DEFAULT_EMULATOR_TOKEN,
  defaultRateLimit: DEFAULT_RATE_LIMIT,
  faultKinds: FAULT_KINDS,
  help: [
    "Serves Helcim's Customer API (/v2/customers...) on localhost with its quirks, rate limits",
    'and optional injected faults. Prints "listening on http://HOST:PORT/v2" on stdout once',
    'ready; stops cleanly (saving --state) on SIGINT or SIGTERM.',
    `The api-token is --token, else HELCIM_EMULATOR_TOKEN, else the dev token "${DEFAULT_EMULATOR_TOKEN}".`,
    'The fault "reject" refuses a write (POST, PUT; reads never) with a 400 and a field error',
    '({"errors":{"contactName":"..."}} for Helcim), as an invalid record would be refused.',
  ],
  examples: [
    'helcim-sync emulator --port 8080 --seed 100',
    'helcim-sync emulator --state .emulator.json --rate-limit off',
    'helcim-sync emulator --faults 500:0.05,lost-response:0.02 --fault-seed 7',
    'helcim-sync emulator --faults reject:0.1 --fault-seed 3',
    'helcim-sync emulator --remaining-headers before-call',
  ],
  options: {
    'duplicate-codes': {
      type: 'string',
      valueName: 'accept|reject',
      description:
        'Helcim only. A customerCode another customer holds, on create or update: "reject" ' +
        '(the default) answers 400, "accept" lets both customers have it (unverified upstream)',
    },
    'remaining-headers': {
      type: 'string',
      valueName: 'after-call|before-call',
      description:
        'Helcim only. What minute-limit-remaining and hour-limit-remaining report: "after-call" ' +
        '(the default) the budget left once this request is counted, "before-call" the budget ' +
        'before it, as recorded from Helcim (the first call of a minute says 100)',
    },
  },
  async start(settings, args) {
    const { faults, ...shared } = settings;
    const options: EmulatorOptions = shared;
    if (faults !== undefined) toUsage(() => (options.faults = parseFaultSpec(faults)));
    const duplicateCodes = stringOption(args, 'duplicate-codes');
    if (duplicateCodes !== undefined) {
      if (!isDuplicateCodesMode(duplicateCodes)) {
        throw new UsageError(
          `--duplicate-codes must be ${DUPLICATE_CODES_MODES.map((m) => `"${m}"`).join(' or ')}, got "${duplicateCodes}"`,
        );
      }
      options.duplicateCodes = duplicateCodes;
    }
    const remainingHeaders = stringOption(args, 'remaining-headers');
    if (remainingHeaders !== undefined) {
      if (!isRemainingHeadersMode(remainingHeaders)) {
        throw new UsageError(
          `--remaining-headers must be ${REMAINING_HEADERS_MODES.map((m) => `"${m}"`).join(' or ')}, got "${remainingHeaders}"`,
        );
      }
      options.remainingHeaders = remainingHeaders;
    }
    const { startHelcimEmulator } = await import('./index.js');
    return startHelcimEmulator(options);
  },
};
