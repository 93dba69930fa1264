/**
 * Payment Kit phones: E.164 when they can be read (with the record's country for a national
 * number), as written otherwise, the same on both sides of a plan, and never sent unless changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Phones from 'libphonenumber-js/min';
import type { RemoteCustomer } from '../../../src/core/customer.js';
import { loadDesiredState } from '../../../src/desired/index.js';
import { formatPlace } from '../../../src/load/types.js';
import type { Place, Problem, RawRecord } from '../../../src/load/types.js';
import { planSync } from '../../../src/pipeline.js';
import { normalizePaymentKitCustomer } from '../../../src/providers/payment-kit/normalize.js';
import { e164Reading, normalizePaymentKitPhone } from '../../../src/providers/payment-kit/phone.js';
import { MemoryRemote } from '../../../src/remote/memory.js';
import { validateRecords } from '../../../src/validate/index.js';

const require = createRequire(import.meta.url);
const phones: typeof Phones = require('libphonenumber-js/min');

function phoneOf(phone: unknown, country?: string): unknown {
  const address = country === undefined ? {} : { address: { country } };
  return normalizePaymentKitCustomer({ did: 'z1', phone, ...address })['phone'];
}

function record(value: unknown, row = 2): RawRecord {
  const place: Place = { kind: 'csv', file: 'in.csv', row };
  return { file: 'in.csv', place, value, locate: (path) => ({ ...place, column: path }) };
}

function shown(problems: readonly Problem[]): string[] {
  return problems.map(
    (p) =>
      `${formatPlace(p.place)}: ${p.severity}: ${p.code}: ${p.message}${p.hint === undefined ? '' : ` [${p.hint}]`}`,
  );
}

function validate(...values: unknown[]): ReturnType<typeof validateRecords> {
  return validateRecords(
    values.map((v, i) => record(v, i + 2)),
    { provider: 'payment-kit' },
  );
}

test('a national phone is written in E.164 with the calling code of its address.country', () => {
  assert.equal(phoneOf('(617) 555-0110', 'US'), '+16175550110');
  assert.equal(phoneOf('617.555.0110', 'United States'), '+16175550110');
  assert.equal(phoneOf('020 7946 0958', 'GB'), '+442079460958');
  assert.equal(phoneOf('030 1234567', 'DEU'), '+49301234567');
  assert.equal(phoneOf('011 44 20 7946 0958', 'US'), '+442079460958');
});

test('a YAML phone written as a number is read as its digits', () => {
  assert.equal(phoneOf(6175550110, 'US'), '+16175550110');
});

test('an international phone loses its spacing and punctuation, whatever address.country says', () => {
  assert.equal(phoneOf('+1 617 555 0110'), '+16175550110');
  assert.equal(phoneOf('+1 (617) 555-0110', 'GB'), '+16175550110');
  assert.equal(phoneOf('  +44 20 7946 0958 '), '+442079460958');
  assert.equal(phoneOf('+49 (0)30 123456'), '+4930123456');
});

test('a phone with an extension keeps it, as " ext. N" after the number in E.164', () => {
  assert.equal(phoneOf('617-555-0110 x12', 'US'), '+16175550110 ext. 12');
  assert.equal(phoneOf('+1 617 555 0110 ext. 12'), '+16175550110 ext. 12');
  assert.equal(phoneOf('+16175550110 ext. 12'), '+16175550110 ext. 12');
});

test('a phone that is not read as a number is kept as written, text rules only', () => {
  assert.equal(phoneOf('555-CALL-NOW', 'US'), '555-CALL-NOW');
  assert.equal(phoneOf('  617   555 0110 '), '617 555 0110');
  assert.equal(phoneOf('call +1 617 555 0110 after 5'), 'call +1 617 555 0110 after 5');
  assert.equal(phoneOf('+1 617 555', 'US'), '+1 617 555');
  assert.equal(phoneOf('12', 'US'), '12');
});

test('normalising a phone twice gives what normalising it once gives', () => {
  const written = [
    ['(617) 555-0110', 'US'],
    ['617-555-0110 x12', 'US'],
    ['+3758826339729', undefined],
    ['+4402079460958', undefined],
    ['555-CALL-NOW', 'US'],
    ['0 30 123456', 'DE'],
    ['+39 06 1234 5678', undefined],
  ] as const;
  for (const [phone, country] of written) {
    const once = normalizePaymentKitPhone(phone, country);
    assert.equal(normalizePaymentKitPhone(once, country), once, phone);
  }
});

test('a national phone read with address.country is noted once a file, at its first record, with the count', () => {
  const result = validate(
    { did: 'z1a', phone: '(617) 555-0110', address: { country: 'US' } },
    { did: 'z1b', phone: '617-555-0111', address: { country: 'US' } },
    { did: 'z1c', phone: '+1 617 555 0112', address: { country: 'US' } },
  );
  assert.equal(result.customers.length, 3);
  assert.deepEqual(shown(result.problems), [
    'in.csv: row 2, column "phone": warning: phone-converted: phone: "(617) 555-0110" read as +16175550110 (2 records in this file, first here) [write phone numbers in E.164 (+16175550110) to silence this]',
  ]);
});

test('a phone already in E.164, or international with only spacing, gets no warning', () => {
  const result = validate(
    { did: 'z1a', phone: '+16175550110' },
    { did: 'z1b', phone: '+1 (617) 555-0111', address: { country: 'CA' } },
    { did: 'z1c', phone: '+44 20 7946 0958 ext. 3' },
  );
  assert.deepEqual(result.problems, []);
});

test('a phone that is not a number is a warning at its row and column, and the record is kept as written', () => {
  const result = validate(
    { did: 'z1a', phone: '555-CALL-NOW', address: { country: 'US' } },
    { did: 'z1b', phone: '+1 617 555' },
    { did: 'z1c', phone: '+1555' },
  );
  assert.deepEqual(
    result.customers.map((c) => c.data['phone']),
    ['555-CALL-NOW', '+1 617 555', '+1555'],
  );
  assert.deepEqual(result.rejected, []);
  const hint =
    'Payment Kit takes it as text; write the full number with its country code (+1 617 555 0110) to have it in E.164';
  assert.deepEqual(shown(result.problems), [
    `in.csv: row 2, column "phone": warning: invalid-phone: phone: "555-CALL-NOW" is not a phone number of US; kept as written, not in E.164 [${hint}]`,
    `in.csv: row 3, column "phone": warning: invalid-phone: phone: "+1 617 555" is not a phone number; kept as written, not in E.164 [${hint}]`,
    `in.csv: row 4, column "phone": warning: invalid-phone: phone: "+1555" is not a phone number; kept as written, not in E.164 [${hint}]`,
  ]);
});

test('a national phone without address.country is kept as written, noted once a file with the count', () => {
  const result = validate(
    { did: 'z1a', phone: '(617) 555-0110' },
    { did: 'z1b', phone: '617 555 0111', address: { city: 'Boston' } },
  );
  assert.deepEqual(
    result.customers.map((c) => c.data['phone']),
    ['(617) 555-0110', '617 555 0111'],
  );
  assert.deepEqual(shown(result.problems), [
    'in.csv: row 2, column "phone": warning: phone-without-country: phone: "(617) 555-0110" kept as written, not in E.164: it has no country code and the record no address.country (2 records in this file, first here) [add address.country, or write the number with its country code (+1 617 555 0110)]',
  ]);
});

test("a CSV file's phone warnings name the file, the row and the mapped column", () => {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-pk-phone-'));
  try {
    writeFileSync(
      join(dir, 'helcim-sync.yaml'),
      [
        'provider: payment-kit',
        'livemode: false',
        'sources: [{ path: crm.csv, mapping: crm }]',
        'mappings:',
        '  crm:',
        '    columns: { did: DID, phone: Phone, address.country: Country }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'crm.csv'),
      'DID,Phone,Country\nz1a,(617) 555-0110,United States\nz1b,555-CALL-NOW,US\n',
    );
    const state = loadDesiredState([], { cwd: dir });
    assert.deepEqual(
      state.customers.map((c) => c.data['phone']),
      ['+16175550110', '555-CALL-NOW'],
    );
    assert.deepEqual(
      state.problems.filter((p) => p.path === 'phone').map((p) => [formatPlace(p.place), p.code]),
      [
        ['crm.csv: row 2, column "Phone"', 'phone-converted'],
        ['crm.csv: row 3, column "Phone"', 'invalid-phone'],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function stored(phone: string, country = 'US'): RemoteCustomer {
  return {
    id: 'cus_1',
    did: 'z1ada',
    name: 'Ada',
    phone,
    address: { country, city: 'Boston', line1: '1 Main St' },
  };
}

async function planFor(desired: Record<string, unknown>, remote: RemoteCustomer) {
  const result = validateRecords([record({ did: 'z1ada', ...desired })], {
    provider: 'payment-kit',
  });
  assert.deepEqual(result.rejected, []);
  return planSync(result.customers, new MemoryRemote([remote], { provider: 'payment-kit' }), {
    config: { matchKey: 'did', ignore: [] },
  });
}

test('"(617) 555-0110" with country US plans no change against a stored "+1 617 555 0110"', async () => {
  const plan = await planFor(
    { phone: '(617) 555-0110', address: { country: 'US' } },
    stored('+1 617 555 0110'),
  );
  assert.deepEqual(plan.actions, []);
  assert.equal(plan.summary.unchanged, 1);
});

test('"+1 617 555 0110" in the file plans no change against a stored national "(617) 555-0110" in US', async () => {
  const plan = await planFor({ phone: '+1 617 555 0110' }, stored('(617) 555-0110'));
  assert.deepEqual(plan.actions, []);
});

test('an update of the name sends the name only, not the phone that differs only in its spelling', async () => {
  const plan = await planFor(
    {
      name: 'Ada Lovelace',
      phone: '(617) 555-0110',
      address: { country: 'US', city: 'Cambridge' },
    },
    stored('+1 617 555 0110'),
  );
  const update = plan.actions[0];
  assert.ok(update?.type === 'update');
  assert.deepEqual(update.payload, {
    name: 'Ada Lovelace',
    address: { country: 'US', city: 'Cambridge', line1: '1 Main St' },
  });
  assert.deepEqual(
    update.changes.map((c) => c.field),
    ['name', 'address.city'],
  );
});

test('a changed phone is sent in E.164', async () => {
  const plan = await planFor(
    { phone: '(617) 555-0199', address: { country: 'US' } },
    stored('+1 617 555 0110'),
  );
  const update = plan.actions[0];
  assert.ok(update?.type === 'update');
  assert.deepEqual(update.payload, { phone: '+16175550199' });
  assert.deepEqual(update.changes, [{ field: 'phone', old: '+16175550110', new: '+16175550199' }]);
});

/** Deterministic numbers for the agreement tests: mulberry32. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function digits(rand: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(rand() * 10));
  return out;
}

/** What libphonenumber-js alone makes of a phone: the rule the fast paths must not change. */
function libraryReading(text: string, country: Phones.CountryCode | undefined): string {
  const parsed = phones.parsePhoneNumberFromString(text, {
    defaultCountry: country,
    extract: false,
  });
  if (parsed === undefined || !parsed.isPossible()) return text;
  return parsed.ext === undefined ? parsed.number : `${parsed.number} ext. ${parsed.ext}`;
}

