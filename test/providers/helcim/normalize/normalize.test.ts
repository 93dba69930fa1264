import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IGNORED_DIFFERENCES,
  normalizeCustomer,
  normalizeEmail,
  normalizePhone,
  normalizeProvince,
  normalizeText,
  splitPhone,
} from '../../../../src/providers/helcim/normalize/index.js';

const TRICKY: unknown[] = [
  {
    customerCode: ' C\u00a01 ',
    contactName: 'Jose\u0301  Nu\u0301n\u0303ez\n',
    businessName: '',
    cellPhone: '+1 (403) 555-0101 ext. 12',
    billingAddress: {
      name: '\tAda ',
      street1: '1 Main St,\r\nSuite 2',
      province: 'alberta',
      country: 'canada',
      postalCode: 't2p  1j9',
      phone: '403.555.0101 x7',
      email: ' Ada@EXAMPLE.Com ',
    },
    shippingAddress: '',
  },
  { contactName: 'Zoë', billingAddress: { province: 'New York', country: 'US' } },
  { billingAddress: { province: 'qc', country: 'Narnia' }, cellPhone: 4035550101 },
  { contactName: null, businessName: ['x'], billingAddress: 5, shippingAddress: { city: {} } },
  {},
];

test('normalising twice gives what normalising once gives', () => {
  for (const input of TRICKY) {
    const once = normalizeCustomer(input);
    assert.deepEqual(normalizeCustomer(once), once);
  }
});

test('the tricky customer comes out canonical', () => {
  assert.deepEqual(normalizeCustomer(TRICKY[0]), {
    customerCode: 'C 1',
    contactName: 'José Núñez',
    cellPhone: '14035550101',
    billingAddress: {
      name: 'Ada',
      street1: '1 Main St, Suite 2',
      province: 'AB',
      country: 'CAN',
      postalCode: 'T2P 1J9',
      phone: '4035550101',
      email: 'Ada@example.com',
    },
  });
  assert.deepEqual(normalizeCustomer(TRICKY[1]), {
    contactName: 'Zoë',
    billingAddress: { province: 'NY', country: 'USA' },
  });
});

test('normalisation is total on remote oddities', () => {
  for (const odd of [null, undefined, 'x', 42, [], { billingAddress: null }, { cellPhone: NaN }]) {
    assert.deepEqual(normalizeCustomer(odd), {});
  }
  assert.deepEqual(normalizeCustomer(TRICKY[3]), {});
  assert.deepEqual(normalizeCustomer(TRICKY[2]), {
    cellPhone: '4035550101',
    billingAddress: { province: 'QC', country: 'Narnia' },
  });
});

test('phones: digits only, extensions split off', () => {
  assert.equal(normalizePhone('(403) 555-0101'), '4035550101');
  assert.deepEqual(splitPhone('403-555-0101 ext. 12'), { digits: '4035550101', extension: '12' });
  assert.deepEqual(splitPhone('403 555 0101 #9'), { digits: '4035550101', extension: '9' });
  assert.deepEqual(splitPhone('555-0101'), { digits: '5550101' });
});

test('text, email and province rules', () => {
  assert.equal(normalizeText('  a \u00a0 b\t'), 'a b');
  assert.equal(normalizeText('e\u0301'), 'é');
  assert.equal(normalizeEmail('Bob.Smith@Mail.Example.ORG'), 'Bob.Smith@mail.example.org');
  assert.equal(normalizeProvince('Bavaria', 'DEU'), 'Bavaria');
  assert.equal(normalizeProvince('on', 'CAN'), 'ON');
  assert.ok(IGNORED_DIFFERENCES.length >= 5);
});

test('an already canonical record is returned as is (no copy)', () => {
  const clean = { customerCode: 'C1', billingAddress: { name: 'A', country: 'CAN' } };
  assert.equal(normalizeCustomer(clean), clean);
});
