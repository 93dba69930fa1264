import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseCommandArgs } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { runInProcess } from '../support/cli.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

test('the YAML and CSV examples validate', async () => {
  const run = await runInProcess(['validate', EXAMPLES]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /0 errors, 0 warnings: 6 of 6 records valid in 2 files/);
});

test('the messy spreadsheet export plans through its mapping to clean records', async () => {
  const cwd = join(EXAMPLES, 'spreadsheet-export');
  const valid = await runInProcess(['validate'], { cwd });
  assert.equal(valid.code, 0, valid.stdout);
  assert.match(valid.stdout, /extension 12 dropped/);
  const emulator = await startEmulator({ rateLimit: 'off' });
  try {
    const env = { HELCIM_API_URL: emulator.url, HELCIM_API_TOKEN: emulator.token };
    const plan = await runInProcess(['plan', '--json'], { cwd, env });
    assert.equal(plan.code, 0, plan.stderr);
    const doc: unknown = JSON.parse(plan.stdout);
    assert.ok(
      typeof doc === 'object' && doc !== null && 'actions' in doc && Array.isArray(doc.actions),
    );
    const barbara: unknown = doc.actions.find(
      (a: unknown) => typeof a === 'object' && a !== null && 'key' in a && a.key === 'CRM-1001',
    );
    assert.deepEqual(barbara, {
      type: 'create',
      key: 'CRM-1001',
      source: 'crm-export.csv row 2',
      payload: {
        customerCode: 'CRM-1001',
        contactName: 'Barbara Liskov',
        businessName: 'Substitution Inc',
        cellPhone: '6175550110',
        billingAddress: {
          name: 'Barbara Liskov',
          street1: '5 Main St, Suite 300',
          city: 'Boston',
          province: 'MA',
          country: 'USA',
          postalCode: '02110',
          email: 'BARBARA@example.com',
        },
      },
    });
  } finally {
    await emulator.close();
  }
});

/** The `helcim-sync ...` lines of a workflow's `run:` steps, options joined onto their line. */
function workflowInvocations(file: string): string[] {
  const workflow: unknown = parse(
    readFileSync(join(EXAMPLES, '.github', 'workflows', file), 'utf8'),
  );
  const runs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'run' && typeof value === 'string') runs.push(value);
        else walk(value);
      }
    }
  };
  walk(workflow);
  return runs
    .join('\n')
    .replace(/\\?\n\s+--/g, ' --')
    .split('\n')
    .map((line) =>
      line
        .replace(/#.*$/, '')
        .replace(/[>&].*$/, '')
        .trim(),
    )
    .filter((line) => line.startsWith('helcim-sync '));
}

async function assertRealCommands(invocations: string[]): Promise<void> {
  for (const line of invocations) {
    const [name, ...args] = line.split(/\s+/).slice(1);
    const entry = commands.find((c) => c.name === name);
    assert.ok(entry !== undefined, `unknown command in "${line}"`);
    const command = { ...entry, ...(await entry.load()) };
    assert.doesNotThrow(() => parseCommandArgs(command, args), `bad options in "${line}"`);
  }
}

test('every helcim-sync command in the GitHub Actions example uses real commands and options', async () => {
  const invocations = workflowInvocations('helcim-sync.yml');
  assert.ok(invocations.length >= 6, `found ${invocations.length} helcim-sync lines`);
  await assertRealCommands(invocations);
  assert.ok(invocations.some((l) => l.includes('plan') && l.includes('--markdown')));
  assert.ok(
    invocations.some(
      (l) => l.includes('apply') && l.includes('--auto-approve') && l.includes('--max-creates'),
    ),
  );
});

test("the Payment Kit workflow uses real commands and options, and guards the apply's updates", async () => {
  const invocations = workflowInvocations('payment-kit.yml');
  assert.ok(invocations.length >= 4, `found ${invocations.length} helcim-sync lines`);
  await assertRealCommands(invocations);
  assert.ok(invocations.some((l) => l.includes('plan') && l.includes('--markdown')));
  assert.ok(
    invocations.some(
      (l) => l.includes('apply') && l.includes('--auto-approve') && l.includes('--max-updates'),
    ),
  );
});

test('the Payment Kit example validates: a YAML dataset and a CRM export mapped into metadata', async () => {
  const cwd = join(EXAMPLES, 'payment-kit');
  const run = await runInProcess(['validate', '--json'], { cwd });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const doc: unknown = JSON.parse(run.stdout);
  assert.ok(typeof doc === 'object' && doc !== null && 'summary' in doc);
  assert.match(
    (await runInProcess(['validate'], { cwd })).stdout,
    /0 errors, 2 warnings: 4 of 4 records valid in 2 files/,
  );
});
