/**
 * Interned mapping keys. A file of 100,000 customers repeats the same twenty keys two million
 * times; a fresh string for each would be hashed and internalised again on every property store
 * (that was most of the fast path's time). Matching the key in place against the few seen before
 * returns one shared, already-internalised string instead.
 */
import { RESERVED_KEYS } from './yaml-problems.js';

export interface InternedKey {
  key: string;
  reserved: boolean;
}

/** Beyond this many distinct keys (a generated or hostile file) keys are simply sliced. */
const MAX_KEYS = 512;

export class KeyTable {
  private readonly buckets = new Map<number, InternedKey[]>();
  private size = 0;

  /** The key `text[start, end)`. */
  get(text: string, start: number, end: number): InternedKey {
    const length = end - start;
    const hash = (length << 16) ^ (text.charCodeAt(start) << 8) ^ text.charCodeAt(end - 1);
    const bucket = this.buckets.get(hash);
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (entry.key.length === length && text.startsWith(entry.key, start)) return entry;
      }
    }
    const key = text.slice(start, end);
    const entry: InternedKey = { key, reserved: RESERVED_KEYS.has(key) };
    if (this.size < MAX_KEYS) {
      this.size++;
      if (bucket === undefined) this.buckets.set(hash, [entry]);
      else bucket.push(entry);
    }
    return entry;
  }
}
