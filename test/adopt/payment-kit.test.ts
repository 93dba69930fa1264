/**
 * adopt for Payment Kit: the matching rules on their own (in memory), then the command run in
 * this process against the Payment Kit emulator over HTTP, with customers whose e-mails the test
 * sets. The built CLI's run is in test/e2e/payment-kit.test.ts.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { planAdoption, type Adoption } from '../../src/adopt/match.js';
import { run } from '../../src/cli/run.js';
import type { RemoteCustomer } from '../../src/core/customer.js';
import type { DesiredCustomer } from '../../src/desired/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { Place, RawRecord } from '../../src/load/types.js';
import type { PaymentKitEmulatorHandle } from '../../src/providers/payment-kit/emulator/types.js';
import { paymentKitInfo } from '../../src/providers/payment-kit/info.js';

// ---- matching, in memory --------------------------------------------------------------------

function desired(data: Record<string, string>, row: number): DesiredCustomer {
  const place: Place = { kind: 'csv', file: 'crm.csv', row };
  const record: RawRecord = {
    file: 'crm.csv',
    place,
    value: data,
    locate: (path) => ({ ...place, column: path }),
  };
  return { key: data['email'] ?? '', data: paymentKitInfo.normalize(data), place, record };
}

function customer(n: number, email: string): RemoteCustomer {
  const data = paymentKitInfo.normalize({ did: `z1Did${n}`, id: `cus_Id${n}`, email });
  return { ...data, id: `cus_Id${n}` };
}

function summary(adoptions: readonly Adoption[]): string[] {
  return adoptions.map((a) =>
    a.kind === 'adopt'
      ? `${a.customer.key} -> ${a.code}`
      : a.kind === 'conflict'
        ? `${a.customer.key}: ${a.reason}`
        : `${a.customer.key}: new`,
  );
}

test('Payment Kit, in memory: rows match by e-mail in any letter case and get the DID; unmatched rows are new', () => {
  const plan = planAdoption(
    [
      desired({ email: 'ADA@Example.COM' }, 2),
      desired({ email: 'grace@example.com' }, 3),
      desired({ email: 'nobody@example.com' }, 4),
    ],
    [customer(1, 'ada@example.com'), customer(2, 'Grace@EXAMPLE.com')],
    'email',
    paymentKitInfo,
  );
  assert.deepEqual(summary(plan.adoptions), [
    'ADA@Example.COM -> z1Did1',
    'grace@example.com -> z1Did2',
    'nobody@example.com: new',
  ]);
});

test('Payment Kit, in memory: with the id as the identity to write, the id (cus_...) is written', () => {
  const plan = planAdoption(
    [desired({ email: 'ada@example.com' }, 2)],
    [customer(1, 'ADA@example.com')],
    'email',
    paymentKitInfo,
    'id',
  );
  assert.deepEqual(summary(plan.adoptions), ['ada@example.com -> cus_Id1']);
});

test('Payment Kit, in memory: two customers whose e-mails differ only in case are a conflict naming both DIDs', () => {
  const plan = planAdoption(
    [desired({ email: 'ada@example.com' }, 2)],
    [customer(1, 'ada@example.com'), customer(2, 'ADA@example.com')],
    'email',
    paymentKitInfo,
  );
  assert.deepEqual(summary(plan.adoptions), [
    'ada@example.com: 2 customers in Payment Kit have email ada@example.com: z1Did1, z1Did2',
  ]);
});

test('Payment Kit, in memory: two rows matching one customer are both conflicts, neither adopted', () => {
  const plan = planAdoption(
    [
      desired({ email: 'ada@example.com', name: 'A' }, 2),
      desired({ email: 'Ada@Example.com', name: 'B' }, 3),
    ],
    [customer(1, 'ada@example.com')],
    'email',
    paymentKitInfo,
  );
  assert.deepEqual(
    plan.adoptions.map((a) => a.kind),
    ['conflict', 'conflict'],
  );
});

test('Payment Kit, in memory: a DID another row already holds is not written into a second row', () => {
  const plan = planAdoption(
    [desired({ did: 'z1Did1', name: 'Kept' }, 2), desired({ email: 'ada@example.com' }, 3)],
    [customer(1, 'ada@example.com')],
    'email',
    paymentKitInfo,
  );
  assert.equal(plan.withCode, 1);
  assert.deepEqual(summary(plan.adoptions), [
    'ada@example.com: its match z1Did1 is already the DID of another record',
  ]);
});

test("Payment Kit, in memory: a row whose id is another customer's than its e-mail's match is a conflict, not adopted", () => {
  const plan = planAdoption(
    [
      desired({ id: 'cus_Id2', email: 'ada@example.com' }, 2),
      desired({ id: 'cus_Id3', email: 'eve@example.com' }, 3),
    ],
    [
      customer(2, 'grace@example.com'),
      customer(1, 'ada@example.com'),
      customer(3, 'eve@example.com'),
    ],
    'email',
    paymentKitInfo,
  );
  assert.deepEqual(summary(plan.adoptions), [
    'ada@example.com: its id is cus_Id2, but its match in Payment Kit (z1Did1) has cus_Id1',
    'eve@example.com -> z1Did3',
  ]);
});

// ---- the command, against the emulator ------------------------------------------------------

interface Pk {
  emu: PaymentKitEmulatorHandle;
  dir: string;
  /** The test customers, in the order their e-mails were given. */
  customers: { id: string; did: string; email: string }[];
}

