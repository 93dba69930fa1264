/** The Helcim implementation of the remote port, over undici with pacing and safe retries. */
import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import { Pool } from '../../../remote/http/pool.js';
import type { Clock } from '../../../core/clock.js';
import { systemClock } from '../../../core/clock.js';
import type { CustomerData, RemoteCustomer } from '../../../core/customer.js';
import { InputError, RemoteError } from '../../../core/errors.js';
import type { CallOptions, CustomerRemote, ListOptions } from '../../../remote/port.js';
import { HELCIM_PAGE_SIZE, helcimCost } from '../cost.js';
import { Caller, type HelcimEvent } from './caller.js';
import type { Peek } from '../../../remote/http/caller.js';
import {
  checkToken,
  DEFAULT_HELCIM_API_URL,
  resolveBaseUrl,
  TOKEN_ENV,
  URL_ENV,
} from './config.js';
import { createOnce } from './create.js';
import {
  isRecord,
  parseCards,
  parseCustomer,
  parseCustomerList,
  toRequestBody,
  type HelcimCard,
  type Parsed,
} from './mapping.js';
import { HELCIM_LIMITS, Pacer, UNPACED_CONCURRENCY, type RateLimits } from './pacer.js';
import {
  parseBankAccounts,
  parsePads,
  type HelcimBankAccount,
  type HelcimPad,
} from './payments.js';
import {
  exponentialRetryPolicy,
  type RetryOptions,
  type RetryPolicy,
} from '../../../remote/http/retry.js';

/**
 * Where the client remembers, between processes, when it sent requests on this account: a new
 * process then does not open with a burst on a budget an earlier one spent.
 */
export interface BudgetMemory {
  /** Wall times (ms since the epoch) of requests sent recently, in any order. */
  load(): number[];
  /**
   * This client's request times and the loaded ones still in the longest window, oldest first,
   * at most that window's limit. A store shared by processes should merge, not overwrite.
   */
  save(times: number[]): void;
}

export interface HelcimClientOptions {
  /** Default `https://api.helcim.com/v2`; plain HTTP only for loopback hosts. */
  baseUrl?: string;
  token: string;
  /** Default: a keep-alive `Pool` for the base URL with as many connections as may be in flight. */
  dispatcher?: Dispatcher;
  clock?: Clock;
  /** In [0, 1), for retry jitter. */
  random?: () => number;
  /** Default Helcim's 5 / 100 per minute / 3000 per hour; `'off'` for an emulator without limits. */
  limits?: RateLimits | 'off';
  /** Per attempt, headers and body together. Default 30 s. */
  timeoutMs?: number;
  /** A policy function, or options for the default exponential one. */
  retry?: RetryPolicy | RetryOptions;
  onEvent?: (event: HelcimEvent) => void;
  /** Ignored when `limits` is `'off'`. */
  budgetMemory?: BudgetMemory;
  /** Wall clock for `budgetMemory`'s times. Default `Date.now`. */
  wallNow?: () => number;
}

export const PAGE_SIZE = HELCIM_PAGE_SIZE;
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Responses between two saves of the budget memory, for a process that never gets to close. */
export const BUDGET_SAVE_EVERY = 50;

const CODE_KEY = '"customerCode"';

/** Occurrences of `key` in `text`. */
function countKeys(text: string, key: string): number {
  let count = 0;
  for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + key.length)) count++;
  return count;
}

function pagePath(page: number): string {
  return `/customers?limit=${PAGE_SIZE}&page=${page}`;
}

export { helcimCost };

