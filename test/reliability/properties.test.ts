/**
 * Properties over generated data (fast-check): normalisation is idempotent, a sync converges for
 * any desired and remote sets, and an export loads back to the same records. Each failure prints
 * the smallest counterexample fast-check found and the seed that replays it.
 */
import { helcimFields } from '../../src/providers/helcim/fields.js';
import { helcimInfo } from '../../src/providers/helcim/info.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CustomerData, RemoteCustomer } from '../../src/core/customer.js';
import type { Address } from '../../src/providers/helcim/fields.js';
import { applyPlan } from '../../src/apply/apply.js';
import { loadDesiredState } from '../../src/desired/index.js';
import { customersToCsv } from '../../src/export/csv-writer.js';
import { customersToYaml } from '../../src/export/yaml-writer.js';
import { neutralizeCell, restoreCell } from '../../src/load/csv-safety.js';
import { normalizeCustomer } from '../../src/providers/helcim/normalize/index.js';
import { remoteNormalizer, planSync } from '../../src/pipeline.js';
import { MemoryRemote } from '../../src/remote/memory.js';
import { size, yamlOf } from './support.js';

const RUNS = size(100, 1000);
const SLOW_RUNS = size(40, 400);

// Messy text as people and spreadsheets produce it: odd spaces, decomposed accents, formula
// characters, quotes, and arbitrary code points.
const messyPiece = fc.oneof(
  fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000'),
  fc.constantFrom('e\u0301', 'é', 'A\u030a', 'Å', 'n\u0303', 'ß', 'ǆ', 'İ', 'ﬁ', 'ΐ', 'ΰ'),
  fc.constantFrom('=', '+', '-', '@', "'", '"', ',', ';', '#', 'x', '.'),
  fc.string({ maxLength: 4 }),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
);
const messyText = fc.array(messyPiece, { maxLength: 6 }).map((parts) => parts.join(''));

const digit = fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
const messyPhone = fc
  .array(
    fc.oneof(
      digit,
      digit,
      digit,
      fc.constantFrom(' ', '-', '(', ')', '+', '.', ' ext. ', 'x', '#'),
    ),
    {
      maxLength: 24,
    },
  )
  .map((parts) => parts.join(''));

const countries = fc.oneof(
  fc.constantFrom('Canada', ' canada ', 'CA', 'ca', 'CAN', 'can', 'United States', 'US', 'usa'),
  fc.constantFrom('Germany', 'DE', 'deu', 'France', 'GB', 'Côte d’Ivoire', 'Atlantis', ''),
  messyText,
);
const provinces = fc.oneof(
  fc.constantFrom(
    'ab',
    'AB',
    'Alberta',
    ' alberta ',
    'new york',
    'NY',
    'ny',
    'Québec',
    'Que\u0301bec',
  ),
  fc.constantFrom('Bavaria', 'on', 'Ontario', 'tx', 'Texas', ''),
  messyText,
);
const emails = fc
  .tuple(
    fc.constantFrom('ada', 'Grace.Hopper', ' j.doe ', 'x+y'),
    fc.constantFrom('@', ' @ ', '@@'),
    fc.constantFrom('Example.COM', 'example.com', 'MAIL.Example.org ', 'ÉCOLE.fr'),
  )
  .map((parts) => parts.join(''));

const messyAddress = fc.record(
  {
    name: messyText,
    street1: messyText,
    street2: messyText,
    city: messyText,
    province: provinces,
    country: countries,
    postalCode: fc.oneof(fc.constantFrom('t2p 1j9', 'T2P1J9', ' 10001 ', 'sw1a 1aa'), messyText),
    phone: messyPhone,
    email: fc.oneof(emails, messyText),
  },
  { requiredKeys: [] },
);

const messyCustomer = fc.record(
  {
    customerCode: messyText,
    contactName: messyText,
    businessName: messyText,
    cellPhone: messyPhone,
    billingAddress: messyAddress,
    shippingAddress: fc.oneof(messyAddress, fc.constant('')),
  },
  { requiredKeys: [] },
);

