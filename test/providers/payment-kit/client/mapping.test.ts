/** Reading wire customers: straight to the canonical customer, its mode checked beside it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCustomer, parsePage } from '../../../../src/providers/payment-kit/client/mapping.js';

const wire = {
  id: 'cus_1',
  did: 'z1abc',
  livemode: false,
  name: 'Ada',
  email: '',
  phone: null,
  description: 42,
  balance: '0',
  delinquent: false,
  address: { country: 'GB', state: '', city: null, line1: '1 Road', postal_code: 'N1' },
  metadata: { crm: 'A-1', n: 7, gone: null, nested: { a: 1 } },
  created_at: '2024-01-01T00:00:00.000Z',
  updated_at: '',
};

describe('Payment Kit mapping', () => {
  it('reads a wire customer into the canonical one in one pass, unset fields absent', () => {
    const read = parseCustomer(wire);
    assert.ok(read.ok);
    assert.equal(read.value.livemode, false);
    const { customer } = read.value;
    assert.deepEqual(customer, {
      id: 'cus_1',
      did: 'z1abc',
      name: 'Ada',
      description: '42',
      address: { country: 'GB', line1: '1 Road', postal_code: 'N1' },
      metadata: { crm: 'A-1', n: '7', nested: '{"a":1}' },
      createdAt: '2024-01-01T00:00:00.000Z',
    });
    // The order the port has always handed customers out in.
    assert.deepEqual(Object.keys(customer), [
      'id',
      'did',
      'name',
      'description',
      'address',
      'metadata',
      'createdAt',
    ]);
    const bare = parseCustomer({
      id: 'cus_2',
      did: 'z1',
      livemode: true,
      address: {},
      metadata: {},
    });
    assert.deepEqual(bare, {
      ok: true,
      value: { customer: { id: 'cus_2', did: 'z1' }, livemode: true },
    });
  });

  it('names what is wrong with a customer', () => {
    const reasons = [
      [null, 'customer is not an object'],
      [{ ...wire, id: '' }, 'customer has no "id"'],
      [{ ...wire, did: 7 }, 'customer cus_1 has no "did"'],
      [{ ...wire, livemode: 'false' }, 'customer cus_1 has no boolean "livemode"'],
      [{ ...wire, address: 'x' }, 'customer cus_1: "address" is not an object'],
      [{ ...wire, address: { city: {} } }, 'customer cus_1: "address.city" is not text'],
      [{ ...wire, metadata: [] }, 'customer cus_1: "metadata" is not an object'],
      [{ ...wire, email: true }, 'customer cus_1: "email" is not text'],
    ] as const;
    for (const [value, reason] of reasons)
      assert.deepEqual(parseCustomer(value), { ok: false, reason });
  });

  it('a page: customers in order; one of the other mode breaks it, after a malformed one', () => {
    const other = { ...wire, id: 'cus_live', livemode: true };
    const page = {
      count: 3,
      list: [wire, other, { ...wire, id: 'cus_3' }],
      paging: { pageSize: 100 },
    };
    const any = parsePage(page);
    assert.ok(any.ok);
    assert.deepEqual(
      any.value.list.map((c) => c.id),
      ['cus_1', 'cus_live', 'cus_3'],
    );
    assert.equal(any.value.pageSize, 100);
    assert.deepEqual(parsePage(page, false), {
      ok: false,
      reason: 'customer cus_live has livemode true',
    });
    assert.deepEqual(parsePage({ ...page, list: [wire, other, { id: 'cus_4' }] }, false), {
      ok: false,
      reason: 'list item 2: customer cus_4 has no "did"',
    });
    assert.deepEqual(parsePage({ count: -1, list: [] }), {
      ok: false,
      reason: '"count" is not a whole number',
    });
  });
});
