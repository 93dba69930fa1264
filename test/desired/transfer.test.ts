import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCustomers, encodeCustomers } from '../../src/desired/transfer.js';
import type { PlannedCustomer } from '../../src/desired/summary.js';
import { toDesiredInput } from '../../src/pipeline.js';
import { helcimFields } from '../../src/providers/helcim/fields.js';

test('desired customers cross the thread boundary unchanged', () => {
  const customers: PlannedCustomer[] = [
    {
      key: 'C1',
      place: { kind: 'csv', file: 'a.csv', row: 2, column: 'x' },
      data: {
        customerCode: 'C1',
        contactName: 'Ada',
        cellPhone: '0412345678',
        billingAddress: {
          name: 'Ada',
          street1: '1 Main St',
          postalCode: 'T2P 1J9',
          country: 'CAN',
          province: 'AB',
        },
      },
    },
    {
      key: 'ada@example.com',
      place: { kind: 'yaml', file: 'b.yaml', line: 7, column: 5 },
      data: {
        businessName: 'Núñez "Café", Ltd',
        shippingAddress: { name: 'N', street1: 's', postalCode: 'p' },
      },
      clear: ['cellPhone', 'billingAddress.city'],
    },
    { key: 'E', place: { kind: 'file', file: 'c.csv' }, data: {} },
  ];
  assert.deepEqual(
    decodeCustomers(encodeCustomers(customers, helcimFields)).map(({ key, data, source, clear }) =>
      clear === undefined ? { key, data, source } : { key, data, source, clear },
    ),
    customers.map(toDesiredInput),
  );
});
