/** Payment Kit's customer fields, named as its API names them. */
import type { FieldList } from '../../core/fields.js';

export const PAYMENT_KIT_ADDRESS_KEYS = [
  'country',
  'state',
  'city',
  'line1',
  'line2',
  'postal_code',
] as const;

export const paymentKitFields: FieldList = {
  identity: 'did',
  exactKeys: ['did', 'id'],
  identityLabel: 'DID',
  matchKeyExample: 'email',
  pathExample: 'address.line1',
  searchPaths: ['did', 'name', 'email', 'phone', 'description'],
  fields: [
    { name: 'did', kind: 'text' },
    // Payment Kit's own id (`cus_...`): a match key, never sent.
    { name: 'id', kind: 'text' },
    { name: 'name', kind: 'text' },
    { name: 'email', kind: 'text' },
    { name: 'phone', kind: 'text' },
    { name: 'description', kind: 'text' },
    { name: 'address', kind: 'group', keys: PAYMENT_KIT_ADDRESS_KEYS },
    { name: 'metadata', kind: 'map' },
  ],
};