/**
 * Letters whose upper case has no precomposed form: `ΐ` (U+0390) upper-cases to I + two combining
 * marks, which NFC then recomposes differently. Found by this property; kept as a fixed example.
 */
const UPPER_CASE_NOT_NFC = { billingAddress: { postalCode: 'ΐ05 57', province: 'ΰ' } };

test('normalising twice gives the same as normalising once (messy customers)', () => {
  fc.assert(
    fc.property(messyCustomer, (raw) => {
      const once = normalizeCustomer(raw);
      assert.deepEqual(normalizeCustomer(once), once);
      // And a fresh copy, in case the first call returned its input unchanged.
      assert.deepEqual(normalizeCustomer(structuredClone(once)), once);
    }),
    { numRuns: RUNS * 5, examples: [[UPPER_CASE_NOT_NFC]] },
  );
});

test('normalisation is total: any value gives a customer, and normalising it again changes nothing', () => {
  fc.assert(
    fc.property(fc.anything(), (raw) => {
      const once = normalizeCustomer(raw);
      assert.deepEqual(normalizeCustomer(once), once);
    }),
    { numRuns: RUNS },
  );
});

// Valid customers, written the untidy ways the files allow (case, spacing, names for codes).

const word = fc.constantFrom(
  'Ada',
  'grace',
  'ALAN',
  'José',
  'Zoe\u0308',
  'Ngozi',
  "O'Brien",
  'Łukasz',
);
const name = fc
  .tuple(word, fc.constantFrom(' ', '  ', '\t', ' \u00a0'), word, fc.constantFrom('', ' ', '\n'))
  .map(([a, gap, b, end]) => `${a}${gap}${b}${end}`);
const phone = fc
  .tuple(fc.constantFrom('403', '(587) ', '+1 780 '), fc.stringMatching(/^\d{3}[- .]?\d{4}$/))
  .map(([area, rest]) => area + rest);
const place = fc.constantFrom(
  { province: 'ab', country: 'Canada' },
  { province: 'AB', country: 'CAN' },
  { province: 'Ontario', country: 'CA' },
  { province: 'new york', country: 'United States' },
  { province: 'TX', country: 'usa' },
  { country: 'Germany' },
  { country: 'GBR' },
);
const validAddress = fc
  .tuple(
    name,
    fc.constantFrom('1 Main St', ' 22  King St W ', 'Rue Sainte-Catherine'),
    fc.constantFrom('t2p 1j9', 'M5V 2T6', '10001'),
    place,
    fc.option(fc.constantFrom('ada@Example.COM', 'grace@example.org'), { nil: undefined }),
  )
  .map(([n, street1, postalCode, where, email]) => ({
    name: n,
    street1,
    postalCode,
    ...where,
    ...(email === undefined ? {} : { email }),
  }));

interface RawCustomer {
  customerCode: string;
  contactName?: string;
  businessName?: string;
  cellPhone?: string;
  billingAddress?: Address;
  shippingAddress?: Address;
}

function validCustomer(code: string): fc.Arbitrary<RawCustomer> {
  return fc
    .record(
      {
        contactName: name,
        businessName: fc.constantFrom('Acme  Ltd', 'Bücher & Co', '=Formula Inc', '-Dash Co'),
        cellPhone: phone,
        billingAddress: validAddress,
        shippingAddress: validAddress,
      },
      { requiredKeys: ['contactName'] },
    )
    .map((r) => ({ customerCode: code, ...r }));
}

/** Desired customers with unique codes drawn from a small pool the remote side shares. */
const codePool = fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `P-${i}`));
const desiredSet = fc
  .uniqueArray(codePool, { maxLength: 10 })
  .chain((codes) => fc.tuple(...codes.map(validCustomer)));

