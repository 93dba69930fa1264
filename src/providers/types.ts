import type { CustomerData } from '../core/customer.js';
import type { FieldList } from '../core/fields.js';
import type { RateLimits } from '../core/rate-limits.js';
import type { OptionSpecs, ParsedArgs } from '../cli/command.js';
import type { RateLimitConfig } from '../emulator/types.js';
import type { FieldChange } from '../plan/types.js';
import type { CustomerRemote, FetchCostModel } from '../remote/port.js';
import type { RuleContext } from '../validate/context.js';

/** How the CLI (or a program) connects to a provider: from the environment, never argv. */
export interface ConnectOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** The account's limits; `off` for an emulator without any; default the provider's own. */
  limits?: RateLimits | 'off';
  /** Only against an emulator whose windows run this many times faster. */
  timeScale?: number;
  timeoutMs?: number;
  /** Payment Kit: live (true) or test (false) customers. */
  livemode?: boolean;
  /** Where request times may be remembered across processes (a folder), or `off`. */
  cacheDir?: string;
}

export interface Connection {
  remote: CustomerRemote & { close(): Promise<void> };
  /** The API base URL, shown to people and recorded in saved plans (it holds no secret). */
  target: string;
  limits: RateLimits | 'off';
}

/** The heavy half of a provider, loaded only to talk to it. */
export interface ProviderConnector {
  connect(options: ConnectOptions): Connection;
}

/** What the `emulator` command reads for every provider; the rest is each provider's own. */
export interface EmulatorSettings {
  port: number;
  host: string;
  token: string;
  statePath?: string;
  seed?: number;
  rateLimit?: RateLimitConfig | 'off';
  timeScale?: number;
  latencyMs?: number;
  /** As given: each emulator knows its own fault kinds. */
  faults?: string;
  faultSeed?: number;
  log: (message: string) => void;
}

export interface RunningEmulator {
  url: string;
  stats(): { totalRequests: number; customers: number };
  close(): Promise<void>;
}

/** A provider's emulator as the `emulator` command starts it (`--provider NAME`). */
export interface EmulatorCli {
  /** The variable that gives the accepted token or key, keeping it out of argv. */
  readonly tokenEnv: string;
  readonly devToken: string;
  /** Its rate limit when none is asked for. */
  readonly defaultRateLimit: RateLimitConfig | 'off';
  readonly faultKinds: readonly string[];
  /** Lines of `emulator --help` about it. */
  readonly help: readonly string[];
  readonly examples: readonly string[];
  /** Options only its emulator takes: shown in --help, refused with another provider. */
  readonly options: OptionSpecs;
  /** Parses its own options (usage errors for bad ones) and starts it. */
  start(settings: EmulatorSettings, args: ParsedArgs): Promise<RunningEmulator>;
}

export interface ConfigProblem {
  code: string;
  path: string;
  message: string;
  hint: string;
}

/** What an update is built from: the desired record, the stored one, and what differs. */
export interface UpdateInput {
  /** The desired record's managed fields, ignored ones left out. */
  desired: CustomerData;
  /** The stored record, as the provider returned it (its unmanaged fields are re-sent as is). */
  stored: CustomerData;
  /** Every field that changes; one without `new` is erased. */
  changes: readonly FieldChange[];
}

/**
 * What the core asks of a provider, one folder a system (`src/providers/<name>/`): its name in
 * files and messages, its fields, what its API can do, how it wants an update written, and what
 * reading it costs. Light on purpose (pure functions and data, no client, no HTTP), so that
 * planning or rendering never loads a client.
 */
export interface ProviderInfo {
  /** `helcim`: in saved plans, in JSON, in the config's `provider:`. */
  readonly name: string;
  /** `Helcim`: in messages ("only in Helcim", "changed in Helcim since the plan"). */
  readonly displayName: string;
  /** Its customer's fields, and which one is the identity. */
  readonly fields: FieldList;
  /** The environment variable that points the tool at another API base URL. */
  readonly urlEnv: string;
  /** The API base URL the environment points at, as saved plans record it. */
  target(env: Readonly<Record<string, string | undefined>>): string;
  /** Loads its client. */
  connector(): Promise<ProviderConnector>;
  /** Its emulator, for the `emulator` command. */
  readonly emulator: EmulatorCli;
  /** Loads its part of `helcim-sync demo`. */
  demo(): Promise<ProviderDemo>;
  /** Its customers file's JSON Schema in `schemas/`, without `.schema.json`. */
  readonly schema: string;
  /** False for a system whose customers are created elsewhere (at checkout, say). */
  readonly canCreate: boolean;
  /** Where its customers come from when it cannot create them: `creates customers at checkout`. */
  readonly createdElsewhere?: string;
  /** Read costs, in API calls, before any call is made. */
  readonly cost: FetchCostModel;
  /** The documented limits of one account; `Infinity` where none is documented. */
  readonly limits: Readonly<RateLimits>;
  /**
   * The canonical, comparable form of a customer from any source, desired or fetched: the same
   * for both, so that a plan never shows a difference that is not one. Pure and idempotent.
   */
  normalize(value: unknown): CustomerData;
  /**
   * `normalize` of the identity field's text alone: how a listed customer is matched before
   * (and mostly without) normalising the rest of it.
   */
  normalizeIdentity(value: string): string;
  /**
   * True when a record's value of `field`, which differs from the customer's, names the same
   * thing read with what the customer holds: no change is planned for it. For a value the
   * record alone cannot read (Payment Kit: a national phone in a record without a country,
   * read in the customer's country). `value` and `record` are the record's, `old` and
   * `customer` the customer's, all normalised.
   */
  sameInContext?(
    field: string,
    value: string,
    old: string,
    record: CustomerData,
    customer: CustomerData,
  ): boolean;
  /** Its rules for one normalised customer: problems go to `ctx.out`. */
  check(ctx: RuleContext, data: CustomerData): void;
  /** What its provider-specific settings lack in a config, if anything (Payment Kit: livemode). */
  configProblem?(config: { livemode?: boolean }): ConfigProblem | undefined;
  /** The body of the update that makes the stored record match the desired one. */
  updatePayload(input: UpdateInput): CustomerData;
  /** The record as it will be once `payload` is applied to `before`. */
  afterUpdate(before: CustomerData, payload: CustomerData): CustomerData;
  /**
   * What a create sends for a desired record: its managed fields, with an identity derived
   * from `key` when it has none. Only for a provider that can create.
   */
  createPayload?(data: CustomerData, key: string): CustomerData;
}

/** A provider's part of `helcim-sync demo`: an emulated account, and files that change it. */
export interface ProviderDemo {
  /**
   * Starts its emulator in-process with the demo's customers. `examples` is the package's
   * examples folder; `paths`, when the user gave some, replace the demo's own files.
   */
  start(examples: string, paths: readonly string[]): Promise<DemoAccount>;
}

export interface DemoAccount {
  /** The variables that point the tool at the emulator: its URL and its token or key. */
  readonly env: Readonly<Record<string, string>>;
  /** What is in the account, in one line. */
  readonly description: string;
  /** What follows `plan` and `apply`: the files, and any option they need. */
  readonly args: readonly string[];
  /** `args` as the demo prints them, relative to the package. */
  readonly shown: string;
  /**
   * Whether the demo's files name a record that cannot be created, which is the point of
   * showing it: every plan and apply then exits 1.
   */
  readonly showsConflict: boolean;
  /** After the re-plan: how the account differs from what the demo set out to do, if it does. */
  verify(): Promise<string | undefined>;
  /** One line for the end: calls made, customers in the account. */
  summary(): string;
  close(): Promise<void>;
}
