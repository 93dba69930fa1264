import { textOf, type CustomerData, type RemoteCustomer } from '../core/customer.js';
import { DEFAULT_PROVIDER, providerInfo } from '../providers/index.js';
import { RemoteError } from '../core/errors.js';
import type { CallOptions, CustomerRemote, FetchCostModel, ListOptions } from './port.js';

/** Same cost model as a paged API of 100 per page, so plans made in memory cost the same. */
const pagedCost: FetchCostModel = {
  list: (accountSize) => Math.floor(accountSize / 100) + 1,
  lookup: (codeCount) => codeCount,
  pageSize: 100,
};

/**
 * A `CustomerRemote` held in memory: for tests of the planner, apply and the library, and for
 * programs that want to dry-run a sync. It counts calls the way a real provider would bill them.
 */
export class MemoryRemote implements CustomerRemote {
  /** The provider it stands in for: its identity field is the one looked up. */
  readonly provider: string;
  readonly cost = pagedCost;
  readonly #identity: string;
  readonly customers = new Map<string, RemoteCustomer>();
  calls = { list: 0, find: 0, get: 0, create: 0, update: 0 };
  private nextId = 1000;

  readonly #duplicateCodes: 'accept' | 'reject';

  /**
   * `duplicateCodes: 'accept'` stores a second customer with a code already in use, as the real
   * service may (its refusal is unverified): what tests of "never a duplicate" run against.
   */
  readonly #tellsAccountSize: boolean;

  /**
   * `tellsAccountSize`: the first page says the account's size, as Payment Kit's `count` does.
   */
  constructor(
    initial: readonly RemoteCustomer[] = [],
    options: {
      duplicateCodes?: 'accept' | 'reject';
      provider?: string;
      tellsAccountSize?: boolean;
    } = {},
  ) {
    this.#duplicateCodes = options.duplicateCodes ?? 'reject';
    this.#tellsAccountSize = options.tellsAccountSize === true;
    this.provider = options.provider ?? DEFAULT_PROVIDER;
    this.#identity = providerInfo(this.provider).fields.identity;
    for (const c of initial) this.customers.set(c.id, structuredClone(c));
  }

  async list(options: ListOptions = {}): Promise<RemoteCustomer[]> {
    const all = [...this.customers.values()];
    this.calls.list += this.cost.list(all.length);
    options.onProgress?.(all.length);
    return all.map((c) => structuredClone(c));
  }

  /** Pages of 100, each counted as a call when it is handed over, as a paged API bills them. */
  async *listPages(options: ListOptions = {}): AsyncGenerator<RemoteCustomer[], void, undefined> {
    const all = [...this.customers.values()];
    const size = this.cost.pageSize;
    if (this.#tellsAccountSize) options.onAccountSize?.(all.length);
    for (let start = 0; ; start += size) {
      this.calls.list += 1;
      const page = all.slice(start, start + size).map((c) => structuredClone(c));
      options.onProgress?.(start + page.length);
      yield page;
      if (page.length < size) return;
    }
  }

  async findByIdentity(code: string, _options?: CallOptions): Promise<RemoteCustomer[]> {
    this.calls.find += 1;
    return [...this.customers.values()]
      .filter((c) => c[this.#identity] === code)
      .map((c) => structuredClone(c));
  }

  async findByIdentities(
    codes: readonly string[],
    options?: CallOptions,
  ): Promise<Map<string, RemoteCustomer[]>> {
    const out = new Map<string, RemoteCustomer[]>();
    for (const code of codes) out.set(code, await this.findByIdentity(code, options));
    return out;
  }

  async get(id: string, _options?: CallOptions): Promise<RemoteCustomer> {
    this.calls.get += 1;
    const found = this.customers.get(id);
    if (found === undefined)
      throw new RemoteError('ERR_REMOTE_NOT_FOUND', `no customer with id ${id}`, { status: 404 });
    return structuredClone(found);
  }

  async create(data: CustomerData, _options?: CallOptions): Promise<RemoteCustomer> {
    this.calls.create += 1;
    const code = textOf(data[this.#identity]);
    for (const c of this.customers.values()) {
      if (this.#duplicateCodes === 'reject' && c[this.#identity] === code) {
        throw new RemoteError(
          'ERR_REMOTE_CONFLICT',
          `customer code ${code ?? ''} is already in use`,
          { status: 400 },
        );
      }
    }
    const created: RemoteCustomer = { ...structuredClone(data), id: String(this.nextId++) };
    this.customers.set(created.id, created);
    return structuredClone(created);
  }

  async update(id: string, patch: CustomerData, _options?: CallOptions): Promise<RemoteCustomer> {
    this.calls.update += 1;
    const found = this.customers.get(id);
    if (found === undefined)
      throw new RemoteError('ERR_REMOTE_NOT_FOUND', `no customer with id ${id}`, { status: 404 });
    const updated: RemoteCustomer = {
      ...found,
      ...structuredClone(patch),
      id,
      [this.#identity]: patch[this.#identity] ?? found[this.#identity],
    };
    this.customers.set(id, updated);
    return structuredClone(updated);
  }
}
