/**
 * Payment Kit through the built CLI, against its emulator over real HTTP: export, plan, apply,
 * re-plan. What is checked on the emulator side is read over plain HTTP, not through the client.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import type { PaymentKitEmulatorHandle } from '../../src/providers/payment-kit/emulator/types.js';
import { runCli, type CliRun } from '../support/cli.js';

let emu: PaymentKitEmulatorHandle;
let dir: string;

before(async () => {
  emu = await startEmulator({ provider: 'payment-kit', seed: 6 });
  dir = mkdtempSync(join(tmpdir(), 'helcim-sync-pk-e2e-'));
  writeFileSync(join(dir, 'helcim-sync.yaml'), 'provider: payment-kit\nlivemode: false\n');
});

after(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<CliRun> {
  return runCli(args, {
    cwd: dir,
    env: { PAYMENT_KIT_URL: emu.url, PAYMENT_KIT_ACCESS_KEY: emu.token },
  });
}

interface Listed {
  id: string;
  did: string;
  name: string | null;
  metadata: Record<string, string>;
}

function isListed(value: unknown): value is Listed {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string' &&
    'did' in value &&
    typeof value.did === 'string' &&
    'metadata' in value &&
    typeof value.metadata === 'object'
  );
}

/** The test-mode customers as the emulator holds them, read over plain HTTP. */
async function testCustomers(): Promise<Listed[]> {
  const res = await fetch(`${emu.url}/api/customers?livemode=false&pageSize=100`, {
    headers: { authorization: `Bearer ${emu.token}` },
  });
  const body: unknown = await res.json();
  const list = typeof body === 'object' && body !== null && 'list' in body ? body.list : [];
  return Array.isArray(list) ? list.filter(isListed) : [];
}

test('export, then plan: no changes, and the file names the Payment Kit schema', async () => {
  const exported = await cli(['export', '--out', 'customers.yaml']);
  assert.equal(exported.code, 0, exported.stderr);
  const text = readFileSync(join(dir, 'customers.yaml'), 'utf8');
  assert.match(text.split('\n')[0] ?? '', /payment-kit-customers\.schema\.json$/);
  assert.doesNotMatch(text, /livemode|balance|delinquent|created_at|cus_/);
  const plan = await cli(['plan', 'customers.yaml', '--detailed-exitcode']);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.match(
    plan.stdout,
    /No changes\. The customers in Payment Kit \(test mode\) match the files\./,
  );
});

test('a renamed customer with a new metadata key is one update that keeps the keys Payment Kit holds', async () => {
  const target = (await testCustomers()).find((c) => Object.keys(c.metadata).length > 0);
  assert.ok(target, 'the seed has a test customer with metadata');
  const kept = { ...target.metadata };
  const yaml = [
    'customers:',
    `  - did: ${target.did}`,
    '    name: Renamed In Git',
    '    metadata:',
    '      tier: gold',
    '  - did: z1DoesNotExistAnywhere',
    '    name: Nobody',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'edit.yaml'), yaml);
  const before = emu.stats().customers;

  const applied = await cli(['apply', 'edit.yaml', '--auto-approve']);
  assert.equal(applied.code, 1, 'a record that cannot be created makes the run fail');
  assert.match(
    applied.stdout,
    /! z1DoesNotExistAnywhere: cannot be created: Payment Kit creates customers at checkout/,
  );
  assert.match(applied.stdout, /~ name\s+".*" -> "Renamed In Git"/);
  assert.match(applied.stdout, /~ metadata\.tier\s+\(unset\) -> "gold"/);

  const after = (await testCustomers()).find((c) => c.id === target.id);
  assert.equal(after?.name, 'Renamed In Git');
  assert.deepEqual(after?.metadata, { ...kept, tier: 'gold' });
  assert.equal(emu.stats().customers, before, 'nothing was created');

  const replan = await cli(['plan', 'edit.yaml']);
  assert.match(replan.stdout, /0 to create, 0 to update, 1 unchanged/);
});

test('the access key appears in no output and no file', async () => {
  const runs = [
    await cli(['plan', 'customers.yaml', '--json']),
    await cli(['export', '--format', 'csv']),
    await cli(['plan', 'customers.yaml', '--out', 'plan.json']),
  ];
  for (const run of runs) assert.doesNotMatch(run.stdout + run.stderr, new RegExp(emu.token));
  for (const file of readdirSync(dir))
    assert.doesNotMatch(readFileSync(join(dir, file), 'utf8'), new RegExp(emu.token), file);
});

test('a plan records its mode, and a saved plan is refused by a config of the other mode', async () => {
  const json = await cli(['plan', 'customers.yaml', '--json']);
  const doc: unknown = JSON.parse(json.stdout);
  assert.ok(typeof doc === 'object' && doc !== null && 'livemode' in doc);
  assert.equal(doc.livemode, false);
  const text = await cli(['plan', 'customers.yaml']);
  assert.match(text.stdout, /^Payment Kit \(test mode\): Matched by did;/);
  const saved = await cli(['plan', 'customers.yaml', '--out', 'mode-plan.json']);
  assert.equal(saved.code, 0, saved.stderr);
  writeFileSync(join(dir, 'helcim-sync.yaml'), 'provider: payment-kit\nlivemode: true\n');
  try {
    const applied = await cli(['apply', 'mode-plan.json', '--auto-approve']);
    assert.equal(applied.code, 1);
    assert.match(
      applied.stderr,
      /mode-plan\.json: the plan was made for test customers, but the config says livemode: true; nothing was written/,
    );
  } finally {
    writeFileSync(join(dir, 'helcim-sync.yaml'), 'provider: payment-kit\nlivemode: false\n');
  }
});