test('an E.164 number told apart without a parse is read so by libphonenumber-js: as itself, or as no number', () => {
  const rand = random(7);
  const codes = [...new Set(phones.getCountries().map((c) => phones.getCountryCallingCode(c)))];
  const told = { same: 0, unread: 0 };
  for (let i = 0; i < 40_000; i++) {
    const code = codes[Math.floor(rand() * codes.length)] ?? '1';
    const text = `+${code}${digits(rand, 3 + Math.floor(rand() * 13))}`;
    const reading = e164Reading(text);
    if (reading === undefined) continue;
    told[reading]++;
    assert.equal(libraryReading(text, undefined), text, text);
    const parsed = phones.parsePhoneNumberFromString(text, { extract: false });
    assert.equal(parsed?.isPossible() === true, reading === 'same', text);
  }
  // Most numbers take the fast path either way: the check is not vacuous.
  assert.ok(told.same > 5_000 && told.unread > 5_000, JSON.stringify(told));
});

test('a national number no country of its calling code fits stays its own country\'s: "0/5831/088" in BQ', () => {
  // Read internationally, +599 05831088 is possible (in CW, the code's main country); read in
  // BQ, whose numbers have 7 digits, it is not.
  assert.equal(normalizePaymentKitPhone('0/5831/088', 'BQ'), libraryReading('0/5831/088', 'BQ'));
  assert.equal(normalizePaymentKitPhone('0/5831/088', 'BQ'), '0/5831/088');
});

