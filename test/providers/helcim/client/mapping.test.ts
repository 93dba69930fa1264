import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isDuplicateCode,
  mapDate,
  normalizeErrors,
  parseCards,
  parseCustomer,
  parseCustomerList,
  toRequestBody,
} from '../../../../src/providers/helcim/client/mapping.js';

/** The example customer object of seeds/helcim-customers.txt, verbatim. */
const SEED_DOCS_CUSTOMER = {
  id: 24332090,
  customerCode: 'CST1049',
  businessName: 'Helcim',
  contactName: 'John Doe',
  dateCreated: '2024-09-18 15:26:25',
  dateUpdated: '2024-09-18 15:26:26',
  cellphone: '1234567899',
  billingAddress: {
    name: 'John Doe',
    street1: '123 Test Street',
    street2: 'Suite 2',
    city: 'Calgary',
    province: 'AB',
    country: 'CAN',
    postalCode: 'H0H0H0',
    phone: '1234567899',
    email: '[email protected]',
  },
  shippingAddress: {
    name: 'John Doe',
    street1: '123 Test Street',
    street2: 'Suite 2',
    city: 'Calgary',
    province: 'AB',
    country: 'CAN',
    postalCode: 'H0H0H0',
    phone: '1234567899',
    email: '[email protected]',
  },
  cards: [],
};

/** The recorded response of helcim-api.md. */
const RECORDED_CUSTOMER: unknown = JSON.parse(
  '{"id":28668966,"customerCode":"CST1312","businessName":"","contactName":"John Doe",' +
    '"dateCreated":"2025-04-10 14:33:08","dateUpdated":"0000-00-00 00:00:00","cellphone":"",' +
    '"billingAddress":{"name":"John Doe","street1":"123 Main St","street2":"Suite 101","city":"New York",' +
    '"province":"NY","country":"USA","postalCode":"10001","phone":"","email":""},' +
    '"shippingAddress":"","cards":[]}',
);

function parsed(value: unknown) {
  const result = parseCustomer(value);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.value;
}

describe('mapping: wire → canonical', () => {
  it('maps the docs example customer and round-trips it to a request body', () => {
    const customer = parsed(SEED_DOCS_CUSTOMER);
    assert.deepEqual(customer, {
      id: '24332090',
      customerCode: 'CST1049',
      contactName: 'John Doe',
      businessName: 'Helcim',
      cellPhone: '1234567899',
      billingAddress: SEED_DOCS_CUSTOMER.billingAddress,
      shippingAddress: SEED_DOCS_CUSTOMER.shippingAddress,
      createdAt: '2024-09-18T15:26:25',
      updatedAt: '2024-09-18T15:26:26',
    });
    const { id: _id, createdAt: _c, updatedAt: _u, ...data } = customer;
    assert.deepEqual(toRequestBody(data), {
      customerCode: 'CST1049',
      contactName: 'John Doe',
      businessName: 'Helcim',
      cellPhone: '1234567899',
      billingAddress: SEED_DOCS_CUSTOMER.billingAddress,
      shippingAddress: SEED_DOCS_CUSTOMER.shippingAddress,
    });
  });

  it('maps the recorded response: "" → absent, zero date → absent, id → text', () => {
    const customer = parsed(RECORDED_CUSTOMER);
    assert.deepEqual(customer, {
      id: '28668966',
      customerCode: 'CST1312',
      contactName: 'John Doe',
      billingAddress: {
        name: 'John Doe',
        street1: '123 Main St',
        street2: 'Suite 101',
        city: 'New York',
        province: 'NY',
        country: 'USA',
        postalCode: '10001',
      },
      createdAt: '2025-04-10T14:33:08',
    });
    assert.equal('businessName' in customer, false);
    assert.equal('cellPhone' in customer, false);
    assert.equal('shippingAddress' in customer, false);
    assert.equal('updatedAt' in customer, false);
    const { id: _id, createdAt: _c, ...data } = customer;
    assert.deepEqual(toRequestBody(data), {
      customerCode: 'CST1312',
      contactName: 'John Doe',
      billingAddress: customer.billingAddress,
    });
    assert.equal(JSON.stringify(toRequestBody(data)).includes('cellphone'), false);
  });

  it('treats null, {} and all-empty addresses as no address', () => {
    for (const empty of [null, {}, [], { name: '', street1: '', postalCode: '' }]) {
      const customer = parsed({ id: 1, customerCode: 'A', billingAddress: empty });
      assert.equal('billingAddress' in customer, false);
    }
  });

  it('rejects shapes that are not customers', () => {
    for (const bad of [
      null,
      [],
      'x',
      { customerCode: 'A' },
      { id: 1 },
      { id: 1, customerCode: 'A', contactName: {} },
      { id: 1, customerCode: 'A', billingAddress: 'somewhere' },
      { id: 1, customerCode: 'A', billingAddress: { city: true } },
    ]) {
      assert.equal(parseCustomer(bad).ok, false, JSON.stringify(bad));
    }
    assert.equal(parseCustomerList({ id: 1 }).ok, false);
    const list = parseCustomerList([{ id: 1, customerCode: 'A' }, { id: 2 }]);
    assert.ok(!list.ok && list.reason.startsWith('item 1'));
    assert.deepEqual(parseCustomerList([]), { ok: true, value: [] });
  });

  it('maps dates', () => {
    assert.equal(mapDate('2025-04-10 14:33:08'), '2025-04-10T14:33:08');
    assert.equal(mapDate('0000-00-00 00:00:00'), undefined);
    assert.equal(mapDate(''), undefined);
    assert.equal(mapDate('yesterday'), undefined);
    assert.equal(mapDate(null), undefined);
  });

  it('reads cards only when asked', () => {
    const customer = parsed(
      wireWithCards([
        { id: 9, cardHolderName: 'J', cardF6L4: '4111111111', cardExpiry: '0127', default: true },
      ]),
    );
    assert.equal('cards' in customer, false);
    const cards = parseCards([
      { id: 9, cardHolderName: 'J', cardF6L4: '4111111111', default: true },
    ]);
    assert.deepEqual(cards, {
      ok: true,
      value: [{ id: '9', cardHolderName: 'J', cardF6L4: '4111111111', isDefault: true }],
    });
    assert.equal(parseCards('nope').ok, false);
  });
});

