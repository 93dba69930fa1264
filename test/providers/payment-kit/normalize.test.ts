/** Payment Kit's normalisation: what it changes, and the groups it leaves as they were. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RemoteCustomer } from '../../../src/core/customer.js';
import { remoteNormalizer } from '../../../src/pipeline.js';
import { paymentKitInfo } from '../../../src/providers/payment-kit/info.js';
import { normalizePaymentKitCustomer } from '../../../src/providers/payment-kit/normalize.js';

const listed: RemoteCustomer = {
  id: 'cus_1',
  did: 'z1abc',
  name: 'José Turing',
  email: 'jose@example.com',
  phone: '+61250490310',
  address: { country: 'AU', state: 'NSW', city: 'Sydney', line1: '849 Hauptstraße' },
  metadata: { source: 'checkout', crm_id: 'A-1' },
  createdAt: '2024-03-10T10:39:00.000Z',
};

test('a customer already normal keeps its groups: they are not copied', () => {
  const data = normalizePaymentKitCustomer(listed);
  assert.equal(data['address'], listed['address']);
  assert.equal(data['metadata'], listed['metadata']);
  assert.equal('createdAt' in data, false);
  // Whatever the listing keeps of it, the groups are the listed ones, not copies.
  const kept = remoteNormalizer(paymentKitInfo)(listed);
  assert.equal(kept['address'], listed['address']);
  assert.equal(kept['metadata'], listed['metadata']);
});

test('a listed customer already normal is kept as it is: no copy, no raw original beside it', () => {
  const kept = remoteNormalizer(paymentKitInfo)(listed);
  assert.equal(kept, listed);
  assert.equal('raw' in kept, false);
});

test('a group that needs anything is copied, normalised, in the field list order', () => {
  const cases: [unknown, unknown][] = [
    [
      { country: 'Australia', city: 'Sydney' },
      { country: 'AU', city: 'Sydney' },
    ],
    [
      { city: 'Sydney', country: 'AU' },
      { country: 'AU', city: 'Sydney' },
    ],
    [{ country: 'AU', city: '' }, { country: 'AU' }],
    [{ country: 'AU', city: null }, { country: 'AU' }],
    [{ country: 'AU', planet: 'Earth' }, { country: 'AU' }],
    [
      { country: 'AU', postal_code: 2000 },
      { country: 'AU', postal_code: '2000' },
    ],
    [
      { country: ' AU ', line1: '1  Road' },
      { country: 'AU', line1: '1 Road' },
    ],
    [{ city: '' }, undefined],
    [{}, undefined],
  ];
  for (const [address, expected] of cases) {
    const out = normalizePaymentKitCustomer({ did: 'z1', address })['address'];
    assert.deepEqual(out, expected, JSON.stringify(address));
    if (out !== undefined) {
      assert.notEqual(out, address);
      assert.deepEqual(Object.keys(out), Object.keys(expected ?? {}));
    }
  }
  const metadata = { a: 'x', n: 7, gone: null, blank: '', spaced: ' y ' };
  assert.deepEqual(normalizePaymentKitCustomer({ metadata })['metadata'], {
    a: 'x',
    n: '7',
    spaced: 'y',
  });
  assert.equal(normalizePaymentKitCustomer({ metadata: {} })['metadata'], undefined);
  const odd = Object.assign(Object.create(null) as object, { a: 'x' });
  const copied = normalizePaymentKitCustomer({ metadata: odd })['metadata'];
  assert.deepEqual(copied, { a: 'x' });
  assert.notEqual(copied, odd);
});

test('a customer normalising changes is copied, its original kept as raw', () => {
  const spaced = { ...listed, name: ' José  Turing ', email: 'Jose@EXAMPLE.com' };
  const out = remoteNormalizer(paymentKitInfo)(spaced);
  assert.notEqual(out, spaced);
  assert.equal(out['name'], 'José Turing');
  assert.equal(out['email'], 'Jose@example.com');
  assert.equal(out.raw, spaced);
  assert.equal(out['address'], listed['address']);
});