export class HelcimClient implements CustomerRemote {
  readonly provider = 'helcim';
  readonly cost = helcimCost;
  // A private field keeps the token (inside the caller) out of util.inspect and JSON.stringify.
  readonly #caller: Caller;
  readonly #ownedDispatcher: Dispatcher | undefined;
  readonly #budget: BudgetKeeper | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: HelcimClientOptions) {
    const token = checkToken(options.token);
    const { origin, basePath } = resolveBaseUrl(options.baseUrl ?? DEFAULT_HELCIM_API_URL);
    const clock = options.clock ?? systemClock;
    const limits = options.limits ?? HELCIM_LIMITS;
    const onEvent = options.onEvent;
    let responses = 0;
    const emit = (event: HelcimEvent): void => {
      if (event.type === 'response' && ++responses % BUDGET_SAVE_EVERY === 0) this.#budget?.save();
      // A failing progress hook must not break a request half-way through the pacer.
      try {
        onEvent?.(event);
      } catch {
        /* ignored on purpose */
      }
    };
    const pacer = new Pacer(limits, clock, {
      onWait: (waitMs, next) =>
        emit({ type: 'wait', method: next?.method ?? '', path: next?.path ?? '', waitMs }),
    });
    if (options.budgetMemory !== undefined && limits !== 'off') {
      this.#budget = BudgetKeeper.start(
        options.budgetMemory,
        limits,
        pacer,
        clock,
        options.wallNow ?? Date.now,
      );
    }
    let dispatcher = options.dispatcher;
    if (dispatcher === undefined) {
      const connections = limits === 'off' ? UNPACED_CONCURRENCY : Math.max(1, limits.concurrent);
      dispatcher = new Pool(origin, { connections, keepAliveTimeout: 4_000, pipelining: 1 });
      this.#ownedDispatcher = dispatcher;
    }
    const retry =
      typeof options.retry === 'function'
        ? options.retry
        : exponentialRetryPolicy({ random: options.random, ...options.retry });
    this.#caller = new Caller({
      http: {
        dispatcher,
        origin,
        token,
        clock,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      },
      basePath,
      pacer,
      clock,
      retry,
      emit,
    });
  }

  async list(options: ListOptions = {}): Promise<RemoteCustomer[]> {
    const all: RemoteCustomer[] = [];
    for await (const page of this.listPages(options)) for (const c of page) all.push(c);
    return all;
  }

  /**
   * Every customer, a page at a time. As soon as a page is known to be full, the next one is
   * requested, before this one is parsed and mapped: the server works on page n+1 while the
   * caller works on page n. A page is known full from its text (100 `"customerCode"` keys,
   * which no value can spell: a quote inside a string is escaped), then from its parse. The
   * calls are exactly those of a one-by-one listing, since a page is requested only once the
   * previous one came back full.
   */
  async *listPages(options: ListOptions = {}): AsyncGenerator<RemoteCustomer[], void, undefined> {
    const signal = options.signal;
    const early = options.pageByPage !== true;
    const pending = new Map<number, Promise<unknown>>();
    const request = (page: number): Promise<unknown> => {
      let started = pending.get(page);
      if (started === undefined) {
        started = this.#page(page, signal, early ? (text) => peekFull(text, page) : undefined);
        pending.set(page, started);
      }
      return started;
    };
    const peekFull = (text: string, page: number): boolean => {
      if (pending.has(page + 1) || countKeys(text, CODE_KEY) < PAGE_SIZE) return false;
      request(page + 1);
      return true;
    };
    let fetched = 0;
    let previousFirst: unknown;
    try {
      for (let page = 1; ; page++) {
        const path = pagePath(page);
        const body = await request(page);
        pending.delete(page);
        const first: unknown = Array.isArray(body) && isRecord(body[0]) ? body[0]['id'] : undefined;
        // A server that ignores `page` would otherwise be listed forever.
        if (page > 1 && first !== undefined && first === previousFirst) {
          throw this.#caller.malformed(
            { method: 'GET', path },
            200,
            'the same page came back twice',
          ).error;
        }
        previousFirst = first;
        const full = Array.isArray(body) && body.length >= PAGE_SIZE;
        if (full && early && !pending.has(page + 1)) {
          request(page + 1);
          // Lets the request leave (pacer, then socket) before this page's mapping holds the thread.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        const customers = this.#expect(parseCustomerList(body), 'GET', path);
        fetched += customers.length;
        options.onProgress?.(fetched);
        yield customers;
        if (!full) return;
        // Page by page, the caller asked for more: only now is the next page worth its call.
        request(page + 1);
      }
    } finally {
      // A page still on its way when the caller stopped (an error, a break, a short page after a
      // text that counted wrong) is not awaited.
      for (const started of pending.values()) started.catch(() => undefined);
    }
  }

  #page(page: number, signal: AbortSignal | undefined, peek?: Peek): Promise<unknown> {
    return this.#caller.call(
      { method: 'GET', path: pagePath(page), ...(peek === undefined ? {} : { peek }) },
      signal,
    );
  }

  /**
   * Every customer's stored cards by customer id, from a listing with `includeCards=yes` (one
   * call per 100 customers). Only export uses it (`--include-cards`, `--include-payment-details`),
   * and keeps a count and the default card's last four digits (and expiry): tokens never leave
   * this process.
   */
  async listCards(options: ListOptions = {}): Promise<Map<string, HelcimCard[]>> {
    const all = new Map<string, HelcimCard[]>();
    for (let page = 1; ; page++) {
      const path = `/customers?limit=${PAGE_SIZE}&page=${page}&includeCards=yes`;
      const body = await this.#caller.call({ method: 'GET', path }, options.signal);
      if (!Array.isArray(body))
        throw this.#caller.malformed({ method: 'GET', path }, 200, 'expected a JSON array').error;
      const first: unknown = isRecord(body[0]) ? body[0]['id'] : undefined;
      // A server that ignores `page` would otherwise be listed forever.
      if (page > 1 && first !== undefined && all.has(String(first)))
        throw this.#caller.malformed({ method: 'GET', path }, 200, 'the same page came back twice')
          .error;
      for (const item of body) {
        const id = isRecord(item) ? item['id'] : undefined;
        if (typeof id !== 'number' && typeof id !== 'string') continue;
        const cards = this.#expect(
          parseCards(isRecord(item) ? item['cards'] : undefined),
          'GET',
          path,
        );
        all.set(String(id), cards);
      }
      options.onProgress?.(all.size);
      if (body.length < PAGE_SIZE) return all;
    }
  }

  /**
   * One customer's stored cards (`GET /customers/{id}/cards`): one call, where `listCards` costs
   * one per 100 customers of the account. Tokens included, as for `listCards`.
   */
  async getCards(customerId: string, options: CallOptions = {}): Promise<HelcimCard[]> {
    const path = `/customers/${encodeURIComponent(customerId)}/cards`;
    return this.#expect(parseCards(await this.#read(path, options)), 'GET', path);
  }

  /** One stored card by its id (`GET /customers/{id}/cards/{cardId}`); 404 for another's. */
  async getCard(
    customerId: string,
    cardId: string,
    options: CallOptions = {},
  ): Promise<HelcimCard> {
    const path = `/customers/${encodeURIComponent(customerId)}/cards/${encodeURIComponent(cardId)}`;
    const body = await this.#read(path, options);
    const [card] = this.#expect(parseCards(isRecord(body) ? [body] : body), 'GET', path);
    if (card === undefined)
      throw this.#caller.malformed({ method: 'GET', path }, 200, 'expected a card object').error;
    return card;
  }

  /**
   * One customer's bank accounts (`GET /customers/{id}/bank-accounts`), one call. Read-only, and
   * cut down as they are read: type, last four digits, verified; never the bank token or the
   * institution, transit or routing numbers (see payments.ts).
   */
  async getBankAccounts(
    customerId: string,
    options: CallOptions = {},
  ): Promise<HelcimBankAccount[]> {
    const path = `/customers/${encodeURIComponent(customerId)}/bank-accounts`;
    return this.#expect(parseBankAccounts(await this.#read(path, options)), 'GET', path);
  }

  /** One customer's PAD agreements (`GET /customers/{id}/pads`), one call: status and dates. */
  async getPads(customerId: string, options: CallOptions = {}): Promise<HelcimPad[]> {
    const path = `/customers/${encodeURIComponent(customerId)}/pads`;
    return this.#expect(parsePads(await this.#read(path, options)), 'GET', path);
  }

  /** A GET through the pacer and the retry policy, as every other read. */
  #read(path: string, options: CallOptions): Promise<unknown> {
    return this.#caller.call({ method: 'GET', path }, options.signal, options.stopWaiting);
  }

  async findByIdentity(code: string, options: CallOptions = {}): Promise<RemoteCustomer[]> {
    const path = `/customers?customerCode=${encodeURIComponent(code)}`;
    const customers = this.#expect(
      parseCustomerList(
        await this.#caller.call({ method: 'GET', path }, options.signal, options.stopWaiting),
      ),
      'GET',
      path,
    );
    // The parameter is documented as an exact match; a search-like answer must not leak in.
    return customers.filter((c) => c.customerCode === code);
  }

  async findByIdentities(
    codes: readonly string[],
    options: CallOptions = {},
  ): Promise<Map<string, RemoteCustomer[]>> {
    const unique = [...new Set(codes)];
    // One failure stops the lookups still waiting for the pacer instead of spending budget.
    const controller = new AbortController();
    // Every pending lookup listens to this signal; hundreds are expected, not a leak.
    setMaxListeners(0, controller.signal);
    const onAbort = (): void => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const found = await Promise.all(
        unique.map(async (code) => {
          try {
            return [code, await this.findByIdentity(code, { signal: controller.signal })] as const;
          } catch (error) {
            controller.abort(error);
            throw error;
          }
        }),
      );
      return new Map(found);
    } catch (error) {
      // Lookups aborted by the first failure reject too; the first failure is the one to report.
      throw controller.signal.reason instanceof RemoteError && !options.signal?.aborted
        ? controller.signal.reason
        : error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async get(id: string, options: CallOptions = {}): Promise<RemoteCustomer> {
    const path = `/customers/${encodeURIComponent(id)}`;
    return this.#expect(
      parseCustomer(
        await this.#caller.call({ method: 'GET', path }, options.signal, options.stopWaiting),
      ),
      'GET',
      path,
    );
  }

  async create(
    data: CustomerData & { customerCode: string },
    options: CallOptions = {},
  ): Promise<RemoteCustomer> {
    if (typeof data.customerCode !== 'string' || data.customerCode === '') {
      throw new InputError('A customer can only be created with a customerCode.', {
        hint: 'Give every customer a customerCode: it is how a lost answer is checked safely.',
      });
    }
    return createOnce(this.#caller, data.customerCode, toRequestBody(data), {
      find: (code) => this.findByIdentity(code, options),
      parse: (json) => parseCustomer(json),
      signal: options.signal,
      stopWaiting: options.stopWaiting,
    });
  }

  async update(
    id: string,
    patch: CustomerData,
    options: CallOptions = {},
  ): Promise<RemoteCustomer> {
    const path = `/customers/${encodeURIComponent(id)}`;
    return this.#expect(
      parseCustomer(
        await this.#caller.call(
          { method: 'PUT', path, body: toRequestBody(patch) },
          options.signal,
          options.stopWaiting,
        ),
      ),
      'PUT',
      path,
    );
  }

  /**
   * Saves the budget memory, and closes the connections the client opened itself; an injected
   * dispatcher is the caller's. Calling it again waits for the first call.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#budget?.save();
      await this.#ownedDispatcher?.close();
    })();
    return this.#closing;
  }

  #expect<T>(parsed: Parsed<T>, method: string, path: string): T {
    if (parsed.ok) return parsed.value;
    throw this.#caller.malformed({ method, path }, 200, parsed.reason).error;
  }
}

/** Carries request times between the pacer's clock and a `BudgetMemory`'s wall times. */
class BudgetKeeper {
  private constructor(
    private readonly memory: BudgetMemory,
    private readonly pacer: Pacer,
    private readonly wallNow: () => number,
    /**
     * Wall time minus pacer time, taken once: a time saved twice is the same number both times,
     * so a store that merges recognises it.
     */
    private readonly offset: number,
    private readonly keepMs: number,
    private readonly keepAtMost: number,
    /** Loaded times still worth passing on, as they were read (never converted twice). */
    private readonly loaded: readonly number[],
  ) {}

