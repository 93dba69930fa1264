import type { CustomerData } from '../core/customer.js';
import type { EmptyCells } from '../load/config-types.js';
import type { Place, Problem, RawRecord } from '../load/types.js';

/** A customer as the desired files want it: checked, normalised, identified. */
export interface DesiredCustomer {
  /** The identity value: the provider's identity, or the config's match key (e-mails lower-cased). */
  key: string;
  /** Normalised, and only the managed fields (ignored and empty ones left out). */
  data: CustomerData;
  place: Place;
  record: RawRecord;
  /**
   * With `emptyCells: clear`, the dotted paths whose value was empty: fields to erase. Absent
   * under the default, where an empty value means "leave it as it is".
   */
  clear?: string[];
}

/** A record that failed validation, with every reason; the rejects file is made of these. */
export interface RejectedRecord {
  record: RawRecord;
  problems: Problem[];
}

export interface ValidateOptions {
  /** Whose rules: `helcim` (the default) or `payment-kit`. */
  provider?: string;
  /** Dotted path of the identity field (default: the provider's identity). */
  matchKey?: string;
  /** Field paths neither read nor changed. */
  ignore?: readonly string[];
  emptyCells?: EmptyCells;
}

export interface ValidationResult {
  customers: DesiredCustomer[];
  /** Every problem, record-level and aggregated notes, in input order. */
  problems: Problem[];
  rejected: RejectedRecord[];
}
