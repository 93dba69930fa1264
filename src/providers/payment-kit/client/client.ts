/**
 * The Payment Kit implementation of the remote port (src/remote/port.ts), over undici with a
 * bounded number of requests in flight and safe retries: GET and PUT only, both idempotent (the
 * API has no create and no delete, so neither has this client: the port's `create` is left out,
 * which is how the core learns that a missing customer cannot be created here).
 *
 * Every call carries `livemode`, and every answer is checked against it: live and test customers
 * are separate sets, and one of the other set must never be planned against or written back.
 * Customers leave as the canonical `RemoteCustomer` (mapping.ts); the wire's read-only fields
 * (balance, delinquent, livemode, invoice_prefix, ...) are not data and do not leave at all.
 */
import type { Dispatcher } from 'undici';
import { Pool } from '../../../remote/http/pool.js';
import { systemClock } from '../../../core/clock.js';
import type { CustomerData, RemoteCustomer } from '../../../core/customer.js';
import { RemoteError } from '../../../core/errors.js';
import type { Parsed } from '../../helcim/client/mapping.js';
import { HttpCaller, type Call } from '../../../remote/http/caller.js';
import { exponentialRetryPolicy } from '../../../remote/http/retry.js';
import type { CallOptions, CustomerRemote, ListOptions } from '../../../remote/port.js';
import { PAYMENT_KIT_LIMITS, paymentKitCost } from '../cost.js';
import {
  checkAccessKey,
  checkCount,
  checkLivemode,
  checkMs,
  PAYMENT_KIT_URL_ENV,
  resolvePaymentKitUrl,
} from './config.js';
import { isNotFound, PAYMENT_KIT_DIALECT } from './errors.js';
import { Limiter } from './limiter.js';
import { coveredListing } from './listing.js';
import { lookUpAll } from './lookups.js';
import {
  parseCustomer,
  parsePage,
  toUpdateBody,
  type PaymentKitCustomer,
  type PaymentKitPage,
} from './mapping.js';
import {
  DEFAULT_TIMEOUT_MS,
  optionsFromEnv,
  PAGE_SIZE,
  paging,
  required,
  type PaymentKitClientOptions,
  type PaymentKitEnv,
} from './options.js';

export type { PaymentKitClientOptions } from './options.js';

