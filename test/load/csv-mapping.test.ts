import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDesiredState } from '../../src/desired/index.js';
import { loadCsv } from '../../src/load/csv.js';
import type { CsvMapping } from '../../src/load/config-types.js';
import { CSV_FIXTURES, lines } from './csv-helpers.js';

const CONFIG = 'crm.helcim-sync.yaml';

const EXPECTED = [
  {
    key: 'ada@example.com',
    data: {
      customerCode: '1001',
      contactName: 'Ada Lovelace',
      businessName: 'Analytical Engines Ltd',
      cellPhone: '4035550101',
      billingAddress: {
        name: 'Ada Lovelace',
        street1: '1 Main St, Suite 200',
        city: 'Calgary',
        province: 'AB',
        country: 'CAN',
        postalCode: 'T2P 1J9',
        email: 'ADA@example.com',
      },
    },
  },
  {
    key: 'grace@example.com',
    data: {
      customerCode: '1002',
      contactName: 'Grace Hopper',
      cellPhone: '14165550102',
      billingAddress: {
        name: 'Grace Hopper',
        street1: '"The Annex", 2 King St W',
        city: 'Toronto',
        province: 'ON',
        country: 'CAN',
        postalCode: 'M5V 2T6',
        email: 'grace@example.com',
      },
    },
  },
  {
    key: 'alan@example.com',
    data: {
      customerCode: '1003',
      contactName: 'Alan Turing',
      businessName: 'Bletchley Co',
      cellPhone: '2125550103',
      billingAddress: {
        name: 'Alan Turing',
        street1: '3 Elm St Floor 2',
        city: 'New York',
        province: 'NY',
        country: 'USA',
        postalCode: '10001',
        email: 'alan@example.com',
      },
    },
  },
];

for (const file of ['crm-export.csv', 'crm-export-semicolon.csv']) {
  test(`messy CRM export end to end: ${file}`, () => {
    const state = loadDesiredState([file], { cwd: CSV_FIXTURES, configPath: CONFIG });
    assert.deepEqual(
      state.customers.map((c) => ({ key: c.key, data: c.data })),
      EXPECTED,
    );
    assert.deepEqual(
      state.rejected.map((r) => r.record.place),
      [
        { kind: 'csv', file, row: 5 },
        { kind: 'csv', file, row: 6 },
      ],
    );
    const text = lines(state.problems);
    assert.ok(
      text.includes(
        `${file}: row 5, column "Country": error: billingAddress.country: unknown country "Canda"`,
      ),
    );
    assert.equal(
      state.problems.find((p) => p.code === 'unknown-country')?.hint,
      'did you mean CAN (Canada)?',
    );
    assert.ok(
      text.includes(
        `${file}: row 2, column "Phone 1": warning: cellPhone: extension 12 dropped from "(403) 555-0101 ext. 12": Helcim phone fields hold a number only`,
      ),
    );
    assert.ok(
      text.includes(
        `${file}: row 4, column "Country": warning: billingAddress.country: country "United States" read as USA`,
      ),
    );
    assert.ok(
      text.includes(
        `${file}: row 6, column "Phone 1": error: cellPhone: "555" has 3 digits; Helcim takes 10 to 16`,
      ),
    );
    assert.ok(
      text.includes(
        `${file}: row 1: warning: mapping "crm" reads no data from: "Phone 2", "Notes"`,
      ),
    );
    // The all-empty last row is not a record, although the mapping has a default.
    assert.equal(state.customers.length + state.rejected.length, 5);
  });
}

test('a mapping naming a column the file lacks says so, with a guess', () => {
  const mapping: CsvMapping = {
    name: 'm',
    columns: [
      ['contactName', { kind: 'columns', from: ['Full Name'], separator: ' ' }],
      ['customerCode', { kind: 'columns', from: ['ID'], separator: ' ' }],
    ],
  };
  const { problems } = loadCsv('m.csv', Buffer.from('FullName,ID\nAda,1\n'), { mapping });
  assert.deepEqual(lines(problems), [
    'm.csv: row 1: error: mapping "m" reads column "Full Name" for contactName, but the header has no such column',
    'm.csv: row 1: warning: mapping "m" reads no data from: "FullName"',
  ]);
  assert.equal(problems[0]?.hint, 'did you mean "FullName"?');
});

test('constants fill missing required parts', () => {
  const mapping: CsvMapping = {
    name: 'm',
    columns: [
      ['customerCode', { kind: 'columns', from: ['ID'], separator: ' ' }],
      ['billingAddress.country', { kind: 'value', value: 'CAN' }],
      [
        'billingAddress.name',
        { kind: 'columns', from: ['Name'], separator: ' ', default: 'Unknown' },
      ],
    ],
  };
  const { records } = loadCsv('m.csv', Buffer.from('ID,Name\n1,\n2,Bo\n'), { mapping });
  assert.deepEqual(
    records.map((r) => r.value),
    [
      { customerCode: '1', billingAddress: { country: 'CAN', name: 'Unknown' } },
      { customerCode: '2', billingAddress: { country: 'CAN', name: 'Bo' } },
    ],
  );
  assert.deepEqual(records[1]?.locate('billingAddress.name'), {
    kind: 'csv',
    file: 'm.csv',
    row: 3,
    column: 'Name',
  });
  assert.deepEqual(records[1]?.locate('billingAddress.country'), {
    kind: 'csv',
    file: 'm.csv',
    row: 3,
  });
});
