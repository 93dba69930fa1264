import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  lstatSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CustomerData } from '../../src/core/customer.js';
import { startAccount, type Account } from '../export/support.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/adopt/', import.meta.url));

function remote(code: string, email: string): CustomerData & { customerCode: string } {
  return {
    customerCode: code,
    contactName: `Remote ${code}`,
    billingAddress: { name: 'Remote', street1: '1 Remote St', postalCode: '99999', email },
  };
}

let account: Account | undefined;
afterEach(async () => {
  await account?.close();
  account = undefined;
});

async function setUp(
  customers: (CustomerData & { customerCode: string })[],
  files: string[],
  config = 'matchKey: billingAddress.email\n',
): Promise<Account> {
  account = await startAccount(customers, 0, 'in-process');
  for (const f of files) copyFileSync(join(FIXTURES, f), join(account.dir, f));
  writeFileSync(join(account.dir, 'helcim-sync.yaml'), config);
  return account;
}

function read(a: Account, name: string): string {
  return readFileSync(join(a.dir, name), 'utf8');
}

interface PlanJson {
  summary: { create: number; conflict: number };
  actions: { type: string; key: string }[];
}

function isPlan(value: unknown): value is PlanJson {
  return typeof value === 'object' && value !== null && 'summary' in value && 'actions' in value;
}

test('adopt writes codes into CSV and YAML, layout kept; the next plan creates only new ones', async () => {
  const a = await setUp(
    [
      remote('R-100', 'ada@example.com'),
      remote('R-200', 'grace@example.com'),
      remote('R-300', 'GRACE.H@example.com'),
      remote('0400', 'hopper@example.com'),
      remote('R-500', 'flow@example.com'),
    ],
    ['crm.csv', 'customers.yaml'],
  );
  const run = await a.run(['adopt', 'crm.csv', 'customers.yaml']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(read(a, 'crm.csv'), readFileSync(join(FIXTURES, 'crm.expected.csv'), 'utf8'));
  assert.equal(
    read(a, 'customers.yaml'),
    readFileSync(join(FIXTURES, 'customers.expected.yaml'), 'utf8'),
  );
  assert.match(run.stdout, /ada@example\.com -> R-100/);
  assert.match(run.stderr, /adopted 5 customers in 2 files; 2 records not in Helcim/);
  const plan = await a.run(['plan', 'crm.csv', 'customers.yaml', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  const parsed: unknown = JSON.parse(plan.stdout);
  assert.ok(isPlan(parsed));
  const created = parsed.actions.filter((x) => x.type === 'create').map((x) => x.key);
  assert.deepEqual(created.sort(), ['new@example.com', 'nobody@example.com']);
  const token = a.env['HELCIM_API_TOKEN'] ?? '';
  for (const text of [run.stdout, run.stderr, plan.stdout, plan.stderr])
    assert.ok(!text.includes(token));
});

test('two customers with one email: a conflict, reported, nothing written for it', async () => {
  const a = await setUp(
    [remote('D-1', 'ada@example.com'), remote('D-2', 'Ada@Example.com')],
    ['crm.csv'],
  );
  const before = read(a, 'crm.csv');
  const run = await a.run(['adopt', 'crm.csv']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /ada@example\.com not adopted: 2 customers in Helcim have .*D-1, D-2/);
  assert.equal(read(a, 'crm.csv'), before);
});

test('--dry-run shows a diff and writes nothing', async () => {
  const a = await setUp([remote('R-200', 'grace@example.com')], ['customers.yaml']);
  const before = read(a, 'customers.yaml');
  const run = await a.run(['adopt', 'customers.yaml', '--dry-run']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^\+ {2}- customerCode: R-200$/m);
  assert.match(run.stderr, /would adopt 1 customer in 1 file/);
  assert.equal(read(a, 'customers.yaml'), before);
});

test('a mapped CSV gets the code in the column its mapping reads customerCode from', async () => {
  const a = await setUp(
    [remote('X-9', 'zed@example.com'), remote('R-600', 'ann@example.com')],
    ['mapped.csv'],
    readFileSync(join(FIXTURES, 'mapped.helcim-sync.yaml'), 'utf8'),
  );
  const run = await a.run(['adopt']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(read(a, 'mapped.csv'), readFileSync(join(FIXTURES, 'mapped.expected.csv'), 'utf8'));
});

test('without a match key other than customerCode, adopt explains what to set', async () => {
  const a = await setUp([], ['crm.csv'], 'matchKey: customerCode\n');
  const run = await a.run(['adopt', 'crm.csv']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /matchKey: billingAddress\.email/);
});

test('a lone carriage return inside an unquoted cell stays in its row, as the loader reads it', async () => {
  const a = await setUp(
    [remote('R-100', 'ada@example.com'), remote('R-200', 'grace@example.com')],
    [],
  );
  // Pasted from an old Mac program: a CR inside a street, in a file whose lines end in LF.
  const text = [
    'contactName,billingAddress.name,billingAddress.street1,billingAddress.postalCode,billingAddress.email',
    'Ada,Ada,1 Main St\rSuite 2,10001,ada@example.com',
    'Grace,Grace,2 King St,10002,grace@example.com',
    '',
  ].join('\n');
  writeFileSync(join(a.dir, 'crm.csv'), text);
  const run = await a.run(['adopt', 'crm.csv']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    read(a, 'crm.csv'),
    [
      'customerCode,contactName,billingAddress.name,billingAddress.street1,billingAddress.postalCode,billingAddress.email',
      'R-100,Ada,Ada,1 Main St\rSuite 2,10001,ada@example.com',
      'R-200,Grace,Grace,2 King St,10002,grace@example.com',
      '',
    ].join('\n'),
  );
});

test('a source that is a symbolic link stays a link: the codes go into the file it points at', async () => {
  const a = await setUp([remote('R-200', 'grace@example.com')], ['customers.yaml']);
  renameSync(join(a.dir, 'customers.yaml'), join(a.dir, 'real.yaml'));
  symlinkSync('real.yaml', join(a.dir, 'customers.yaml'));
  const run = await a.run(['adopt', 'customers.yaml']);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(lstatSync(join(a.dir, 'customers.yaml')).isSymbolicLink(), 'still a link');
  assert.match(read(a, 'real.yaml'), /customerCode: R-200/);
});