export class PaymentKitClient implements CustomerRemote {
  readonly provider = 'payment-kit';
  readonly cost = paymentKitCost;
  readonly livemode: boolean;
  // A private field keeps the key (inside the caller) out of util.inspect and JSON.stringify.
  readonly #caller: HttpCaller;
  readonly #limiter: Limiter;
  readonly #ownedDispatcher: Dispatcher | undefined;
  #closing: Promise<void> | undefined;
  /** The one check that a 404 from a lookup comes from Payment Kit (see #confirmMountPoint). */
  #mountPoint: Promise<void> | undefined;

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
    const windows = options.windows;
    this.#limiter = new Limiter(
      concurrency,
      windows === undefined
        ? []
        : [
            { limit: windows.perMinute, lengthMs: windows.minuteMs ?? 60_000 },
            { limit: windows.perHour, lengthMs: windows.hourMs ?? 3_600_000 },
          ],
      clock,
    );
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
  async list(options: ListOptions = {}): Promise<RemoteCustomer[]> {
    const all: RemoteCustomer[] = [];
    for await (const page of this.listPages(options)) for (const c of page) all.push(c);
    return all;
  }

  /**
   * The same listing as it arrives. While the caller works on a page, the next ones (as many as
   * requests may be in flight) are on their way; `pageByPage` asks for each only when the
   * caller wants it. A page may hold fewer than 100 customers before the last: those already
   * handed out, met again on a page that shifted, are not handed out twice.
   */
  async *listPages(options: ListOptions = {}): AsyncGenerator<RemoteCustomer[], void, undefined> {
    let fetched = 0;
    const listing = this.#listing(
      (p) => `/api/customers?${paging(p)}`,
      options,
      options.onAccountSize,
    );
    for await (const customers of listing) {
      fetched += customers.length;
      options.onProgress?.(fetched);
      yield customers;
    }
  }

  /**
   * The customer whose DID is `did`, in one call (`GET /api/customers/{did}`): `[]` when there
   * is none in this client's mode. DIDs are unique, so never more than one.
   */
  async findByIdentity(did: string, options: CallOptions = {}): Promise<RemoteCustomer[]> {
    const wanted = required('DID', did);
    let read: PaymentKitCustomer;
    try {
      read = await this.#customer(this.#byKey('GET', wanted), options);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.#confirmMountPoint(options);
      return [];
    }
    // The path also takes a `cus_` id, and a server that ignored `livemode` would answer with a
    // customer of the other set: neither is the customer with this DID in this mode. Unlike a
    // listing's, such an answer is not a broken one: it only says "none here".
    if (read.customer['did'] !== wanted || read.livemode !== this.livemode) return [];
    return [read.customer];
  }

  /** `findByIdentity` for every DID, as many at once as the concurrency allows. */
  async findByIdentities(
    dids: readonly string[],
    options: CallOptions = {},
  ): Promise<Map<string, RemoteCustomer[]>> {
    return lookUpAll(
      dids,
      (did, signal) =>
        this.findByIdentity(did, {
          signal,
          ...(options.stopWaiting === undefined ? {} : { stopWaiting: options.stopWaiting }),
        }),
      options.signal,
    );
  }

  /** By id (`cus_…`; the server takes a DID too), in one call; unknown: `ERR_REMOTE_NOT_FOUND`. */
  async get(id: string, options: CallOptions = {}): Promise<RemoteCustomer> {
    const call = this.#byKey('GET', required('id', id));
    return this.#inMode(await this.#customer(call, options), call);
  }

  /**
   * The customers whose email is `email`, compared trimmed and case-insensitively: the search
   * matches substrings of several fields, so its answer is filtered here, every page of it.
   */
  async findByEmail(email: string, options: CallOptions = {}): Promise<RemoteCustomer[]> {
    const given = required('email', email);
    const wanted = given.toLowerCase();
    // Sent as given: a server whose search is case-sensitive (unverified) still finds that case.
    const query = `query=${encodeURIComponent(given)}`;
    const found: RemoteCustomer[] = [];
    for await (const page of this.#listing(
      (p) => `/api/customers/search?${query}&${paging(p)}`,
      options,
    )) {
      for (const c of page) {
        const email = c['email'];
        if (typeof email === 'string' && email.trim().toLowerCase() === wanted) found.push(c);
      }
    }
    return found;
  }

  /**
   * PUT of the patch's updatable fields (see `toUpdateBody`: `address` and `metadata` go whole,
   * `""` clears a text field, `did` and the server's own fields are never sent). Idempotent, so
   * retried like a GET. Answers the customer as stored.
   */
  async update(
    id: string,
    patch: CustomerData,
    options: CallOptions = {},
  ): Promise<RemoteCustomer> {
    const call: Call = { ...this.#byKey('PUT', required('id', id)), body: toUpdateBody(patch) };
    return this.#inMode(await this.#customer(call, options), call);
  }

  /** Closes the connections the client opened itself; an injected dispatcher is the caller's. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#ownedDispatcher?.close();
    })();
    return this.#closing;
  }

  /** `onCount`: told the first answer's `count`, the size of what is listed. */
  #listing(
    pathOf: (page: number) => string,
    options: ListOptions,
    onCount?: (count: number) => void,
  ): AsyncGenerator<RemoteCustomer[], void, undefined> {
    let told = onCount === undefined;
    return coveredListing({
      pageSize: PAGE_SIZE,
      ahead: options.pageByPage === true ? 0 : this.#limiter.concurrency,
      signal: options.signal,
      fetchPage: async (page, signal): Promise<PaymentKitPage> => {
        const call: Call = { method: 'GET', path: this.#withMode(pathOf(page)) };
        let json: unknown;
        try {
          json = await this.#caller.call(call, signal, options.stopWaiting);
        } catch (error) {
          // The collection always exists where Payment Kit is mounted: a 404 is the wrong place.
          throw isNotFound(error) ? wrongMountPoint(error) : error;
        }
        // A customer of the other mode breaks the page (see parsePage).
        const answer = this.#expect(parsePage(json, this.livemode), call);
        if (!told) {
          told = true;
          onCount?.(answer.count);
        }
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

  /**
   * A 404 for a DID means "no such customer" only where Payment Kit answers: under a wrong mount
   * point every path is a 404, and every record would pass for one that does not exist. So the
   * first miss reads one listing page, whose answer is verified, once per client: lookups that
   * find their customer cost nothing more.
   */
  #confirmMountPoint(options: CallOptions): Promise<void> {
    this.#mountPoint ??= (async () => {
      const call: Call = {
        method: 'GET',
        path: this.#withMode('/api/customers?page=1&pageSize=1'),
      };
      let json: unknown;
      try {
        json = await this.#caller.call(call, options.signal, options.stopWaiting);
      } catch (error) {
        throw isNotFound(error) ? wrongMountPoint(error) : error;
      }
      this.#expect(parsePage(json), call);
    })();
    // A check that failed for a passing reason (a timeout) is tried again by the next miss.
    this.#mountPoint.catch(() => (this.#mountPoint = undefined));
    return this.#mountPoint;
  }

  async #customer(call: Call, options: CallOptions): Promise<PaymentKitCustomer> {
    const json = await this.#caller.call(call, options.signal, options.stopWaiting);
    return this.#expect(parseCustomer(json), call);
  }

  /** `/api/customers/{key}` in this client's mode. */
  #byKey(method: 'GET' | 'PUT', key: string): Call {
    return { method, path: this.#withMode(`/api/customers/${encodeURIComponent(key)}`) };
  }

  /** Every path carries the mode: the server's default (live) must never be relied on. */
  #withMode(path: string): string {
    return `${path}${path.includes('?') ? '&' : '?'}livemode=${this.livemode}`;
  }

  /** A customer of the other mode would be written back into the wrong set later. */
  #inMode(read: PaymentKitCustomer, call: Call): RemoteCustomer {
    if (read.livemode === this.livemode) return read.customer;
    throw this.#caller.errors.malformed(
      call,
      200,
      `customer ${read.customer.id} has livemode ${read.livemode}`,
    );
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

/** A 404 from the customer collection itself: `PAYMENT_KIT_URL` misses the mount point. */
function wrongMountPoint(error: RemoteError): RemoteError {
  return new RemoteError(
    'ERR_REMOTE_NOT_FOUND',
    `${PAYMENT_KIT_URL_ENV} does not point at Payment Kit: ${error.message}`,
    {
      hint: `${PAYMENT_KIT_URL_ENV} is the app's origin plus Payment Kit's mount point, e.g. https://shop.example.com/payment; the app lists its mount points at /__blocklet__.js?type=json.`,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.method === undefined ? {} : { method: error.method }),
      ...(error.path === undefined ? {} : { path: error.path }),
    },
  );
}