function wireWithCards(cards: unknown[]): Record<string, unknown> {
  return { id: 1, customerCode: 'A', contactName: 'A', cards };
}

describe('mapping: canonical → request body', () => {
  it('sends cellPhone, whole addresses, and nothing that is absent', () => {
    assert.deepEqual(toRequestBody({}), {});
    assert.deepEqual(
      toRequestBody({
        businessName: 'B',
        cellPhone: '4035550100',
        shippingAddress: { name: 'N', street1: 'S', postalCode: 'P' },
      }),
      {
        businessName: 'B',
        cellPhone: '4035550100',
        shippingAddress: { name: 'N', street1: 'S', postalCode: 'P' },
      },
    );
  });
});

describe('mapping: errors', () => {
  it('normalises a string', () => {
    assert.deepEqual(normalizeErrors('Invalid customerId'), [{ message: 'Invalid customerId' }]);
  });
  it('normalises an array of strings', () => {
    assert.deepEqual(normalizeErrors(['a', 'b']), [{ message: 'a' }, { message: 'b' }]);
  });
  it('normalises an object keyed by field, values string or string[]', () => {
    assert.deepEqual(
      normalizeErrors({
        cellPhone: 'too short',
        billingAddress: ['name required', 'street1 required'],
      }),
      [
        { field: 'cellPhone', message: 'too short' },
        { field: 'billingAddress', message: 'name required' },
        { field: 'billingAddress', message: 'street1 required' },
      ],
    );
  });
  it('copes with odd values', () => {
    assert.deepEqual(normalizeErrors(undefined), []);
    assert.deepEqual(normalizeErrors(''), []);
    assert.deepEqual(normalizeErrors(42), [{ message: '42' }]);
    assert.deepEqual(normalizeErrors({ x: { y: 1 } }), [{ field: 'x', message: '{"y":1}' }]);
  });
  it('recognises a duplicate code answer', () => {
    assert.equal(
      isDuplicateCode([{ message: 'A customer with customerCode "C-1" already exists' }], 'C-1'),
      true,
    );
    assert.equal(isDuplicateCode([{ field: 'customerCode', message: 'is taken' }], 'C-1'), true);
    assert.equal(
      isDuplicateCode([{ message: 'Contact name or business name should be filled' }], 'C-1'),
      false,
    );
  });
});
