/**
 * The canonical customer: the one shape the whole pipeline (load, plan, apply, render) speaks,
 * whatever the provider. It is data, not a type per system: top-level fields hold text, or a
 * group of texts (an address, a metadata map). Which fields exist, which group has which keys and
 * which field is the identity is each provider's field list (`FieldList`), in its own folder.
 *
 * Provider quirks (Helcim's lowercase `cellphone`, `""` for unset values, numeric ids, zeroed
 * dates) are mapped to and from this shape at the provider boundary and nowhere else. An absent
 * field means "unset" (never `""`).
 */

/** A field's value: text, or a group of them (an address, metadata). */
export type FieldValue = string | FieldGroup;
/** A group of fields by name; groups never nest in a provider's field list, but may in `raw`. */
export type FieldGroup = { [key: string]: FieldValue | undefined };

/** The managed data of a customer, as desired or as stored. */
export type CustomerData = FieldGroup;

/** A customer as it exists in the remote system. */
export interface RemoteCustomer extends CustomerData {
  /** The provider's id, always as text (Helcim's ids are numbers, Payment Kit's are `cus_...`). */
  id: string;
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

/** The field's value when it is text. */
export function textOf(value: FieldValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The field's value when it is a group. */
export function groupOf(value: FieldValue | undefined): FieldGroup | undefined {
  return typeof value === 'object' ? value : undefined;
}
