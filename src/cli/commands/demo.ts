import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../emulator/index.js';
import { EXIT, type CommandBody } from '../command.js';
import type { CliContext } from '../context.js';
import { painter } from '../../render/style.js';
import { useColor } from '../context.js';

/** The examples shipped with the package: dist/src/cli/commands -> the package root. */
const EXAMPLES = fileURLToPath(new URL('../../../../examples/', import.meta.url));

/** A customer already in the account that the examples manage, with an outdated phone. */
const OUTDATED = {
  customerCode: 'ACME-0002',
  contactName: 'Grace Hopper',
  cellPhone: '4165550000',
  billingAddress: {
    name: 'Grace Hopper',
    street1: '2 King St W',
    city: 'Toronto',
    province: 'ON',
    country: 'CAN',
    postalCode: 'M5V 2T6',
  },
};

export const demoCommand: CommandBody = {
  usage: 'demo [PATH...]',
  description: [
    'Starts the Helcim emulator in-process with a few customers in it, plans the examples (or the',
    'PATHs given), applies the plan, then plans again to show that nothing is left to do.',
  ].join('\n'),
  examples: ['helcim-sync demo', 'helcim-sync demo my-customers.yaml'],
  options: {},
  async run(ctx, args) {
    // run.ts imports this module through the command list, so import it lazily.
    const { run } = await import('../run.js');
    const paint = painter(useColor(ctx));
    const emulator = await startEmulator({ seed: 5 });
    try {
      const seeded = await fetch(`${emulator.url}/customers`, {
        method: 'POST',
        headers: {
          'api-token': emulator.token,
          accept: 'application/json',
          'content-type': 'application/json',
        },
        body: JSON.stringify(OUTDATED),
      });
      if (!seeded.ok)
        throw new Error(`the emulator refused the demo's seed customer (${seeded.status})`);
      const env: NodeJS.ProcessEnv = {
        ...withoutHelcimVars(ctx.env),
        HELCIM_API_URL: emulator.url,
        HELCIM_API_TOKEN: emulator.token,
      };
      const inner: CliContext = { ...ctx, env };
      const paths = args.positionals.length > 0 ? args.positionals : [EXAMPLES];
      const step = (text: string): void =>
        void ctx.stdout.write(`\n${paint('bold', `==> ${text}`)}\n\n`);

      step(
        `An emulated Helcim account at ${emulator.url}: 5 customers, and ACME-0002 with an old phone number`,
      );
      step(
        `helcim-sync plan ${args.positionals.length > 0 ? args.positionals.join(' ') : 'examples/'}`,
      );
      const planned = await run(['plan', ...paths], inner);
      if (planned !== EXIT.ok) return planned;
      step('helcim-sync apply --auto-approve');
      const applied = await run(['apply', ...paths, '--auto-approve'], inner);
      if (applied !== EXIT.ok) return applied;
      step('helcim-sync plan --detailed-exitcode   (again: 0 means nothing left to do)');
      const again = await run(['plan', ...paths, '--detailed-exitcode'], inner);
      const stats = emulator.stats();
      ctx.stdout.write(
        `\n${again === EXIT.ok ? 'Converged' : 'Did not converge'}: ${stats.totalRequests} API calls in all, ${stats.customers} customers in the account.\n`,
      );
      return again === EXIT.ok ? EXIT.ok : EXIT.error;
    } finally {
      await emulator.close();
    }
  },
};

function withoutHelcimVars(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('HELCIM_')));
}
