/**
 * The Payment Kit customers client, over undici with a bounded number of requests in flight and
 * safe retries (GET and PUT only: the API has no create and no delete).
 *
 * It does not implement the CustomerRemote port (src/remote/port.ts) yet, on purpose: the port's
 * canonical customer is still Helcim-shaped (customerCode, billing/shipping addresses), and
 * Payment Kit has neither codes nor creates. A later change adapts this client to the port; until
 * then it speaks its own `PaymentKitCustomer`, and it is not registered in src/providers/index.ts.
 */
import { Pool, type Dispatcher } from 'undici';
import { systemClock } from '../../../core/clock.js';
import type { Parsed } from '../../helcim/client/mapping.js';
import { HttpCaller, type Call } from '../../../remote/http/caller.js';
import { exponentialRetryPolicy } from '../../../remote/http/retry.js';
import type { CallOptions } from '../../../remote/port.js';
import { PAYMENT_KIT_LIMITS, paymentKitCost } from '../info.js';
import {
  checkAccessKey,
  checkCount,
  checkLivemode,
  checkMs,
  resolvePaymentKitUrl,
} from './config.js';
import { PAYMENT_KIT_DIALECT } from './errors.js';
import { Limiter } from './limiter.js';
import { coveredListing } from './listing.js';
import {
  parseCustomer,
  parsePage,
  toUpdateBody,
  type PaymentKitCustomer,
  type PaymentKitPage,
  type PaymentKitPatch,
} from './mapping.js';
import {
  DEFAULT_TIMEOUT_MS,
  optionsFromEnv,
  PAGE_SIZE,
  paging,
  required,
  type PaymentKitClientOptions,
  type PaymentKitEnv,
  type PaymentKitListOptions,
} from './options.js';

export type { PaymentKitClientOptions, PaymentKitListOptions } from './options.js';

