import { helcimInfo } from '../../src/providers/helcim/info.js';
import { getField } from '../../src/core/fields.js';
import { groupOf } from '../../src/core/customer.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RemoteCustomer } from '../../src/core/customer.js';
import { remoteNormalizer } from '../../src/pipeline.js';
import { planChanges } from '../../src/plan/plan.js';
import type { DesiredInput, UpdateAction } from '../../src/plan/types.js';

/** A customer as Helcim returned it: text a normaliser would rewrite, in fields nobody manages. */
const stored: RemoteCustomer = {
  id: '101',
  customerCode: 'C1',
  contactName: '  Ada   Lovelace ',
  billingAddress: {
    name: 'Ada Lovelace',
    street1: '1 Main St',
    postalCode: 'T2P 1J9',
    city: 'Calgary',
    province: 'AB',
    country: 'CAN',
    email: 'Ada@EXAMPLE.com',
  },
};

function updateOf(desired: DesiredInput, ignore: string[]): UpdateAction {
  const plan = planChanges([desired], [remoteNormalizer(helcimInfo)(structuredClone(stored))], {
    provider: 'helcim',
    ignore,
    fetch: { strategy: 'list', calls: 1, fetched: 1 },
  });
  const action = plan.actions[0];
  assert.equal(action?.type, 'update');
  return action;
}

test('an address update re-sends an ignored field exactly as Helcim returned it', () => {
  const update = updateOf(
    {
      key: 'C1',
      source: 'c.yaml:2',
      data: {
        customerCode: 'C1',
        billingAddress: {
          name: 'Ada Lovelace',
          street1: '1 Main St',
          postalCode: 'T2P 1J9',
          city: 'Edmonton',
          province: 'AB',
          country: 'CAN',
          email: 'someone-else@example.com',
        },
      },
    },
    ['billingAddress.email', 'contactName'],
  );
  assert.deepEqual(update.changes, [
    { field: 'billingAddress.city', old: 'Calgary', new: 'Edmonton' },
  ]);
  assert.equal(getField(update.payload, 'billingAddress.email'), 'Ada@EXAMPLE.com');
  // Helcim needs a name on every update: the ignored one goes back as stored, spaces and all.
  assert.equal(update.payload.contactName, '  Ada   Lovelace ');
});

test('an address update re-sends the sub-fields the file does not set exactly as stored', () => {
  const update = updateOf(
    {
      key: 'C1',
      source: 'c.yaml:2',
      data: { customerCode: 'C1', billingAddress: { city: 'Edmonton' } },
    },
    [],
  );
  assert.deepEqual(update.payload['billingAddress'], {
    ...groupOf(stored['billingAddress']),
    city: 'Edmonton',
  });
});
