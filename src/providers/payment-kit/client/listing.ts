/**
 * A complete listing of pages that shift while they are read.
 *
 * Payment Kit lists newest first, and customers are created (by checkout) but never deleted
 * through the API, so a newcomer always lands at the front and pushes every older customer
 * down by one. Every answer carries `count`; with `N` the count of the first page, an answer
 * with count `c` was read at shift `s = c - N`: its item `j` of page `p` (size `S`) is the
 * customer that was at index `(p-1)·S + j - s` when the listing started (negative: a newcomer).
 *
 * The algorithm keeps one slot for each of those `N` starting positions:
 * 1. read page 1: `N` is known, slots `0..S-1` are filled;
 * 2. for each run of empty slots `[a, b)`, read the pages that hold it at the latest known shift
 *    `s` (indexes `a+s .. b-1+s`), each page once, a few at once (a window that moves on as
 *    the caller takes pages); record every answer at its own shift (which may have grown
 *    meanwhile), filling the slots it really covered;
 * 3. repeat 2 until no slot is empty. Customers are handed out deduplicated by id; newcomers met
 *    on the way are handed out too (once), but the guarantee is about the `N`: each exactly once.
 *
 * Cost in calls: with no checkout during the listing, exactly ceil(N/S) (1 for an empty set),
 * as `paymentKitCost.list` says. Pages read one after the other never leave a hole between them
 * (the shift only grows, so each page overlaps the one before), so growth costs only the tail:
 * one more call (per S newcomers) when the last customers were pushed past the last page read.
 * Pages read at once may answer out of order; a later page answered before its predecessor grew
 * leaves a hole the size of that growth, which costs one re-read (two if it straddles a page
 * boundary), and holes sharing a page share the call. Each round re-reads only what moved during
 * the one before, so it ends as soon as a round meets no growth where it reads; after
 * MAX_ROUNDS rounds the account grows faster than it can be read, which is reported.
 *
 * Checks that the model holds: an answer's `count` never goes below `N` (nothing can be deleted
 * through the API), a page holds as many customers as `count` says it must, a slot is never
 * filled by two customers and a customer never sits in two slots (a server that ignores `page`,
 * or orders by something that moves). Any breach fails the listing instead of returning a
 * listing that may have missed someone. It assumes `count` and `list` of one answer agree, as
 * one consistent read of the server would give.
 */
/** What the listing needs of a listed customer. */
export interface Listed {
  readonly id: string;
}

/** One answer of a list: the count it was read at and its customers, in order. */
export interface ListAnswer<T extends Listed> {
  count: number;
  list: readonly T[];
  /** The page size the server says it used, when it says. */
  pageSize: number | undefined;
}

/** Rounds of re-reads after the first full pass before the listing gives up. */
export const MAX_ROUNDS = 12;

/** Entries of a coverage's id table made at once (4 MiB); a larger listing grows it. */
const INDEX_SIZE_BOUND = 1 << 20;

export interface ListingOptions<T extends Listed> {
  pageSize: number;
  /**
   * Pages asked for ahead of the one handed over (the limiter bounds those in flight); 0 asks
   * for each page only once the caller wants it.
   */
  ahead: number;
  signal?: AbortSignal | undefined;
  /** Reads page `page` (1-based); must honour `signal`. */
  fetchPage(page: number, signal: AbortSignal): Promise<ListAnswer<T>>;
  /** The error for an answer that breaks the model, naming the page. */
  broken(page: number, reason: string): Error;
}

/**
 * The slots of a listing and which customer filled each (see the module comment).
 *
 * Which slot holds an id is looked up in an open-addressing table of slot numbers, hashed from
 * the id's characters, rather than in a `Map` of ids: a `Map` of 100,000 ids cost more than the
 * rest of the bookkeeping together (hashing each fresh string, growing, old-space garbage),
 * where this table is one typed array sized from the count (growing it as it filled cost as much
 * again), only up to a bound: a count the server overstates must not take the memory. A re-read
 * customer is recognised by its slot alone, before any lookup.
 */
export class Coverage {
  readonly #slots: (string | undefined)[];
  /** Slot + 1 of each filled slot, at its id's hash (linear probing); 0 is free. */
  #index: Int32Array;
  #mask: number;
  #filled = 0;
  /** Ids met before any slot (newcomers, at position -1): few, and only under churn. */
  readonly #newcomers = new Set<string>();
  #latestCount: number;

  constructor(
    readonly total: number,
    readonly pageSize: number,
  ) {
    this.#slots = new Array<string | undefined>(total);
    // At most half full, so that probes stay short; a power of two, so that a mask wraps them.
    let size = 1024;
    while (size < 2 * total && size < INDEX_SIZE_BOUND) size *= 2;
    this.#index = new Int32Array(size);
    this.#mask = size - 1;
    this.#latestCount = total;
  }

  get complete(): boolean {
    return this.runs().length === 0;
  }