export class PaymentKitClient {
  readonly provider = 'payment-kit';
  readonly cost = paymentKitCost;
  readonly livemode: boolean;
  // A private field keeps the key (inside the caller) out of util.inspect and JSON.stringify.
  readonly #caller: HttpCaller;
  readonly #limiter: Limiter;
  readonly #ownedDispatcher: Dispatcher | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: PaymentKitClientOptions) {
    const key = checkAccessKey(options.accessKey);
    const { origin, basePath } = resolvePaymentKitUrl(options.baseUrl);
    this.livemode = checkLivemode(options.livemode);
    const concurrency = checkCount(
      'concurrency',
      options.concurrency,
      PAYMENT_KIT_LIMITS.concurrent,
    );
    const timeoutMs = checkMs('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    const clock = options.clock ?? systemClock;
    const onEvent = options.onEvent;
    let dispatcher = options.dispatcher;
    if (dispatcher === undefined) {
      dispatcher = new Pool(origin, { connections: concurrency, keepAliveTimeout: 4_000 });
      this.#ownedDispatcher = dispatcher;
    }
    this.#limiter = new Limiter(concurrency);
    this.#caller = new HttpCaller({
      http: { dispatcher, origin, token: key, auth: 'bearer', clock, timeoutMs },
      basePath,
      gate: this.#limiter,
      clock,
      retry:
        typeof options.retry === 'function'
          ? options.retry
          : exponentialRetryPolicy({ random: options.random, ...options.retry }),
      emit: (event) => {
        // A failing progress hook must not break a request half-way.
        try {
          onEvent?.(event);
        } catch {
          /* ignored on purpose */
        }
      },
      dialect: PAYMENT_KIT_DIALECT,
    });
  }

  /** The most requests this client ever had in flight at once. */
  get peakInFlight(): number {
    return this.#limiter.peak;
  }

  /** Every customer of the mode, each once (see listing.ts for pages that shift meanwhile). */
  async list(options: PaymentKitListOptions = {}): Promise<PaymentKitCustomer[]> {
    const all: PaymentKitCustomer[] = [];
    for await (const page of this.listPages(options)) for (const c of page) all.push(c);
    return all;
  }

  /** The same listing as it arrives: after page 1, the other pages are read several at once. */
  async *listPages(
    options: PaymentKitListOptions = {},
  ): AsyncGenerator<PaymentKitCustomer[], void, undefined> {
    let fetched = 0;
    for await (const page of this.#listing((p) => `/api/customers?${paging(p)}`, options)) {
      fetched += page.length;
      options.onProgress?.(fetched);
      yield page;
    }
  }

  /** By id (`cus_…`) or DID, in one call; unknown: `ERR_REMOTE_NOT_FOUND`. */
  async get(idOrDid: string, options: CallOptions = {}): Promise<PaymentKitCustomer> {
    const path = `/api/customers/${encodeURIComponent(required('id or DID', idOrDid))}`;
    return this.#customer({ method: 'GET', path: this.#withMode(path) }, options);
  }

  /**
   * The customers whose email is `email`, compared trimmed and case-insensitively: the search
   * matches substrings of several fields, so its answer is filtered here, every page of it.
   */
  async findByEmail(email: string, options: CallOptions = {}): Promise<PaymentKitCustomer[]> {
    const given = required('email', email);
    const wanted = given.toLowerCase();
    // Sent as given: a server whose search is case-sensitive (unverified) still finds that case.
    const query = `query=${encodeURIComponent(given)}`;
    const found: PaymentKitCustomer[] = [];
    for await (const page of this.#listing(
      (p) => `/api/customers/search?${query}&${paging(p)}`,
      options,
    )) {
      for (const c of page) if (c.email?.trim().toLowerCase() === wanted) found.push(c);
    }
    return found;
  }

  /** The customers with exactly this DID: zero or one (DIDs are unique), in one call. */
  async findByDid(did: string, options: CallOptions = {}): Promise<PaymentKitCustomer[]> {
    const wanted = required('DID', did);
    const call: Call = {
      method: 'GET',
      path: this.#withMode(`/api/customers?did=${encodeURIComponent(wanted)}&${paging(1)}`),
    };
    const page = this.#expect(
      parsePage(await this.#caller.call(call, options.signal, options.stopWaiting)),
      call,
    );
    this.#checkModes(page.list, call);
    // Documented as an exact filter; anything else that came back must not leak in.
    return page.list.filter((c) => c.did === wanted);
  }

  /**
   * PUT of the updatable fields given (`address` and `metadata` whole: see PaymentKitPatch).
   * Idempotent, so retried like a GET. Answers the customer as stored.
   */
  async update(
    id: string,
    patch: PaymentKitPatch,
    options: CallOptions = {},
  ): Promise<PaymentKitCustomer> {
    const path = this.#withMode(`/api/customers/${encodeURIComponent(required('id', id))}`);
    return this.#customer({ method: 'PUT', path, body: toUpdateBody(patch) }, options);
  }

  /** Closes the connections the client opened itself; an injected dispatcher is the caller's. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#ownedDispatcher?.close();
    })();
    return this.#closing;
  }

  #listing(
    pathOf: (page: number) => string,
    options: PaymentKitListOptions,
  ): AsyncGenerator<PaymentKitCustomer[], void, undefined> {
    return coveredListing({
      pageSize: PAGE_SIZE,
      ahead: options.pageByPage === true ? 0 : this.#limiter.concurrency,
      signal: options.signal,
      fetchPage: async (page, signal): Promise<PaymentKitPage> => {
        const call: Call = { method: 'GET', path: this.#withMode(pathOf(page)) };
        const answer = this.#expect(
          parsePage(await this.#caller.call(call, signal, options.stopWaiting)),
          call,
        );
        this.#checkModes(answer.list, call);
        return answer;
      },
      broken: (page, reason) =>
        this.#caller.errors.malformed(
          { method: 'GET', path: this.#withMode(pathOf(page)) },
          200,
          reason,
        ),
    });
  }

  async #customer(call: Call, options: CallOptions): Promise<PaymentKitCustomer> {
    const json = await this.#caller.call(call, options.signal, options.stopWaiting);
    const customer = this.#expect(parseCustomer(json), call);
    this.#checkModes([customer], call);
    return customer;
  }

  /** Every path carries the mode: the server's default (live) must never be relied on. */
  #withMode(path: string): string {
    return `${path}${path.includes('?') ? '&' : '?'}livemode=${this.livemode}`;
  }

  /** A customer of the other mode would be written back into the wrong set later. */
  #checkModes(customers: readonly PaymentKitCustomer[], call: Call): void {
    const stray = customers.find((c) => c.livemode !== this.livemode);
    if (stray !== undefined) {
      throw this.#caller.errors.malformed(
        call,
        200,
        `customer ${stray.id} has livemode ${stray.livemode}`,
      );
    }
  }

  #expect<T>(parsed: Parsed<T>, call: Call): T {
    if (parsed.ok) return parsed.value;
    throw this.#caller.errors.malformed(call, 200, parsed.reason);
  }
}

/** The client as a CLI builds it: URL and key from the environment only, the mode chosen. */
export function paymentKitClientFromEnv(
  env: PaymentKitEnv,
  options: Omit<PaymentKitClientOptions, 'accessKey' | 'baseUrl'>,
): PaymentKitClient {
  return new PaymentKitClient(optionsFromEnv(env, options));
}
