/**
 * Helcim's customer fields, named as Helcim's request body names them: what people already write
 * in their files. The client maps them to and from the wire (`cellphone` on the way out, `""`
 * for unset values).
 */
import type { FieldList } from '../../core/fields.js';

export const ADDRESS_FIELDS = [
  'name',
  'street1',
  'street2',
  'city',
  'province',
  'country',
  'postalCode',
  'phone',
  'email',
] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];
export type Address = { [K in AddressField]?: string };

export const ADDRESS_KINDS = ['billingAddress', 'shippingAddress'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

export const SCALAR_FIELDS = ['customerCode', 'contactName', 'businessName', 'cellPhone'] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];

export const CUSTOMER_FIELDS = [...SCALAR_FIELDS, ...ADDRESS_KINDS] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** A Helcim customer in the canonical shape, typed: what Helcim's own code reads and writes. */
export type HelcimCustomer = {
  customerCode?: string;
  contactName?: string;
  businessName?: string;
  cellPhone?: string;
  billingAddress?: Address;
  shippingAddress?: Address;
};

export const helcimFields: FieldList = {
  identity: 'customerCode',
  exactKeys: ['customerCode'],
  identityLabel: 'code',
  matchKeyExample: 'billingAddress.email',
  pathExample: 'billingAddress.street1',
  // The fields Helcim documents its `search` parameter to look at, in both addresses.
  searchPaths: [
    'contactName',
    'businessName',
    'customerCode',
    'cellPhone',
    ...ADDRESS_KINDS.flatMap((kind) => [`${kind}.city`, `${kind}.phone`, `${kind}.email`]),
  ],
  fields: [
    ...SCALAR_FIELDS.map((name) => ({ name, kind: 'text' as const })),
    ...ADDRESS_KINDS.map((name) => ({ name, kind: 'group' as const, keys: ADDRESS_FIELDS })),
  ],
};

export function isAddressField(name: string): name is AddressField {
  return (ADDRESS_FIELDS as readonly string[]).includes(name);
}

export function isCustomerField(name: string): name is CustomerField {
  return (CUSTOMER_FIELDS as readonly string[]).includes(name);
}

export function isAddressKind(name: string): name is AddressKind {
  return (ADDRESS_KINDS as readonly string[]).includes(name);
}
