import { fileURLToPath } from 'node:url';
import { allProviders, providerInfo, PROVIDER_NAMES } from '../../providers/index.js';
import type { ProviderInfo } from '../../providers/index.js';
import { EXIT, stringOption, type CommandBody, type RunCommand } from '../command.js';
import type { CliContext } from '../context.js';
import { painter } from '../../render/style.js';
import { CACHE_DIR_ENV } from '../../remote/cache.js';
import { useColor } from '../context.js';

/** The examples shipped with the package: dist/src/cli/commands -> the package root. */
const EXAMPLES = fileURLToPath(new URL('../../../../examples/', import.meta.url));

export const demoCommand: CommandBody = {
  usage: 'demo [PATH...]',
  description: [
    "Starts each provider's emulator in-process with a few customers in it, plans the examples",
    '(or the PATHs given), applies the plan, then plans again to show that nothing is left to do.',
    'Helcim first, then Payment Kit, whose example names one customer that cannot be created.',
  ].join('\n'),
  examples: [
    'helcim-sync demo',
    'helcim-sync demo --provider payment-kit',
    'helcim-sync demo my-customers.yaml',
  ],
  options: {
    provider: {
      type: 'string',
      valueName: 'NAME',
      description: `Only this provider's demo: ${PROVIDER_NAMES.join(' or ')} (default: each; helcim with PATHs)`,
    },
  },
  async run(ctx, args, runCommand) {
    const name = stringOption(args, 'provider');
    const paths = args.positionals;
    const providers =
      name !== undefined
        ? [providerInfo(name)]
        : paths.length > 0
          ? [providerInfo('helcim')]
          : allProviders();
    for (const provider of providers) {
      const code = await demoOf(ctx, provider, paths, runCommand);
      if (code !== EXIT.ok) return code;
    }
    return EXIT.ok;
  },
};

/** Plan, apply, plan again, against one provider's emulator; 0 when all went as shown. */
async function demoOf(
  ctx: CliContext,
  provider: ProviderInfo,
  paths: string[],
  run: RunCommand,
): Promise<number> {
  const paint = painter(useColor(ctx));
  const account = await (await provider.demo()).start(EXAMPLES, paths);
  try {
    // An emulator on a new port each time: nothing about its account is worth remembering.
    const env = { ...withoutProviderVars(ctx.env), ...account.env, [CACHE_DIR_ENV]: 'off' };
    const inner: CliContext = { ...ctx, env };
    const step = (text: string): void =>
      void ctx.stdout.write(`\n${paint('bold', `==> ${text}`)}\n\n`);
    const expected = account.showsConflict ? EXIT.error : EXIT.ok;
    step(account.description);
    step(`helcim-sync plan ${account.shown}`);
    const planned = await run(['plan', ...account.args], inner);
    if (planned !== expected) return failed(planned);
    step(`helcim-sync apply ${account.shown} --auto-approve`);
    const applied = await run(['apply', ...account.args, '--auto-approve'], inner);
    if (applied !== expected) return failed(applied);
    step(
      `helcim-sync plan ${account.shown} --detailed-exitcode   (again: ${expected === EXIT.ok ? '0 means nothing left to do' : '1 while a record cannot be created, 2 if changes remained'})`,
    );
    const again = await run(['plan', ...account.args, '--detailed-exitcode'], inner);
    const wrong = again === expected ? await account.verify() : `the plan exited ${again}`;
    ctx.stdout.write(
      `\n${wrong === undefined ? 'Converged' : `Did not converge (${wrong})`}: ${account.summary()}.\n`,
    );
    return wrong === undefined ? EXIT.ok : EXIT.error;
  } finally {
    await account.close();
  }
}

/** A step that ended otherwise than the demo expected: its error, or a plain failure. */
function failed(code: number): number {
  return code === EXIT.ok ? EXIT.error : code;
}

/**
 * The user's own accounts stay out of the demo: no provider's URL is kept (the demoed one's URL
 * and key are its emulator's), nor an emulator's token the user set for their own emulator.
 */
function withoutProviderVars(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dropped = new Set(allProviders().flatMap((p) => [p.urlEnv, p.emulator.tokenEnv]));
  return Object.fromEntries(Object.entries(env).filter(([k]) => !dropped.has(k)));
}