  static start(
    memory: BudgetMemory,
    limits: RateLimits,
    pacer: Pacer,
    clock: Clock,
    wallNow: () => number,
  ): BudgetKeeper | undefined {
    // The longest window with a limit is all a later process needs to know about.
    const span = Number.isFinite(limits.perHour)
      ? { ms: limits.hourMs ?? HELCIM_LIMITS.hourMs, limit: limits.perHour }
      : Number.isFinite(limits.perMinute)
        ? { ms: limits.minuteMs ?? HELCIM_LIMITS.minuteMs, limit: limits.perMinute }
        : undefined;
    if (span === undefined) return undefined;
    const wall = wallNow();
    const offset = wall - clock.now();
    let raw: number[] = [];
    try {
      raw = memory.load();
    } catch {
      // A memory that cannot be read costs at most the first request's 429.
    }
    const loaded = raw
      .filter((t) => Number.isFinite(t) && t > wall - span.ms)
      // A time ahead of this clock (a clock set back) must not block for longer than a window.
      .map((t) => Math.min(t, wall))
      .sort((a, b) => a - b)
      .slice(-span.limit);
    // Date.now() counts whole milliseconds, so a time may come back up to 1 ms early.
    pacer.seed(loaded.map((t) => t - offset + 1));
    return new BudgetKeeper(memory, pacer, wallNow, offset, span.ms, span.limit, loaded);
  }

  save(): void {
    const since = this.wallNow() - this.keepMs;
    // Response times: the server counted each request before its answer left, never after.
    const ours = this.pacer.sentTimes().map((t) => Math.ceil(t + this.offset));
    const times = [...this.loaded, ...ours]
      .filter((t) => t > since)
      .sort((a, b) => a - b)
      .slice(-this.keepAtMost);
    try {
      this.memory.save(times);
    } catch {
      // Losing the memory costs calls later, never this run's result.
    }
  }
}

export type HelcimEnv = Readonly<Record<string, string | undefined>>;

/** The client as the CLI builds it: token and URL from the environment only. */
export function helcimClientFromEnv(
  env: HelcimEnv,
  overrides: Omit<HelcimClientOptions, 'token' | 'baseUrl'> = {},
): HelcimClient {
  const url = env[URL_ENV];
  return new HelcimClient({
    ...overrides,
    token: env[TOKEN_ENV] ?? '',
    baseUrl: url === undefined || url.trim() === '' ? DEFAULT_HELCIM_API_URL : url.trim(),
  });
}