test('with its fast paths, a phone normalises as libphonenumber-js reads it, in every country', () => {
  const rand = random(11);
  const countries = phones.getCountries();
  const separators = [' ', '-', '.', '/', '', '', ''];
  for (let i = 0; i < 40_000; i++) {
    const country = countries[Math.floor(rand() * countries.length)];
    const international = rand() < 0.5;
    const code = country === undefined ? '1' : phones.getCountryCallingCode(country);
    let text = international ? `+${code}` : '';
    const count = 4 + Math.floor(rand() * 10);
    for (let k = 0; k < count; k++) {
      const sep = k === 0 && !international ? '' : (separators[Math.floor(rand() * 7)] ?? '');
      text += sep + String(k === 0 && rand() < 0.3 ? 0 : Math.floor(rand() * 10));
    }
    assert.equal(
      normalizePaymentKitPhone(text, country),
      libraryReading(text, country),
      `${text} in ${country}`,
    );
  }
});

test('loading the tool and normalising Helcim customers does not load the phone library', () => {
  const script = [
    "import { createRequire } from 'node:module';",
    `const { validateRecords } = await import(${JSON.stringify(new URL('../../../src/validate/index.js', import.meta.url).href)});`,
    "const place = { kind: 'csv', file: 'in.csv', row: 2 };",
    "validateRecords([{ file: 'in.csv', place, value: { customerCode: 'C1', contactName: 'Ada', cellPhone: '+1 403 555 0101' }, locate: () => place }]);",
    "const loaded = Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('libphonenumber-js'));",
    'process.stdout.write(String(loaded));',
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, 'false');
});