let current: Pk | undefined;
afterEach(async () => {
  if (current === undefined) return;
  await current.emu.close();
  rmSync(current.dir, { recursive: true, force: true });
  current = undefined;
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An emulator whose test customers have these e-mails (set over HTTP), and a scratch dir. */
async function pkAccount(emails: readonly string[]): Promise<Pk> {
  const emu = await startEmulator({ provider: 'payment-kit', seed: emails.length });
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-pk-adopt-'));
  current = { emu, dir, customers: [] };
  const headers = { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' };
  const res = await fetch(`${emu.url}/api/customers?livemode=false&pageSize=100`, { headers });
  const body: unknown = await res.json();
  const list = isRecord(body) && Array.isArray(body['list']) ? body['list'] : [];
  for (const [i, email] of emails.entries()) {
    const c: unknown = list[i];
    assert.ok(isRecord(c) && typeof c['id'] === 'string' && typeof c['did'] === 'string');
    const put = await fetch(`${emu.url}/api/customers/${c['id']}?livemode=false`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ email }),
    });
    assert.equal(put.status, 200, await put.text());
    current.customers.push({ id: c['id'], did: c['did'], email });
  }
  return current;
}

function didOf(pk: Pk, index: number): string {
  const c = pk.customers[index];
  assert.ok(c !== undefined);
  return c.did;
}

async function cli(
  pk: Pk,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await run(args, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {
      NO_COLOR: '1',
      PAYMENT_KIT_URL: pk.emu.url,
      PAYMENT_KIT_ACCESS_KEY: pk.emu.token,
      HELCIM_SYNC_CACHE_DIR: 'off',
    },
    cwd: pk.dir,
    signal: new AbortController().signal,
  });
  return { code, stdout: out, stderr: err };
}

function write(pk: Pk, name: string, text: string): void {
  writeFileSync(join(pk.dir, name), text);
}

function read(pk: Pk, name: string): string {
  return readFileSync(join(pk.dir, name), 'utf8');
}

const PK_CONFIG = 'provider: payment-kit\nlivemode: false\n';

test('adopt --provider payment-kit --testmode, no config and no --match-key: matches by email and fills a did column', async () => {
  const pk = await pkAccount(['ada@example.com', 'grace@example.com']);
  write(pk, 'crm.csv', 'email,name\r\nADA@example.com,Ada\r\nnew@example.com,New\r\n');
  const r = await cli(pk, ['adopt', 'crm.csv', '--provider', 'payment-kit', '--testmode']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /matching by email/);
  assert.equal(
    read(pk, 'crm.csv'),
    `did,email,name\r\n${didOf(pk, 0)},ADA@example.com,Ada\r\n,new@example.com,New\r\n`,
  );
});

test('adopt with a Payment Kit config (matchKey did, the default): matches by email, and the next plan (by did) has no changes', async () => {
  const pk = await pkAccount(['ada@example.com', 'grace@example.com']);
  write(pk, 'helcim-sync.yaml', PK_CONFIG);
  // Only the domain's case differs: a local part in another case is a change of the e-mail
  // (README, "What normalisation ignores"), which the next plan would rightly show.
  write(pk, 'crm.csv', 'email,name\ngrace@Example.com,\nada@EXAMPLE.com,\n');
  const r = await cli(pk, ['adopt', 'crm.csv']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`grace@example\\.com -> ${didOf(pk, 1)}`));
  assert.match(r.stderr, /adopted 2 customers in 1 file; 0 records not in Payment Kit/);
  const plan = await cli(pk, ['plan', 'crm.csv', '--detailed-exitcode']);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.match(plan.stdout, /Matched by did/);
});