  /**
   * Records one answer; answers the customers not handed out before, or the reason the answer
   * breaks the model.
   */
  record<T extends Listed>(page: number, answer: ListAnswer<T>): T[] | string {
    const { count, list, pageSize } = answer;
    const S = this.pageSize;
    if (pageSize !== undefined && pageSize !== S) return `pages of ${pageSize}, not ${S}`;
    if (count < this.total) {
      return `count went down from ${this.total} to ${count} while listing (nothing can be deleted)`;
    }
    const start = (page - 1) * S;
    const expected = Math.min(S, Math.max(0, count - start));
    if (list.length !== expected)
      return `${list.length} customers, count ${count} says ${expected}`;
    this.#latestCount = Math.max(this.#latestCount, count);
    const shift = count - this.total;
    const slots = this.#slots;
    const fresh: T[] = [];
    for (let j = 0; j < list.length; j++) {
      const customer = list[j];
      if (customer === undefined) continue;
      const id = customer.id;
      const slot = Math.max(-1, start + j - shift);
      const filled = slot >= 0 ? slots[slot] : undefined;
      // Read again where it was read before: already handed out, nothing to check.
      if (filled === id) continue;
      const before = this.#slotOf(id);
      if (before !== undefined && before !== slot) {
        return `customer ${id} moved from position ${before} to ${slot}`;
      }
      if (filled !== undefined) return `position ${slot} held ${filled}, now ${id}`;
      if (before !== undefined) continue; // a newcomer met again
      if (slot >= 0) {
        slots[slot] = id;
        this.#insert(id, slot);
      } else this.#newcomers.add(id);
      fresh.push(customer);
    }
    return fresh;
  }

  /** The slot `id` filled, -1 for a newcomer, undefined when it was not met yet. */
  #slotOf(id: string): number | undefined {
    const index = this.#index;
    for (let i = hash(id) & this.#mask; ; i = (i + 1) & this.#mask) {
      const entry = index[i];
      if (entry === undefined || entry === 0) break;
      if (this.#slots[entry - 1] === id) return entry - 1;
    }
    return this.#newcomers.size > 0 && this.#newcomers.has(id) ? -1 : undefined;
  }

  #insert(id: string, slot: number): void {
    if (++this.#filled * 2 > this.#index.length) this.#grow();
    place(this.#index, this.#mask, id, slot + 1);
  }

  #grow(): void {
    const old = this.#index;
    const index = new Int32Array(old.length * 2);
    const mask = index.length - 1;
    const slots = this.#slots;
    for (let i = 0; i < old.length; i++) {
      const entry = old[i] ?? 0;
      const id = entry === 0 ? undefined : slots[entry - 1];
      if (id !== undefined) place(index, mask, id, entry);
    }
    this.#index = index;
    this.#mask = mask;
  }

  /** Maximal runs `[a, b)` of empty slots. */
  runs(): [number, number][] {
    const runs: [number, number][] = [];
    let open = -1;
    for (let i = 0; i <= this.total; i++) {
      const empty = i < this.total && this.#slots[i] === undefined;
      if (empty && open === -1) open = i;
      if (!empty && open !== -1) {
        runs.push([open, i]);
        open = -1;
      }
    }
    return runs;
  }

  /** The pages holding every empty slot at the latest known shift, ascending, each once. */
  pagesToRead(): number[] {
    const shift = this.#latestCount - this.total;
    const pages = new Set<number>();
    for (const [a, b] of this.runs()) {
      const first = Math.floor((a + shift) / this.pageSize) + 1;
      const last = Math.floor((b - 1 + shift) / this.pageSize) + 1;
      for (let p = first; p <= last; p++) pages.add(p);
    }
    return [...pages].sort((x, y) => x - y);
  }
}

function place(index: Int32Array, mask: number, id: string, entry: number): void {
  let i = hash(id) & mask;
  while (index[i] !== 0) i = (i + 1) & mask;
  index[i] = entry;
}

/**
 * FNV-1a over the UTF-16 code units: ids are short, and every character counts (Payment Kit's
 * differ anywhere after `cus_`).
 */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A page asked for and not yet handed over. */
interface Requested<T extends Listed> {
  page: number;
  answer: Promise<ListAnswer<T>>;
}

/**
 * Every customer that existed when page 1 was read, each once, a page at a time. Before a page
 * is handed over, up to `ahead` of the pages after it are asked for: the server works on those
 * while the caller works on this one, and no more than that many answers ever wait in memory.
 */
export async function* coveredListing<T extends Listed>(
  options: ListingOptions<T>,
): AsyncGenerator<T[], void, undefined> {
  // Stops pages still in flight when the caller stops early or one page fails.
  const controller = new AbortController();
  const outer = options.signal;
  const onAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  outer?.addEventListener('abort', onAbort, { once: true });
  /** Pages of the current round not asked for yet, in order. */
  const planned: number[] = [];
  const requested: Requested<T>[] = [];
  const request = (upTo: number): void => {
    while (requested.length < upTo) {
      const page = planned.shift();
      if (page === undefined) return;
      const answer = options.fetchPage(page, controller.signal);
      // Awaited in order; one that fails while another is awaited must not go unhandled.
      answer.catch(() => undefined);
      requested.push({ page, answer });
    }
  };
  try {
    const first = await options.fetchPage(1, controller.signal);
    const coverage = new Coverage(first.count, options.pageSize);
    let fresh = check(1, coverage.record(1, first), options);
    planned.push(...coverage.pagesToRead());
    let round = 0;
    for (;;) {
      request(options.ahead);
      yield fresh;
      // Page by page, the caller asked for more: only now is the next page worth its call.
      request(1);
      const next = requested.shift();
      if (next === undefined) return;
      fresh = check(next.page, coverage.record(next.page, await next.answer), options);
      if (planned.length > 0 || requested.length > 0 || coverage.complete) continue;
      // The round is read: what is still empty moved while it was, and is read again further on.
      const pages = coverage.pagesToRead();
      if (++round >= MAX_ROUNDS) {
        throw options.broken(
          pages[0] ?? 1,
          `customers kept arriving faster than ${MAX_ROUNDS} rounds of re-reads could follow`,
        );
      }
      planned.push(...pages);
    }
  } finally {
    outer?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

function check<T extends Listed>(
  page: number,
  recorded: T[] | string,
  options: ListingOptions<T>,
): T[] {
  if (typeof recorded === 'string') throw options.broken(page, recorded);
  return recorded;
}