test('a national phone beside a misspelt country gets no phone warning: the country error is the one to fix', () => {
  const result = validate({ did: 'z1a', phone: '617 555 0110', address: { country: 'Frnace' } });
  const shownProblems = shown(result.problems);
  assert.ok(
    shownProblems.some((p) => /address\.country.*unknown country "Frnace"/.test(p)),
    shownProblems.join('\n'),
  );
  // "Frnace has no phone numbering" would send the reader after the phone, not the country.
  assert.deepEqual(
    shownProblems.filter((p) => p.includes('column "phone"')),
    [],
  );
});

test('a national phone whose country has no phone numbering says so, not that the country is missing', () => {
  const result = validate({ did: 'z1a', phone: '617 555 0110', address: { country: 'AQ' } });
  assert.deepEqual(
    result.customers.map((c) => c.data['phone']),
    ['617 555 0110'],
  );
  assert.deepEqual(shown(result.problems), [
    'in.csv: row 2, column "phone": warning: phone-without-country: phone: "617 555 0110" kept as written, not in E.164: it has no country code, and address.country AQ has no phone numbering to read it with [write the number with its country code (+1 617 555 0110)]',
  ]);
});

test("a national phone in a record without a country is read in the customer's own country: the same number plans no change", async () => {
  // The record cannot be read alone, but the customer it matches says where it is: its stored
  // E.164 number is the one the file names, so writing the file's spelling over it would change
  // nothing but the form (and lose the E.164 form the rest of Payment Kit uses).
  const plan = await planFor({ phone: '(617) 555-0110' }, stored('+1 617 555 0110'));
  assert.deepEqual(plan.actions, []);
  assert.equal(plan.summary.unchanged, 1);
  const renamed = await planFor({ name: 'Ada L', phone: '617.555.0110' }, stored('+16175550110'));
  const update = renamed.actions[0];
  assert.ok(update?.type === 'update');
  assert.deepEqual(update.payload, { name: 'Ada L' });
});

test("a national phone in a record without a country is a change when the customer's country reads it as another number", async () => {
  const other = await planFor({ phone: '(617) 555-0199' }, stored('+1 617 555 0110'));
  const update = other.actions[0];
  assert.ok(update?.type === 'update');
  assert.deepEqual(update.changes, [
    { field: 'phone', old: '+16175550110', new: '(617) 555-0199' },
  ]);
  // Read in GB, the same digits are not the customer's US number.
  const abroad = await planFor({ phone: '(617) 555-0110' }, stored('+1 617 555 0110', 'GB'));
  assert.equal(abroad.actions[0]?.type, 'update');
  // A record with its own country read the phone with it (AQ has no numbering: kept as
  // written): the customer's country does not overrule it.
  const own = await planFor(
    { phone: '(617) 555-0110', address: { country: 'AQ' } },
    stored('+1 617 555 0110'),
  );
  assert.ok(own.actions[0]?.type === 'update');
  assert.ok(own.actions[0].changes.some((c) => c.field === 'phone'));
});

test('a national phone in a record without a country converges against a customer without one: applied once, planned again, no change', async () => {
  // Neither side has a country to read the number with: the file's spelling is written once,
  // and a customer holding it as written then plans no change.
  const remote = new MemoryRemote(
    [{ id: 'cus_1', did: 'z1ada', name: 'Ada', phone: '+1 617 555 0110' }],
    { provider: 'payment-kit' },
  );
  const desired = validateRecords([record({ did: 'z1ada', phone: '(617) 555-0110' })], {
    provider: 'payment-kit',
  });
  assert.deepEqual(desired.rejected, []);
  const options = { config: { matchKey: 'did', ignore: [] } };
  const first = await planSync(desired.customers, remote, options);
  const update = first.actions[0];
  assert.ok(update?.type === 'update', 'the spelling the file asks for is written once');
  await remote.update(update.remoteId, update.payload);
  const again = await planSync(desired.customers, remote, options);
  assert.deepEqual(again.actions, []);
  assert.equal(again.summary.unchanged, 1);
});
