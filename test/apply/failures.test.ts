/**
 * Failures files, without a network: real input files in a temporary folder, planned and applied
 * against an in-memory remote that refuses chosen records the way each client reports it, then
 * written by the same function the CLI calls.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomerData, RemoteCustomer } from '../../src/core/customer.js';
import { InputError, RemoteError } from '../../src/core/errors.js';
import { MemoryRemote } from '../../src/remote/memory.js';
import { planChanges } from '../../src/plan/plan.js';
import type { Plan } from '../../src/plan/types.js';
import { applyPlan, type ApplyReport, type FailureInfo } from '../../src/apply/apply.js';
import { failureCause, failureRows, failureText, sourceFile } from '../../src/apply/failures.js';
import { notAnErrorFile, writeFailureFiles } from '../../src/apply/failures-files.js';
import { loadDesiredState } from '../../src/desired/index.js';
import { formatSource } from '../../src/load/types.js';

const root = mkdtempSync(join(tmpdir(), 'helcim-failures-'));
after(() => rmSync(root, { recursive: true, force: true }));
/** A fresh folder with these files. */
function fresh(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'f-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const refused = (field: string, message: string): RemoteError =>
  new RemoteError(
    'ERR_REMOTE_HTTP',
    `Helcim answered 400 to POST /customers: ${field}: ${message}`,
    {
      status: 400,
      problems: [{ field, message }],
    },
  );

/** Fails the writes of chosen codes with chosen errors; the rest go through. */
class Refusing extends MemoryRemote {
  constructor(
    private readonly errors: Record<string, Error>,
    seed: RemoteCustomer[] = [],
  ) {
    super(seed);
  }
  override async create(data: CustomerData & { customerCode: string }): Promise<RemoteCustomer> {
    const error = this.errors[data.customerCode];
    if (error !== undefined) throw error;
    return super.create(data);
  }
  override async update(id: string, patch: CustomerData): Promise<RemoteCustomer> {
    const code = (await this.get(id)).customerCode;
    const error = typeof code === 'string' ? this.errors[code] : undefined;
    if (error !== undefined) throw error;
    return super.update(id, patch);
  }
}

/** Loads `paths` in `dir`, plans against `remote`, applies: what `apply PATHS` does. */
async function applyFiles(
  dir: string,
  paths: string[],
  remote: MemoryRemote,
): Promise<{ plan: Plan; report: ApplyReport }> {
  const state = loadDesiredState(paths, { cwd: dir });
  assert.deepEqual(
    state.problems.filter((p) => p.severity === 'error'),
    [],
  );
  const customers = await remote.list();
  const plan = planChanges(
    state.customers.map((c) => ({ key: c.key, data: c.data, source: formatSource(c.place) })),
    customers,
    { provider: 'helcim', fetch: { strategy: 'list', calls: 1, fetched: customers.length } },
  );
  return { plan, report: await applyPlan(plan, remote) };
}

const info = (over: Partial<FailureInfo>): FailureInfo => ({
  code: 'ERR_REMOTE_HTTP',
  message: 'Helcim answered 400 to POST /customers',
  problems: [],
  ...over,
});

test("what a failure says about the record: the remote's refusal, or nothing (retry, setup)", () => {
  const cases: [Partial<FailureInfo>, string][] = [
    [{ status: 400, problems: [{ field: 'cellPhone', message: 'too short' }] }, 'record'],
    [{ status: 422 }, 'record'],
    [{ status: 409 }, 'record'],
    [{ status: 500 }, 'temporary'],
    [{ status: 503 }, 'temporary'],
    [{ status: 522 }, 'temporary'],
    [{ status: 408 }, 'temporary'],
    [{ code: 'ERR_REMOTE_RATE_LIMITED', status: 429 }, 'temporary'],
    [{ code: 'ERR_REMOTE_TIMEOUT' }, 'temporary'],
    [{ code: 'ERR_REMOTE_NETWORK' }, 'temporary'],
    [{ code: 'ERR_REMOTE_AMBIGUOUS' }, 'temporary'],
    [{ code: 'ERR_REMOTE_AUTH', status: 401 }, 'setup'],
    [{ status: 403 }, 'setup'],
    [{ status: 405 }, 'setup'],
    [{ code: 'ERR_REMOTE_RESPONSE', status: 200, problems: [{ message: 'bad' }] }, 'record'],
    [{ code: 'ERR_REMOTE_RESPONSE', status: 200 }, 'setup'],
    [{ code: 'ERR_INPUT' }, 'record'],
    [{ code: 'ERR_INTERNAL' }, 'setup'],
  ];
  for (const [over, cause] of cases)
    assert.equal(failureCause(info(over)), cause, JSON.stringify(over));
  assert.equal(
    failureText(
      info({
        status: 400,
        problems: [{ field: 'cellPhone', message: 'too short' }, { message: 'and something else' }],
      }),
      'Helcim',
    ),
    'Helcim refused it (400): cellPhone: too short; and something else',
  );
  assert.equal(
    failureText(info({ status: 400, message: 'Payment Kit answered 400: name is bad' }), 'X'),
    'X refused it (400): Payment Kit answered 400: name is bad',
  );
  assert.match(
    failureText(info({ status: 503, message: 'Helcim answered 503' }), 'Helcim'),
    /^not the record's fault, nothing to fix: Helcim answered 503; apply this file again$/,
  );
  assert.match(
    failureText(info({ code: 'ERR_REMOTE_AUTH', status: 401, message: 'Unauthorized' }), 'H'),
    /^not the record's fault: Unauthorized; fix that/,
  );
});

test('a source text names its file, whatever the file is called', () => {
  assert.equal(sourceFile('crm.csv row 17'), 'crm.csv');
  assert.equal(sourceFile('in/customers.yaml:12'), 'in/customers.yaml');
  assert.equal(sourceFile('a row 2.csv row 3'), 'a row 2.csv');
  assert.equal(sourceFile('odd:1.yaml:4'), 'odd:1.yaml');
  assert.equal(sourceFile('/abs/path/x.csv row 2'), '/abs/path/x.csv');
});

/** Columns in no particular order, a quoted comma and quote, a formula kept harmless, a blank. */
const CSV =
  'cellPhone,customerCode,contactName,businessName\r\n' +
  '4035550101,F1,Ada,first\r\n' +
  '4035550102,F2,"Bob ""B"" Smith","has, comma"\r\n' +
  "4035550103,F3,Cy,'=1+1\r\n" +
  '4035550104,F4,Di,\r\n';

test('a CSV input: the failed rows, exactly as read and in input order, then error; mode 0600; the secret struck out', async () => {
  const dir = fresh({ 'crm.csv': CSV });
  const secret = 'helcim-SECRET-t0ken-123';
  const remote = new Refusing({
    F4: refused('cellPhone', 'cellPhone is not a phone'),
    F2: new RemoteError('ERR_REMOTE_HTTP', `Helcim answered 503 (token ${secret})`, {
      status: 503,
    }),
    F3: refused('contactName', 'contactName is too "short"'),
  });
  const { plan, report } = await applyFiles(dir, ['crm.csv'], remote);
  assert.equal(report.summary.failed, 3);
  const outcome = writeFailureFiles(report, plan, { cwd: dir, secrets: [secret] });
  const path = join(dir, 'crm.failures.csv');
  assert.deepEqual(outcome.written, [{ path, records: 3 }]);
  assert.deepEqual([outcome.listedOnly, outcome.unlocated, outcome.unwritable], [[], [], []]);
  const text = readFileSync(path, 'utf8');
  assert.equal(
    text,
    '\uFEFFcellPhone,customerCode,contactName,businessName,error\r\n' +
      '4035550102,F2,"Bob ""B"" Smith","has, comma","not the record\'s fault, nothing to fix: Helcim answered 503 (token [REDACTED]); apply this file again"\r\n' +
      '4035550103,F3,Cy,\'=1+1,"Helcim refused it (400): contactName: contactName is too ""short"""\r\n' +
      '4035550104,F4,Di,,Helcim refused it (400): cellPhone: cellPhone is not a phone\r\n',
  );
  assert.ok(!text.includes(secret));
  assert.equal(statSync(path).mode & 0o777, 0o600);
  // The fixed file loads as the input did: the error column is not a field.
  const back = loadDesiredState(['crm.failures.csv'], { cwd: dir });
  assert.deepEqual(back.problems, []);
  assert.deepEqual(
    back.customers.map((c) => c.data['contactName']),
    ['Bob "B" Smith', 'Cy', 'Di'],
  );
});

test('a run with no failed write writes no file and leaves an earlier one alone', async () => {
  const dir = fresh({ 'crm.csv': CSV, 'crm.failures.csv': 'earlier,error\r\nx,y\r\n' });
  const { plan, report } = await applyFiles(dir, ['crm.csv'], new Refusing({}));
  assert.equal(report.summary.created, 4);
  const outcome = writeFailureFiles(report, plan, { cwd: dir });
  assert.deepEqual(outcome.written, []);
  assert.equal(readFileSync(join(dir, 'crm.failures.csv'), 'utf8'), 'earlier,error\r\nx,y\r\n');
  const other = fresh({ 'crm.csv': CSV });
  const again = await applyFiles(other, ['crm.csv'], new Refusing({}));
  writeFailureFiles(again.report, again.plan, { cwd: other });
  assert.ok(!existsSync(join(other, 'crm.failures.csv')));
});

const YAML = [
  'customers:',
  '  - customerCode: Y1',
  '    contactName: Yan',
  '    billingAddress:',
  '      name: Yan',
  '      street1: 1 Main St',
  '      postalCode: T2P 1J9',
  '  - customerCode: Y2',
  '    contactName: Yoko',
  '',
].join('\n');

test('YAML inputs: listed only by default; with --failures FILE in a CSV of their fields, which loads back to the same record', async () => {
  const dir = fresh({ 'customers.yaml': YAML, 'crm.csv': CSV });
  const errors = { Y1: refused('contactName', 'no'), F1: refused('cellPhone', 'no') };
  const first = await applyFiles(dir, ['customers.yaml', 'crm.csv'], new Refusing(errors));
  const listed = writeFailureFiles(first.report, first.plan, { cwd: dir });
  assert.deepEqual(
    listed.listedOnly.map((r) => r.source),
    ['customers.yaml:2'],
  );
  assert.deepEqual(listed.written, [{ path: join(dir, 'crm.failures.csv'), records: 1 }]);
  assert.ok(!existsSync(join(dir, 'customers.failures.csv')));

  const fix = join(dir, 'fix-me.csv');
  const all = writeFailureFiles(first.report, first.plan, { cwd: dir, target: 'fix-me.csv' });
  assert.deepEqual(all.written, [{ path: fix, records: 2 }]);
  assert.deepEqual(all.listedOnly, []);
  const lines = readFileSync(fix, 'utf8').split('\r\n');
  assert.equal(
    lines[0],
    '\uFEFFcustomerCode,contactName,billingAddress.name,billingAddress.street1,billingAddress.postalCode,cellPhone,businessName,error',
  );
  assert.equal(lines[1], 'Y1,Yan,Yan,1 Main St,T2P 1J9,,,Helcim refused it (400): contactName: no');
  assert.equal(lines[2], 'F1,Ada,,,,4035550101,first,Helcim refused it (400): cellPhone: no');
  const back = loadDesiredState(['fix-me.csv'], { cwd: dir });
  const again = loadDesiredState(['customers.yaml'], { cwd: dir });
  assert.deepEqual(back.customers[0]?.data, again.customers[0]?.data);
});

test('a failures file applied again is rewritten in place with the rows still not done; the done ones leave it', async () => {
  const dir = fresh({ 'crm.csv': CSV });
  const seed: RemoteCustomer[] = [{ id: '9', customerCode: 'F4', contactName: 'Old' }];
  const errors: Record<string, Error> = {
    F1: refused('cellPhone', 'no'),
    F2: refused('cellPhone', 'no'),
    F3: refused('cellPhone', 'no'),
    F4: refused('cellPhone', 'no'),
  };
  const first = await applyFiles(dir, ['crm.csv'], new Refusing(errors, seed));
  writeFailureFiles(first.report, first.plan, { cwd: dir });
  const path = join(dir, 'crm.failures.csv');
  assert.equal(readFileSync(path, 'utf8').split('\r\n').length, 6);

  // F1 is fixed and goes through; F2 still fails; F4 is gone from the account (stale).
  const second = new Refusing(
    {
      F2: refused('cellPhone', 'still no'),
      F3: new RemoteError('ERR_REMOTE_TIMEOUT', 'POST /customers got no answer within 30000 ms'),
      F4: new RemoteError('ERR_REMOTE_NOT_FOUND', 'gone', { status: 404 }),
    },
    seed,
  );
  const { plan, report } = await applyFiles(dir, ['crm.failures.csv'], second);
  assert.deepEqual(report.summary, {
    created: 1,
    updated: 0,
    stale: 1,
    failed: 2,
    conflicts: 0,
    skipped: 0,
  });
  const outcome = writeFailureFiles(report, plan, { cwd: dir });
  assert.deepEqual(outcome.written, [{ path, records: 3 }]);
  const rows = readFileSync(path, 'utf8').split('\r\n').slice(1, -1);
  assert.deepEqual(
    rows.map((r) => r.split(',')[1]),
    ['F2', 'F3', 'F4'],
  );
  assert.match(rows[0] ?? '', /still no$/);
  assert.match(rows[1] ?? '', /not the record's fault, nothing to fix/);
  assert.match(rows[2] ?? '', /skipped as stale: no longer exists in Helcim$/);
});

test('stale records and conflicts (of which records Payment Kit cannot create are one kind) stay out of a failures file beside an input', async () => {
  const dir = fresh({
    'crm.csv': CSV,
    'dup.csv': 'customerCode,contactName\r\nD1,Dee\r\n',
  });
  const seed: RemoteCustomer[] = [
    { id: '1', customerCode: 'D1', contactName: 'One' },
    { id: '2', customerCode: 'D1', contactName: 'Two' },
    { id: '3', customerCode: 'F2', contactName: 'Old' },
  ];
  const errors = {
    F1: refused('cellPhone', 'no'),
    F2: new RemoteError('ERR_REMOTE_NOT_FOUND', 'gone', { status: 404 }),
  };
  const { plan, report } = await applyFiles(
    dir,
    ['crm.csv', 'dup.csv'],
    new Refusing(errors, seed),
  );
  assert.equal(plan.summary.conflict, 1);
  assert.equal(report.summary.stale, 1);
  const rows = failureRows(report, plan, 'Helcim');
  assert.deepEqual(rows.map((r) => [r.source, r.failed]).sort(), [
    ['crm.csv row 2', true],
    ['crm.csv row 3', false],
    ['dup.csv row 2', false],
  ]);
  const outcome = writeFailureFiles(report, plan, { cwd: dir });
  assert.deepEqual(outcome.written, [{ path: join(dir, 'crm.failures.csv'), records: 1 }]);
  assert.ok(!existsSync(join(dir, 'dup.failures.csv')));
});

test('a row that is no longer the planned record is named, never written in its place', async () => {
  const dir = fresh({ 'crm.csv': CSV });
  const { plan, report } = await applyFiles(
    dir,
    ['crm.csv'],
    new Refusing({ F1: refused('cellPhone', 'no'), F2: refused('cellPhone', 'no') }),
  );
  // Someone edits the file between the plan and the writing of the failures file.
  writeFileSync(join(dir, 'crm.csv'), CSV.replace(',F1,', ',G1,'));
  const outcome = writeFailureFiles(report, plan, { cwd: dir });
  assert.deepEqual(
    outcome.unlocated.map((r) => r.key),
    ['F1'],
  );
  assert.deepEqual(outcome.written, [{ path: join(dir, 'crm.failures.csv'), records: 1 }]);
});

test('only a missing file or an error file may be replaced', () => {
  const dir = fresh({
    'ours.csv': '\uFEFFcustomerCode,error\r\nC1,x\r\n',
    'quoted.csv': '"customerCode","error"\n',
    'data.csv': 'customerCode,contactName\nC1,Ada\n',
    'empty.csv': '',
  });
  assert.equal(notAnErrorFile(join(dir, 'missing.csv')), undefined);
  assert.equal(notAnErrorFile(join(dir, 'ours.csv')), undefined);
  assert.equal(notAnErrorFile(join(dir, 'quoted.csv')), undefined);
  assert.equal(notAnErrorFile(join(dir, 'empty.csv')), undefined);
  assert.match(notAnErrorFile(join(dir, 'data.csv')) ?? '', /is not a failures or rejects file/);
  // A target that cannot be written is reported, not thrown.
  assert.ok(notAnErrorFile(dir) !== undefined);
});

test('a record the client would not send is the record to fix', async () => {
  const dir = fresh({ 'crm.csv': CSV });
  const { plan, report } = await applyFiles(
    dir,
    ['crm.csv'],
    new Refusing({ F1: new InputError('A Payment Kit update cannot send name: it is not text.') }),
  );
  const outcome = writeFailureFiles(report, plan, { cwd: dir });
  assert.equal(outcome.written[0]?.records, 1);
  assert.match(
    readFileSync(join(dir, 'crm.failures.csv'), 'utf8'),
    /,not sent: A Payment Kit update cannot send name: it is not text\.\r\n$/,
  );
});

test("a mapped CSV in a folder source: the failures file beside it keeps the export's own columns and loads back through the folder's mapping", async () => {
  const dir = fresh({
    'helcim-sync.yaml': [
      'version: 1',
      'sources:',
      // No trailing slash: a source written exports/ matches none of its files (load/index.ts).
      '  - path: exports',
      '    mapping: crm',
      'mappings:',
      '  crm:',
      '    columns:',
      '      customerCode: Contact ID',
      '      contactName: [First Name, Last Name]',
      '',
    ].join('\n'),
  });
  mkdirSync(join(dir, 'exports'));
  writeFileSync(
    join(dir, 'exports', 'crm.csv'),
    'Contact ID,First Name,Last Name\r\nM-1,Ada,Lovelace\r\nM-2,Bob,Byron\r\n',
  );
  const { plan, report } = await applyFiles(
    dir,
    ['exports/crm.csv'],
    new Refusing({ 'M-2': refused('contactName', 'no') }),
  );
  const outcome = writeFailureFiles(report, plan, { cwd: dir });
  const path = join(dir, 'exports', 'crm.failures.csv');
  assert.deepEqual(outcome.written, [{ path, records: 1 }]);
  assert.deepEqual(rowsOf(readFileSync(path, 'utf8')), [
    'Contact ID,First Name,Last Name,error',
    'M-2,Bob,Byron,Helcim refused it (400): contactName: no',
  ]);
  const back = loadDesiredState(['exports/crm.failures.csv'], { cwd: dir });
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.customers[0]?.data, { customerCode: 'M-2', contactName: 'Bob Byron' });
});

function rowsOf(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .slice(0, -1);
}

/** `Refusing`, with F2's refusal coming late: the writes after it end first. */
class RefusingLate extends Refusing {
  override async create(data: CustomerData & { customerCode: string }): Promise<RemoteCustomer> {
    if (data.customerCode === 'F2') await new Promise((resolve) => setTimeout(resolve, 30));
    return super.create(data);
  }
}

test('failures are listed in the order of the files, whatever order the writes ended in', async () => {
  const dir = fresh({
    'crm.csv': CSV,
    'more.yaml': 'customers:\n  - customerCode: Y1\n    contactName: Yan\n',
  });
  // Writes run side by side: the YAML record's refusal ends before the CSV one's.
  const { plan, report } = await applyFiles(
    dir,
    ['crm.csv', 'more.yaml'],
    new RefusingLate({ F2: refused('contactName', 'no'), Y1: refused('contactName', 'no') }),
  );
  assert.deepEqual(
    report.results.map((r) => r.key),
    ['F1', 'F2', 'F3', 'F4', 'Y1'],
  );
  assert.deepEqual(
    failureRows(report, plan, 'Helcim').map((r) => r.key),
    ['F2', 'Y1'],
  );
  const target = join(dir, 'all.failures.csv');
  writeFailureFiles(report, plan, { cwd: dir, target });
  // The header is the first file's columns: the same file from run to run.
  assert.match(
    readFileSync(target, 'utf8'),
    /^\uFEFF?cellPhone,customerCode,contactName,businessName,/,
  );
});
