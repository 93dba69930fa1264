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
  email?: string | null;
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

// ---- spreadsheets: adopt, and a mapped CSV matched by e-mail ---------------------------------
// Each test has its own emulator and folder: the tests above change the shared one.

interface Sheet {
  emu: PaymentKitEmulatorHandle;
  dir: string;
  cli(args: string[]): Promise<CliRun>;
  /** The test customers the test set up, in order, as the emulator holds them now. */
  now(): Promise<Listed[]>;
  ids: string[];
}

const sheets: Sheet[] = [];
after(async () => {
  for (const s of sheets) {
    await s.emu.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});

interface Wanted {
  email: string;
  name: string;
  country: string;
}

/** A fresh emulator whose first test customers get these e-mails, names and countries. */
async function sheet(customers: readonly Wanted[], config: string): Promise<Sheet> {
  const own = await startEmulator({ provider: 'payment-kit', seed: customers.length + 1 });
  const folder = mkdtempSync(join(tmpdir(), 'helcim-sync-pk-sheet-'));
  writeFileSync(join(folder, 'helcim-sync.yaml'), config);
  const headers = { authorization: `Bearer ${own.token}`, 'content-type': 'application/json' };
  const listed = async (): Promise<Listed[]> => {
    const res = await fetch(`${own.url}/api/customers?livemode=false&pageSize=100`, { headers });
    const body: unknown = await res.json();
    const list = typeof body === 'object' && body !== null && 'list' in body ? body.list : [];
    return Array.isArray(list) ? list.filter(isListed) : [];
  };
  const start = await listed();
  const ids: string[] = [];
  for (const [i, c] of customers.entries()) {
    const target = start[i];
    assert.ok(target, 'the seed has enough test customers');
    const body = {
      email: c.email,
      name: c.name,
      address: { country: c.country, city: 'Somewhere', line1: '1 Main St' },
      metadata: {},
    };
    const put = await fetch(`${own.url}/api/customers/${target.id}?livemode=false`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(body),
    });
    assert.equal(put.status, 200, await put.text());
    ids.push(target.id);
  }
  const made: Sheet = {
    emu: own,
    dir: folder,
    ids,
    cli: (args) =>
      runCli(args, {
        cwd: folder,
        env: { PAYMENT_KIT_URL: own.url, PAYMENT_KIT_ACCESS_KEY: own.token },
      }),
    now: async () => {
      const all = await listed();
      return ids.map((id) => {
        const found = all.find((c) => c.id === id);
        assert.ok(found, `customer ${id} is still there`);
        return found;
      });
    },
  };
  sheets.push(made);
  return made;
}

interface PlanAction {
  type: string;
  key: string;
  changes?: { field: string; old?: string; new?: string }[];
}

function planActions(stdout: string): { matchKey: string; actions: PlanAction[] } {
  const doc: unknown = JSON.parse(stdout);
  assert.ok(typeof doc === 'object' && doc !== null && 'actions' in doc && 'matchKey' in doc);
  assert.ok(Array.isArray(doc.actions) && typeof doc.matchKey === 'string');
  const actions: PlanAction[] = doc.actions.filter(
    (a: unknown): a is PlanAction =>
      typeof a === 'object' && a !== null && 'type' in a && 'key' in a,
  );
  return { matchKey: doc.matchKey, actions };
}

/** The changed fields of each update, as `key: field, field`. */
function updates(actions: readonly PlanAction[]): string[] {
  return actions
    .filter((a) => a.type !== 'remote-only')
    .map((a) => `${a.type} ${a.key}: ${(a.changes ?? []).map((c) => c.field).join(', ')}`)
    .sort();
}