/** Remote customers as someone might have typed them in Helcim; codes may even repeat. */
const remoteSet = fc
  .array(
    fc.tuple(
      codePool,
      fc.oneof(
        validCustomer('x'),
        messyCustomer.map((c) => ({ ...c, customerCode: 'x' })),
      ),
    ),
    { maxLength: 10 },
  )
  .map((rows) =>
    rows.map(([code, c], i): RemoteCustomer => {
      const data = normalizeCustomer({ ...c, customerCode: code });
      // Helcim stores what it was given; only what reads as set matters to the comparison.
      return { ...data, id: String(500 + i), customerCode: code };
    }),
  );

/** The real loader on a YAML file of `customers`: validation and normalisation as the CLI does. */
function loadFromYaml(dir: string, customers: readonly RawCustomer[]) {
  writeFileSync(join(dir, 'customers.yaml'), yamlOf(customers));
  const state = loadDesiredState(['customers.yaml'], { cwd: dir });
  const errors = state.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, [], 'the generated customers are valid');
  return state;
}

test('for any desired and remote sets, applying the plan and planning again shows no change', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-prop-'));
  try {
    await fc.assert(
      fc.asyncProperty(desiredSet, remoteSet, async (desired, remoteCustomers) => {
        const state = loadFromYaml(dir, desired);
        const remote = new MemoryRemote(remoteCustomers);
        const first = await planSync(state.customers, remote, {
          config: state.config,
          fetch: 'list',
        });
        const report = await applyPlan(first, remote, { normalize: remoteNormalizer(helcimInfo) });
        // Conflicts are reported as failed records by design; every write must have worked.
        const broken = report.results.filter(
          (r) => r.action !== 'conflict' && r.status !== 'created' && r.status !== 'updated',
        );
        assert.deepEqual(broken, []);
        const second = await planSync(state.customers, remote, {
          config: state.config,
          fetch: 'list',
        });
        assert.equal(
          second.summary.create + second.summary.update,
          0,
          JSON.stringify(second.actions),
        );
        // Conflicts (codes held twice in Helcim) are left alone, the same ones both times.
        assert.equal(second.summary.conflict, first.summary.conflict);
      }),
      {
        numRuns: SLOW_RUNS,
        // The user-visible side of UPPER_CASE_NOT_NFC: a plan that never stops showing an update.
        examples: [
          [
            [
              {
                customerCode: 'P-1',
                contactName: 'Eleni',
                billingAddress: {
                  name: 'Eleni',
                  street1: 'Odos 1',
                  postalCode: UPPER_CASE_NOT_NFC.billingAddress.postalCode,
                  country: 'GRC',
                },
              },
            ],
            [],
          ],
        ],
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Canonical customers (as they would come out of an account) with formula-looking values. */
const exported = desiredSet.map((customers) => customers.map((c) => normalizeCustomer(c)));

function reloaded(dir: string, file: string, content: string): CustomerData[] {
  writeFileSync(join(dir, file), content);
  const state = loadDesiredState([file], { cwd: dir });
  assert.deepEqual(
    state.problems.filter((p) => p.severity === 'error'),
    [],
    `the export does not load back:\n${content}`,
  );
  return state.customers.map((c) => c.data);
}

test('a CSV export loads back to the same records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-prop-'));
  try {
    fc.assert(
      fc.property(exported, (customers) => {
        const csv = customersToCsv(helcimFields, customers);
        assert.deepEqual(reloaded(dir, 'export.csv', csv), customers);
      }),
      { numRuns: SLOW_RUNS },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a YAML export loads back to the same records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-prop-'));
  try {
    fc.assert(
      fc.property(exported, (customers) => {
        const yaml = customersToYaml(helcimFields, customers);
        assert.deepEqual(reloaded(dir, 'export.yaml', yaml), customers);
      }),
      { numRuns: SLOW_RUNS },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a neutralised cell restores to the exact value, whatever it holds', () => {
  fc.assert(
    fc.property(fc.oneof(messyText, fc.string({ unit: 'binary' })), (value) => {
      assert.equal(restoreCell(neutralizeCell(value)), value);
      // What a spreadsheet would run as a formula never starts the written cell.
      assert.doesNotMatch(neutralizeCell(value), /^[=+\-@\t\r]/);
    }),
    { numRuns: RUNS * 5 },
  );
});
