/**
 * The Payment Kit emulator's wire shapes (what /work/shared/payment-kit-api.md says the service
 * sends) and its public options. Like the Helcim emulator's, these are the provider's dialect,
 * not the canonical customer type, so that a client's mapping is tested against them.
 */
import type { Clock } from '../../../core/clock.js';
import type { FaultKind, FaultSpec, RateLimitConfig } from '../../../emulator/types.js';

/** Payment Kit's component DID, as an app's `__blocklet__.js` lists it. */
export const PAYMENT_KIT_DID = 'z2qaCNvKMv5GjouKdcDWexv6WqtHbpNPQDnAk';
export const DEFAULT_MOUNT_POINT = '/payment';
/** The documented development access key: fine on localhost, never a secret. */
export const DEFAULT_PAYMENT_KIT_TOKEN = 'blocklet-emulator-dev-key';

/**
 * Helcim's kinds minus `522`, which is Cloudflare's page in front of api.helcim.com: a Blocklet
 * Server app has no such proxy page in the contract.
 */
export const PAYMENT_KIT_FAULT_KINDS = [
  '500',
  '429',
  'reset',
  'hang',
  'lost-response',
  'reject',
] as const satisfies readonly FaultKind[];

/** Every key is always present; `""` when unset. ISO 3166-1 alpha-2 `country`. */
export interface PkAddress {
  country: string;
  state: string;
  city: string;
  line1: string;
  line2: string;
  postal_code: string;
}

export interface PkShipping {
  name: string;
  phone: string;
  address: PkAddress;
}

/**
 * Key order follows the contract's example. Unset text fields come as `null` or `""` (the
 * contract leaves which unverified, so the seed uses both and clients must treat both as unset).
 */
export interface PkCustomer {
  id: string;
  livemode: boolean;
  did: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  address: PkAddress;
  shipping: PkShipping | null;
  /** A decimal string; negative is a credit. */
  balance: string;
  delinquent: boolean;
  metadata: Record<string, string>;
  invoice_prefix: string;
  /** ISO 8601 with milliseconds, UTC. */
  created_at: string;
  updated_at: string;
}

export interface PaymentKitEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The one accepted `Authorization: Bearer` access key; default DEFAULT_PAYMENT_KIT_TOKEN. */
  token?: string;
  /** Load from here on start, save here (atomically, mode 0600) after writes and on close. */
  statePath?: string;
  /** This many generated customers in EACH mode (live and test) when the state is empty. */
  seed?: number;
  /** Default `'off'`: Payment Kit documents no limit. */
  rateLimit?: RateLimitConfig | 'off';
  /** Every minute (rate windows, churn) runs this many times faster. */
  timeScale?: number;
  /** Added to every API request before it is answered. */
  latencyMs?: number;
  /** Kinds of PAYMENT_KIT_FAULT_KINDS only. */
  faults?: string | FaultSpec;
  faultSeed?: number;
  /**
   * Refuses every PUT whose body has a text field holding this text, with the 400 of the
   * `reject` fault: a deterministic way to make chosen records fail (put the text in a name).
   * Unset (or empty): nothing is refused.
   */
  rejectValue?: string;
  /** Where the app mounts Payment Kit; default `/payment`. `/` mounts it at the root. */
  mountPoint?: string;
  /** New customers a minute, in each mode, created by "checkout" while the server runs. */
  churn?: number;
  /** Drives rate windows, latency, churn and the save debounce. */
  clock?: Clock;
  /** Wall time: `created_at`, `updated_at`, and the expiry of component signatures. */
  now?: () => Date;
  /** Where the library reports problems it cannot answer with (a failed state save). */
  log?: (message: string) => void;
}

export const PAYMENT_KIT_STATS_VERSION = 1;

export interface PaymentKitEmulatorStats {
  version: typeof PAYMENT_KIT_STATS_VERSION;
  /** `"<METHOD> <route template>"` to status (or fault kind when none was sent) to count. */
  requests: Record<string, Record<string, number>>;
  totalRequests: number;
  peakInFlight: number;
  /** Live and test together. */
  customers: number;
  liveCustomers: number;
  testCustomers: number;
  /** Customers added by churn or `checkout()` since the start or the last reset. */
  checkouts: number;
  faults: Partial<Record<FaultKind, number>>;
  rateLimited: number;
}

/** What a checkout collected from the buyer; fields left out are generated. */
export interface CheckoutDetails {
  /** The buyer's DID; must belong to no customer yet. */
  did?: string;
  name?: string;
  email?: string | null;
  phone?: string | null;
  description?: string | null;
  /** Keys left out are `""`. */
  address?: Partial<PkAddress>;
  metadata?: Record<string, string>;
}

export interface CheckoutOptions {
  /** Default true, as the SDK's default mode. */
  livemode?: boolean;
  /**
   * The customer this checkout creates, for a demo or a test that needs a known DID or name
   * (one customer: a DID belongs to one).
   */
  customer?: CheckoutDetails;
}

export interface PaymentKitEmulatorHandle {
  /** Base URL including the mount point, e.g. `http://127.0.0.1:40123/payment`. */
  url: string;
  /** `http://HOST:PORT`: where `/__blocklet__.js` and `/__emulator/*` are. */
  origin: string;
  /** The normalised mount point, e.g. `/payment` (`/` when mounted at the root). */
  mountPoint: string;
  token: string;
  stats(): PaymentKitEmulatorStats;
  /** Empties customers, statistics and rate windows; restarts the id and fault sequences. */
  reset(): void;
  /** Adds `count` customers at once, newest first, as checkouts would; returns them. */
  checkout(count: number, options?: CheckoutOptions): PkCustomer[];
  /** Stops churn, ends every connection (hanging ones too), saves state, stops listening. */
  close(): Promise<void>;
}