test('adopt through the built CLI: a CSV whose e-mails differ in letter case gets its did column filled; plan then matches by did and offers only the e-mail whose local part is spelt differently; after apply, no changes', async () => {
  const s = await sheet(
    [
      { email: 'ada.lovelace@example.com', name: 'Ada Lovelace', country: 'GB' },
      { email: 'grace.hopper@example.com', name: 'Grace Hopper', country: 'US' },
      { email: 'alan.turing@example.com', name: 'Alan Turing', country: 'GB' },
    ],
    'provider: payment-kit\nlivemode: false\n',
  );
  const dids = (await s.now()).map((c) => c.did);
  // Only domains differ in case, but for one row whose local part does too (Grace): that one is
  // a different spelling of the e-mail, which the plan then rightly offers to write.
  const csv = [
    'email,name',
    'ada.lovelace@EXAMPLE.COM,Ada Lovelace',
    'Grace.Hopper@Example.com,Grace Hopper',
    'alan.turing@Example.Com,Alan Turing',
    'nobody@example.com,Nobody',
    '',
  ].join('\n');
  writeFileSync(join(s.dir, 'crm.csv'), csv);

  const adopted = await s.cli(['adopt', 'crm.csv']);
  assert.equal(adopted.code, 0, adopted.stderr);
  assert.match(adopted.stderr, /matching by email .* and writing did/);
  assert.match(adopted.stderr, /adopted 3 customers in 1 file; 1 record not in Payment Kit/);
  assert.equal(
    readFileSync(join(s.dir, 'crm.csv'), 'utf8'),
    [
      'did,email,name',
      `${dids[0]},ada.lovelace@EXAMPLE.COM,Ada Lovelace`,
      `${dids[1]},Grace.Hopper@Example.com,Grace Hopper`,
      `${dids[2]},alan.turing@Example.Com,Alan Turing`,
      ',nobody@example.com,Nobody',
      '',
    ].join('\n'),
  );

  // The row Payment Kit has no customer for cannot be planned without a DID: leave it out.
  writeFileSync(
    join(s.dir, 'crm.csv'),
    readFileSync(join(s.dir, 'crm.csv'), 'utf8').replace(',nobody@example.com,Nobody\n', ''),
  );
  const plan = await s.cli(['plan', 'crm.csv', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  const { matchKey, actions } = planActions(plan.stdout);
  assert.equal(matchKey, 'did');
  assert.deepEqual(updates(actions), [`update ${dids[1]}: email`]);
  const applied = await s.cli(['apply', 'crm.csv', '--auto-approve']);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  const replan = await s.cli(['plan', 'crm.csv', '--detailed-exitcode']);
  assert.equal(replan.code, 0, replan.stdout + replan.stderr);
  assert.equal((await s.now())[1]?.email, 'Grace.Hopper@example.com');
});

test('a spreadsheet mapped and matched by email in any letter case plans and applies, countries read as alpha-2; the re-plan has no changes', async () => {
  const s = await sheet(
    [
      { email: 'ada@example.com', name: 'Ada', country: 'GB' },
      { email: 'grace@example.com', name: 'Grace Hopper', country: 'US' },
      { email: 'alan@example.com', name: 'Alan Turing', country: 'GB' },
    ],
    [
      'provider: payment-kit',
      'livemode: false',
      'matchKey: email',
      'sources:',
      '  - path: crm.csv',
      '    mapping: crm',
      'mappings:',
      '  crm:',
      '    columns:',
      '      email: E-mail',
      '      name: [First Name, Last Name]',
      '      address.country: Country',
      '      metadata.crm_id: CRM ID',
      '',
    ].join('\n'),
  );
  const before = await s.now();
  writeFileSync(
    join(s.dir, 'crm.csv'),
    [
      'CRM ID,First Name,Last Name,E-mail,Country',
      'C-1,Ada,Lovelace,ada@EXAMPLE.COM,Canada',
      'C-2,Grace,Hopper,grace@Example.com,CAN',
      'C-3,Alan,Turing,alan@example.com,GB',
      '',
    ].join('\n'),
  );

  const plan = await s.cli(['plan', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stderr, /country "Canada" read as CA/);
  assert.match(plan.stderr, /country "CAN" read as CA/);
  const { matchKey, actions } = planActions(plan.stdout);
  assert.equal(matchKey, 'email');
  // The e-mails differ from Payment Kit's in the domain's case only, which is no change.
  assert.deepEqual(updates(actions), [
    'update ada@example.com: name, address.country, metadata.crm_id',
    'update alan@example.com: metadata.crm_id',
    'update grace@example.com: address.country, metadata.crm_id',
  ]);

  const applied = await s.cli(['apply', '--auto-approve']);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  const replan = await s.cli(['plan', '--detailed-exitcode']);
  assert.equal(replan.code, 0, replan.stdout + replan.stderr);
  assert.match(replan.stdout, /No changes/);

  const after = await s.now();
  const countries = await Promise.all(
    after.map(async (c) => {
      const res = await fetch(`${s.emu.url}/api/customers/${c.id}?livemode=false`, {
        headers: { authorization: `Bearer ${s.emu.token}` },
      });
      const body: unknown = await res.json();
      const address =
        typeof body === 'object' && body !== null && 'address' in body ? body.address : undefined;
      return typeof address === 'object' && address !== null && 'country' in address
        ? address.country
        : undefined;
    }),
  );
  assert.deepEqual(countries, ['CA', 'CA', 'GB']);
  assert.deepEqual(
    after.map((c) => [c.name, c.metadata]),
    [
      ['Ada Lovelace', { crm_id: 'C-1' }],
      ['Grace Hopper', { crm_id: 'C-2' }],
      ['Alan Turing', { crm_id: 'C-3' }],
    ],
  );
  assert.deepEqual(
    after.map((c) => c.did),
    before.map((c) => c.did),
    'the same customers, none created',
  );
});

test('a record left out as a duplicate leaves its customer to the hint of a mistyped DID, in a CSV loaded while listing', async () => {
  const ada = (await testCustomers()).find((c) => typeof c.email === 'string' && c.email !== '');
  assert.ok(ada !== undefined && typeof ada.email === 'string');
  const row = (did: string, email: string): string => `${did},${email}`;
  // Over 2,000 rows: the first of the two identical DIDs is validated, and handed to the
  // planner's side, before the second shows it is a duplicate.
  const filler = Array.from({ length: 2100 }, (_, i) => row(`z1Filler${i}`, `f${i}@example.com`));
  const lines = [
    'did,email',
    row(ada.did, ada.email),
    ...filler,
    row(ada.did, ada.email),
    row('z1Typo', ada.email),
  ];
  writeFileSync(join(dir, 'dup.csv'), lines.join('\n') + '\n');
  const run = await cli(['plan', 'dup.csv', '--skip-invalid', '--json']);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /wrote 2 invalid records/);
  const plan: unknown = JSON.parse(run.stdout);
  assert.ok(typeof plan === 'object' && plan !== null && 'fetch' in plan && 'actions' in plan);
  assert.ok(Array.isArray(plan.actions));
  assert.ok(typeof plan.fetch === 'object' && plan.fetch !== null && 'strategy' in plan.fetch);
  assert.equal(plan.fetch.strategy, 'list');
  const typo: unknown = plan.actions.find(
    (a: unknown) => typeof a === 'object' && a !== null && 'key' in a && a.key === 'z1Typo',
  );
  assert.ok(typeof typo === 'object' && typo !== null && 'reason' in typo);
  assert.match(String(typo.reason), new RegExp(`has DID ${ada.did}: correct the DID`));
});
