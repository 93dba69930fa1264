/**
 * The Helcim emulator's wire shapes (what Helcim really sends, quirks included) and its public
 * options. These are deliberately not the canonical types of src/core/customer.ts: the emulator
 * speaks the provider's dialect so that the client's mapping is tested against it.
 */

import type { Clock } from '../../../core/clock.js';
import type { EmulatorStats, FaultSpec, RateLimitConfig } from '../../../emulator/types.js';

/** The documented development token: fine on localhost, never a secret. */
export const DEFAULT_EMULATOR_TOKEN = 'helcim-sync-dev-token';

export interface WireAddress {
  name: string;
  street1: string;
  street2: string;
  city: string;
  province: string;
  country: string;
  postalCode: string;
  phone: string;
  email: string;
}

/**
 * The emulator's own list of address keys, as Helcim's wire has them: never the tool's field list,
 * so that no change in the tool can change what the emulator accepts or answers.
 */
export const WIRE_ADDRESS_KEYS = [
  'name',
  'street1',
  'street2',
  'city',
  'province',
  'country',
  'postalCode',
  'phone',
  'email',
] as const satisfies readonly (keyof WireAddress)[];

/** The text fields a create or update body may carry (`cellPhone` as requests spell it). */
export const REQUEST_TEXT_FIELDS = [
  'customerCode',
  'contactName',
  'businessName',
  'cellPhone',
] as const;

export interface WireCard {
  id: number;
  cardHolderName: string;
  /** First six and last four digits of the card number, concatenated. */
  cardF6L4: string;
  cardToken: string;
  /** `MMYY`. */
  cardExpiry: string;
  dateCreated: string;
  dateUpdated: string;
  default: boolean;
}

/** Key order follows the recorded responses, so serialised objects read like the real ones. */
export interface WireCustomer {
  id: number;
  customerCode: string;
  businessName: string;
  contactName: string;
  dateCreated: string;
  dateUpdated: string;
  /** Lowercase on the way out; requests say `cellPhone`. */
  cellphone: string;
  /** `""` when unset, never null or `{}`. */
  billingAddress: WireAddress | '';
  shippingAddress: WireAddress | '';
  cards: WireCard[];
}

/**
 * What a create (or a code change) gets when another customer already holds the customerCode.
 * Helcim's answer is unverified: `reject` (400) is the safe reading, `accept` stores the second
 * customer as the real service may, so clients can be tested against codes that are not unique.
 */
export const DUPLICATE_CODES_MODES = ['accept', 'reject'] as const;
export type DuplicateCodesMode = (typeof DUPLICATE_CODES_MODES)[number];

export function isDuplicateCodesMode(value: unknown): value is DuplicateCodesMode {
  return DUPLICATE_CODES_MODES.some((mode) => mode === value);
}

/**
 * What `minute-limit-remaining` / `hour-limit-remaining` report. `after-call` (the default): the
 * budget left once this request is counted. `before-call`: the budget as it stood when the request
 * arrived, as recorded from Helcim (the first call of a fresh minute said 100). Clients must treat
 * either as a hint; the two modes let them be tested against both readings.
 */
export const REMAINING_HEADERS_MODES = ['after-call', 'before-call'] as const;
export type RemainingHeadersMode = (typeof REMAINING_HEADERS_MODES)[number];

export function isRemainingHeadersMode(value: unknown): value is RemainingHeadersMode {
  return REMAINING_HEADERS_MODES.some((mode) => mode === value);
}

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The one accepted `api-token`; default DEFAULT_EMULATOR_TOKEN. */
  token?: string;
  /** Load from here on start, save here (atomically, mode 0600) after writes and on close. */
  statePath?: string;
  /** Start with this many generated customers (deterministic) when the state is empty. */
  seed?: number;
  rateLimit?: RateLimitConfig | 'off';
  /** Every rate window runs this many times faster (minute = 60000 / timeScale ms). */
  timeScale?: number;
  /** Added to every /v2 request before it is answered. */
  latencyMs?: number;
  faults?: string | FaultSpec;
  faultSeed?: number;
  /**
   * Refuses every write (POST, PUT) whose body has a text field holding this text, with the 400
   * and field error of the `reject` fault: a deterministic way to make chosen records fail (put
   * the text in a name), which probabilities cannot give. Unset (or empty): nothing is refused.
   */
  rejectValue?: string;
  /** Default `reject` (400 naming the code); `accept` lets several customers share a code. */
  duplicateCodes?: DuplicateCodesMode;
  /** Default `after-call`; `before-call` reports the budget before each request, as recorded. */
  remainingHeaders?: RemainingHeadersMode;
  /** Drives the rate windows, latency and the save debounce. */
  clock?: Clock;
  /** Wall time for `dateCreated` / `dateUpdated`. */
  now?: () => Date;
  /** Where the library reports problems it cannot answer with (a failed state save). */
  log?: (message: string) => void;
}

export interface EmulatorHandle {
  /** Base URL including `/v2`, e.g. `http://127.0.0.1:40123/v2`. */
  url: string;
  token: string;
  stats(): EmulatorStats;
  /** Empties customers, statistics and rate windows; restarts id, code and fault sequences. */
  reset(): void;
  /** Ends every connection (hanging ones too), saves state, and stops listening. */
  close(): Promise<void>;
}
