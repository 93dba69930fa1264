/**
 * The canonical customer: the one shape the whole pipeline (load, plan, apply, render) speaks.
 * Provider quirks (Helcim's lowercase `cellphone`, `""` for unset values, numeric ids, zeroed
 * dates) are mapped to and from this shape at the provider boundary and nowhere else.
 *
 * Field names follow the Helcim request body because that is what people already write in their
 * files; an absent field means "unset" (never `""`).
 */

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

/** The managed data of a customer, as desired or as stored. */
export interface CustomerData {
  customerCode?: string;
  contactName?: string;
  businessName?: string;
  cellPhone?: string;
  billingAddress?: Address;
  shippingAddress?: Address;
}

/** A customer as it exists in the remote system. */
export interface RemoteCustomer extends CustomerData {
  /** The provider's id, always as text (Helcim's ids are numbers, other providers use `cus_...`). */
  id: string;
  customerCode: string;
  /** ISO 8601 local date-time as the provider gives it (`2025-04-10T14:33:08`), if known. */
  createdAt?: string;
  /** Absent when the provider says the record was never updated. */
  updatedAt?: string;
  /**
   * The record exactly as the provider returned it, when normalising it changed something: an
   * update re-sends the fields it does not manage from here, as they were, never normalised.
   */
  raw?: CustomerData;
}

export function isAddressField(name: string): name is AddressField {
  return (ADDRESS_FIELDS as readonly string[]).includes(name);
}

export function isCustomerField(name: string): name is CustomerField {
  return (CUSTOMER_FIELDS as readonly string[]).includes(name);
}

export function isAddressKind(name: string): name is AddressKind {
  return (ADDRESS_KINDS as readonly string[]).includes(name);
}
