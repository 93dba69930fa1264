/**
 * What the tool remembers of a remote account between runs, one small file per API URL: the
 * account's size at its last listing (so `--fetch auto` can compare a listing with lookups
 * without guessing) and when recent requests were sent (so a new process does not open with a
 * burst on a budget its predecessor spent). Never a customer, a code or a token: counts and
 * times only. Losing the file costs calls, never correctness, so every failure to read or write
 * it is ignored.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writePrivateFile } from '../export/private-file.js';

export const CACHE_VERSION = 1;
/** Overrides where the cache lives; `off` turns it off. */
export const CACHE_DIR_ENV = 'HELCIM_SYNC_CACHE_DIR';

export interface RemoteMemo {
  version: typeof CACHE_VERSION;
  /** Customers counted by the last complete listing. */
  accountSize?: number;
  /**
   * What a probe that stopped listing learned instead: the account holds at least this many.
   * Enough for `auto` to look a few codes up at once next time, without probing again.
   */
  accountSizeAtLeast?: number;
  /** Wall time (ISO 8601) of that listing. */
  listedAt?: string;
  /** Wall times (ms since the epoch) at which recent requests were sent, oldest first. */
  requests?: number[];
}

export interface RemoteCache {
  read(): RemoteMemo;
  /** Reads, changes and writes back in one step (a rename: a reader never sees half a file). */
  update(change: (memo: RemoteMemo) => RemoteMemo): void;
}

/** A cache that remembers nothing: for tests, libraries and `HELCIM_SYNC_CACHE_DIR=off`. */
export const noCache: RemoteCache = {
  read: () => ({ version: CACHE_VERSION }),
  update: () => undefined,
};

/** `$HELCIM_SYNC_CACHE_DIR`, else `$XDG_CACHE_HOME/helcim-sync`, else `~/.cache/helcim-sync`. */
export function cacheDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const explicit = env[CACHE_DIR_ENV]?.trim();
  if (explicit === 'off') return undefined;
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env['XDG_CACHE_HOME']?.trim();
  if (xdg !== undefined && xdg !== '') return join(xdg, 'helcim-sync');
  const home = env['HOME']?.trim() || homedir();
  return home === '' ? undefined : join(home, '.cache', 'helcim-sync');
}

/** The cache file of one API URL; the file name is a hash, so not even the URL is written. */
export function openCache(dir: string | undefined, target: string): RemoteCache {
  if (dir === undefined) return noCache;
  const file = join(dir, `${createHash('sha256').update(target).digest('hex').slice(0, 24)}.json`);
  const read = (): RemoteMemo => {
    try {
      return parseMemo(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      return { version: CACHE_VERSION };
    }
  };
  return {
    read,
    update(change) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        writePrivateFile(file, JSON.stringify(change(read())) + '\n');
      } catch {
        /* a cache that cannot be written only costs calls */
      }
    },
  };
}

/**
 * Merges request times written by several processes: within the window (`since` excluded),
 * oldest first, the newest `keepAtMost`. A time both lists hold is one request written twice
 * (our own earlier save, or times we loaded), so each value keeps the larger of its two counts
 * rather than their sum; a plain set would lose the requests answered in the same millisecond.
 */
export function mergeRequestTimes(
  stored: readonly number[],
  ours: readonly number[],
  since: number,
  keepAtMost: number,
): number[] {
  const counts = new Map<number, number>();
  for (const t of stored) if (t > since) counts.set(t, (counts.get(t) ?? 0) + 1);
  const mine = new Map<number, number>();
  for (const t of ours) if (t > since) mine.set(t, (mine.get(t) ?? 0) + 1);
  for (const [t, n] of mine) counts.set(t, Math.max(n, counts.get(t) ?? 0));
  const merged: number[] = [];
  for (const [t, n] of counts) for (let i = 0; i < n; i++) merged.push(t);
  merged.sort((x, y) => x - y);
  return keepAtMost < merged.length ? merged.slice(merged.length - keepAtMost) : merged;
}

/** A cache as the client's budget memory: request times of the last `keepMs`, merged on save. */
export function requestMemory(
  cache: RemoteCache,
  keepMs: number,
  keepAtMost: number,
  wallNow: () => number = Date.now,
): { load(): number[]; save(times: number[]): void } {
  return {
    load: () => cache.read().requests ?? [],
    save(times) {
      const since = wallNow() - keepMs;
      cache.update((memo) => ({
        ...memo,
        requests: mergeRequestTimes(memo.requests ?? [], times, since, keepAtMost),
      }));
    },
  };
}

function parseMemo(raw: unknown): RemoteMemo {
  const memo: RemoteMemo = { version: CACHE_VERSION };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return memo;
  if (!('version' in raw) || raw.version !== CACHE_VERSION) return memo;
  if ('accountSize' in raw && isCount(raw.accountSize)) memo.accountSize = raw.accountSize;
  if ('accountSizeAtLeast' in raw && isCount(raw.accountSizeAtLeast))
    memo.accountSizeAtLeast = raw.accountSizeAtLeast;
  if ('listedAt' in raw && typeof raw.listedAt === 'string') memo.listedAt = raw.listedAt;
  if ('requests' in raw && Array.isArray(raw.requests)) {
    const times: unknown[] = raw.requests;
    memo.requests = times.filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  }
  return memo;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
