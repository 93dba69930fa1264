import { extname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { providerInfo } from '../../providers/index.js';
import {
  exportCustomers,
  isExportFormat,
  schemaReference,
  packageSchemaPath,
  schemaFallback,
  writePrivateFile,
  type ExportFormat,
  type ExportResult,
} from '../../export/index.js';
import { cardSummaries, canListCards } from '../../export/cards.js';
import {
  canReadPaymentDetails,
  readPaymentDetails,
  type PaymentReadCalls,
  type PaymentReadPlan,
} from '../../export/payment-details.js';
import { formatDuration, leastSeconds } from '../../plan/cost.js';
import type { RateLimits } from '../../core/rate-limits.js';
import { displayName } from '../../load/files.js';
import type { CustomerRemote } from '../../remote/port.js';
import {
  EXIT,
  booleanOption,
  numberOption,
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

function formatFromExtension(out: string): ExportFormat | undefined {
  const ext = extname(out).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.csv') return 'csv';
  return undefined;
}

/** `--format`, or the `--out` extension; the two must agree, since loading goes by extension. */
function chooseFormat(args: ParsedArgs, out: string | undefined): ExportFormat {
  const given = stringOption(args, 'format');
  if (given !== undefined && !isExportFormat(given))
    throw new UsageError(`--format must be yaml or csv, got "${given}"`);
  const fromOut = out === undefined ? undefined : formatFromExtension(out);
  if (out !== undefined && fromOut === undefined)
    throw new UsageError(`--out ${out}: the file name must end in .yaml, .yml or .csv`, {
      hint: 'validate, plan and apply pick the loader by the extension',
    });
  if (given !== undefined && fromOut !== undefined && given !== fromOut)
    throw new UsageError(`--format ${given} does not match --out ${out}`, {
      hint: `name the file *.${given}, or leave --format out`,
    });
  return fromOut ?? (given === 'csv' ? 'csv' : 'yaml');
}

function codesOption(args: ParsedArgs): string[] {
  const raw = args.values['code'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((c): c is string => typeof c === 'string' && c.trim() !== '');
}

/** Before the reads: what they will cost at most, and how long the limits make that take. */
function paymentPlanLine(
  plan: PaymentReadPlan,
  limits: RateLimits | 'off',
  timeScale: number,
): string {
  const cards =
    plan.cards === 'listing'
      ? `${plan.cardCalls} to list the cards`
      : `${plan.cardCalls} for cards`;
  // An emulator's windows under --time-scale X pass X times faster.
  const floor = limits === 'off' ? 0 : leastSeconds(plan.callsAtMost, limits) / timeScale;
  const time =
    floor < 60 ? '' : `; the rate limits allow that in no less than ${formatDuration(floor)}`;
  return `reading payment details of ${plural(plan.customers, 'customer')}: up to ${plural(plan.callsAtMost, 'more call')} (${cards}, ${plan.bankAccountCalls} for bank accounts, up to ${plan.padCallsAtMost} for PAD agreements)${time}\n`;
}

/** After the reads: the calls they made. */
function paymentCallsLine(calls: PaymentReadCalls): string {
  return `payment details: ${plural(calls.total, 'call')} (${calls.cards} for cards, ${calls.bankAccounts} for bank accounts, ${calls.pads} for PAD agreements)\n`;
}

function report(ctx: CliContext, result: ExportResult, where: string, provider: string): void {
  const info = providerInfo(provider);
  const identity = info.fields.identity;
  const color = useColor(ctx, 'stderr');
  const { problems, changed } = result.check;
  if (problems.length > 0) {
    ctx.stderr.write(
      `note: ${info.displayName} holds data the desired-state rules refuse; "helcim-sync validate" will report:\n`,
    );
    for (const p of problems) ctx.stderr.write(formatProblem(p, color));
  }
  if (changed.length > 0)
    ctx.stderr.write(
      `warning: ${plural(changed.length, 'customer')} would not load back unchanged: ${changed.join(', ')}\n`,
    );
  if (result.duplicateCodes.length > 0)
    ctx.stderr.write(
      `warning: more than one customer in ${info.displayName} has ${info.fields.identityLabel} ${result.duplicateCodes.join(', ')}; plan will report a conflict\n`,
    );
  if (result.withoutCode.length > 0)
    ctx.stderr.write(
      `warning: ${plural(result.withoutCode.length, 'customer')} without a ${identity} (ids ${result.withoutCode.join(', ')}) exported without one\n`,
    );
  ctx.stderr.write(`exported ${plural(result.count, 'customer')} to ${where}\n`);
}

export const exportCommand: CommandBody = {
  usage: 'export [options]',
  description: [
    "Reads every customer of the provider (or those chosen with --code / --search; Payment Kit's",
    'of one mode) and writes them as a customers file that validates and plans back with no',
    'changes: values normalised, customers sorted by identity (code, DID), fields in a fixed',
    'order, empty fields and read-only ones (dates, balances) left out. YAML starts with a',
    'schema line; CSV has dotted headers and formula-like cells neutralised for spreadsheets.',
    'Files are written with mode 0600 (personal data). Cards are never exported; with',
    "--include-cards (Helcim) a YAML comment gives their count and the default card's last four",
    "digits. --include-payment-details (Helcim, YAML) adds the default card's expiry, each bank",
    'account (type, last four digits, verified or not) and its PAD agreement (pending, accepted',
    'or revoked), as comments. It costs more calls, stated on stderr: one per customer for bank',
    'accounts, one per customer with a bank account for PADs, and for cards the cheaper of one',
    'per customer and a listing (one per 100 in the account). Tokens, full card and account',
    'numbers, institution, transit and routing numbers never leave the process. Helcim:',
    'HELCIM_API_TOKEN and HELCIM_API_URL; Payment Kit: PAYMENT_KIT_ACCESS_KEY and',
    'PAYMENT_KIT_URL.',
  ].join('\n'),
  examples: [
    'helcim-sync export --out customers.yaml',
    'helcim-sync export --format csv --search acme > acme.csv',
    'helcim-sync export --code CST1001 --code CST1002',
    'helcim-sync export --code CST1001 --include-payment-details',
    'helcim-sync export --provider payment-kit --testmode --out customers.yaml',
  ],
  options: {
    out: {
      type: 'string',
      short: 'o',
      valueName: 'FILE',
      description: 'Write to FILE (.yaml, .yml or .csv) instead of standard output',
    },
    format: {
      type: 'string',
      valueName: 'yaml|csv',
      description: 'Output format (default: from the --out extension, else yaml)',
    },
    code: {
      type: 'string',
      multiple: true,
      valueName: 'CODE',
      description:
        "Only the customer with this exact identity: Helcim's code, Payment Kit's DID (repeatable)",
    },
    search: {
      type: 'string',
      valueName: 'TEXT',
      description:
        'Only customers with TEXT (any case) in their name, business, code, phone, city or email (Payment Kit: DID, name, email, phone, description)',
    },
    'include-cards': {
      type: 'boolean',
      description:
        "Helcim, YAML: add a comment with the card count and the default card's last 4 digits",
    },
    'include-payment-details': {
      type: 'boolean',
      description:
        "Helcim, YAML: comments with the cards (count, default's last 4 digits and expiry), bank accounts (type, last 4 digits, verified) and PAD status; implies --include-cards; up to 2 more calls a customer",
    },
    schema: {
      type: 'string',
      valueName: 'REF',
      description: 'YAML: the $schema reference of the first line ("" for none)',
    },
    bom: { type: 'boolean', description: 'CSV: start with a UTF-8 byte-order mark, for Excel' },
    ...remoteOptions,
    ...providerOptions,
  },
  async run(ctx, args) {
    if (args.positionals.length > 0)
      throw new UsageError(`export takes no file arguments, got "${args.positionals[0]}"`, {
        hint: 'write to a file with --out FILE',
      });
    const out = stringOption(args, 'out');
    const format = chooseFormat(args, out);
    const includePayments = booleanOption(args, 'include-payment-details');
    // Payment details say all the card notes say, and more.
    const includeCards = booleanOption(args, 'include-cards') && !includePayments;
    if (includeCards && format === 'csv')
      throw new UsageError('--include-cards is for YAML only: a CSV has no place for comments');
    if (includePayments && format === 'csv')
      throw new UsageError(
        '--include-payment-details is for YAML only: a CSV has no place for comments',
        {
          hint: 'export YAML to see them (--format yaml, or --out FILE.yaml); a CSV export works without the option',
        },
      );
    const outPath = out === undefined ? undefined : resolve(ctx.cwd, out);
    const search = stringOption(args, 'search');
    const codes = codesOption(args);
    const schemaGiven = stringOption(args, 'schema');
    const choice = providerChoice(ctx, args);
    const schema =
      schemaGiven ??
      schemaReference(
        outPath,
        ctx.cwd,
        packageSchemaPath(providerInfo(choice.provider).schema),
        schemaFallback(providerInfo(choice.provider).schema),
      );
    const setup = await buildRemote(ctx, args, choice);
    const timeScale = numberOption(args, 'time-scale', { min: Number.MIN_VALUE }) ?? 1;
    try {
      // Typed as the port: any provider exports; cards only where the provider can list them.
      const remote: CustomerRemote = setup.remote;
      if (includeCards && !canListCards(remote))
        throw new UsageError(`--include-cards is not available for ${remote.provider}`);
      if (includePayments && !canReadPaymentDetails(remote))
        throw new UsageError(
          `--include-payment-details is not available for ${providerInfo(remote.provider).displayName}: it has no cards, bank accounts or PAD agreements to read`,
          { hint: 'leave the option out to export its customers' },
        );
      let paymentCalls: PaymentReadCalls | undefined;
      const result = await exportCustomers(remote, {
        format,
        selection: { ...(search === undefined ? {} : { search }), codes },
        ...(schema === '' ? {} : { schema }),
        ...(includeCards && canListCards(remote)
          ? { cards: (customers, fetch) => cardSummaries(remote, customers, fetch, ctx.signal) }
          : {}),
        ...(includePayments && canReadPaymentDetails(remote)
          ? {
              paymentDetails: async (customers, fetch) => {
                const read = await readPaymentDetails(remote, customers, fetch, {
                  signal: ctx.signal,
                  onPlan: (plan) => {
                    if (plan.customers > 0)
                      ctx.stderr.write(paymentPlanLine(plan, setup.limits, timeScale));
                  },
                });
                if (customers.length > 0) paymentCalls = read.calls;
                return read.summaries;
              },
            }
          : {}),
        bom: booleanOption(args, 'bom'),
        name: outPath === undefined ? `<stdout>.${format}` : displayName(outPath, ctx.cwd),
        signal: ctx.signal,
      });
      if (outPath === undefined) ctx.stdout.write(result.text);
      else writePrivateFile(outPath, result.text);
      if (paymentCalls !== undefined) ctx.stderr.write(paymentCallsLine(paymentCalls));
      report(
        ctx,
        result,
        outPath === undefined ? 'standard output' : (out ?? outPath),
        choice.provider,
      );
      return EXIT.ok;
    } finally {
      await setup.remote.close();
    }
  },
};