test('adopt into Payment Kit YAML: did: becomes the first key of the item, comments kept', async () => {
  const pk = await pkAccount(['ada@example.com']);
  write(pk, 'helcim-sync.yaml', PK_CONFIG);
  const yaml = [
    'customers:',
    '  # Ada, from the CRM',
    '  - email: Ada@Example.com # typed by hand',
    '    metadata: { crm_id: C-1 }',
    '  - name: Unknown',
    '    email: unknown@example.com',
    '',
  ].join('\n');
  write(pk, 'customers.yaml', yaml);
  const r = await cli(pk, ['adopt', 'customers.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    read(pk, 'customers.yaml'),
    yaml.replace('  - email:', `  - did: ${didOf(pk, 0)}\n    email:`),
  );
  assert.match(r.stderr, /1 record not in Payment Kit/);
});

test('a row matching no Payment Kit customer is named with why it cannot be created; exit 0', async () => {
  const pk = await pkAccount(['ada@example.com']);
  write(pk, 'helcim-sync.yaml', PK_CONFIG);
  write(pk, 'crm.csv', 'email\nnew@example.com\n');
  const r = await cli(pk, ['adopt', 'crm.csv']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /crm\.csv: row 2, column "email": warning: new@example\.com: no customer in Payment Kit has this email; Payment Kit creates customers at checkout/,
  );
  assert.doesNotMatch(r.stderr, /apply creates them/);
});

test('adopt --identity id writes Payment Kit ids into an id column', async () => {
  const pk = await pkAccount(['ada@example.com']);
  write(pk, 'helcim-sync.yaml', PK_CONFIG);
  write(pk, 'crm.csv', 'email\nada@example.com\n');
  const r = await cli(pk, ['adopt', 'crm.csv', '--identity', 'id']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(read(pk, 'crm.csv'), `id,email\n${pk.customers[0]?.id ?? ''},ada@example.com\n`);
});

test('with matchKey: id in the config, adopt writes ids by default (what plan will match by)', async () => {
  const pk = await pkAccount(['ada@example.com']);
  write(pk, 'helcim-sync.yaml', `${PK_CONFIG}matchKey: id\n`);
  write(pk, 'crm.csv', 'email\nada@example.com\n');
  const r = await cli(pk, ['adopt', 'crm.csv']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(read(pk, 'crm.csv'), /^id,email\ncus_/);
  const plan = await cli(pk, ['plan', 'crm.csv', '--detailed-exitcode']);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
});

test('adopt --identity email is a usage error naming the identities it can write', async () => {
  const pk = await pkAccount([]);
  write(pk, 'helcim-sync.yaml', PK_CONFIG);
  write(pk, 'crm.csv', 'email\nada@example.com\n');
  const r = await cli(pk, ['adopt', 'crm.csv', '--identity', 'email']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /--identity email: adopt writes an identifier: did or id/);
});

test('adopt --match-key did with a Payment Kit config explains that it matches by another field', async () => {
  const pk = await pkAccount([]);
  write(pk, 'helcim-sync.yaml', PK_CONFIG);
  write(pk, 'crm.csv', 'email\nada@example.com\n');
  const r = await cli(pk, ['adopt', 'crm.csv', '--match-key', 'did']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /adopt matches records by a field other than did/);
  assert.match(r.stderr, /--match-key email/);
});

test('adopt --match-key with a Helcim field under Payment Kit names the provider and a field to use', async () => {
  const pk = await pkAccount([]);
  write(pk, 'helcim-sync.yaml', PK_CONFIG);
  write(pk, 'crm.csv', 'email\nada@example.com\n');
  const r = await cli(pk, ['adopt', 'crm.csv', '--match-key', 'billingAddress.email']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /--match-key billingAddress\.email is not a Payment Kit customer field/);
  assert.match(r.stderr, /e\.g\. email/);
});

test('two Payment Kit customers whose e-mails differ in case: a conflict, exit 1, the file untouched', async () => {
  const pk = await pkAccount(['ada@example.com', 'Ada@Example.com']);
  write(pk, 'helcim-sync.yaml', PK_CONFIG);
  const text = 'email\nada@example.com\n';
  write(pk, 'crm.csv', text);
  const r = await cli(pk, ['adopt', 'crm.csv']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /not adopted: 2 customers in Payment Kit have email/);
  assert.equal(read(pk, 'crm.csv'), text);
});

test('a mapped Payment Kit CSV gets the DID in the column its mapping reads did from; --dry-run first writes nothing', async () => {
  const pk = await pkAccount(['ann@example.com']);
  write(
    pk,
    'helcim-sync.yaml',
    [
      PK_CONFIG.trimEnd(),
      'matchKey: email',
      'sources:',
      '  - path: crm.csv',
      '    mapping: crm',
      'mappings:',
      '  crm:',
      '    columns:',
      '      did: Wallet DID',
      '      email: E-mail',
      '      metadata.crm_id: CRM ID',
      '',
    ].join('\n'),
  );
  const text = 'CRM ID;E-mail;Wallet DID\nC-1;ANN@example.com;\n';
  write(pk, 'crm.csv', text);
  const dry = await cli(pk, ['adopt', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`^\\+C-1;ANN@example\\.com;${didOf(pk, 0)}$`, 'm'));
  assert.equal(read(pk, 'crm.csv'), text);
  const r = await cli(pk, ['adopt']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    read(pk, 'crm.csv'),
    `CRM ID;E-mail;Wallet DID\nC-1;ANN@example.com;${didOf(pk, 0)}\n`,
  );
});
