/**
 * undici's `Pool`, loaded from its own modules rather than from undici's index. The index also
 * loads fetch, WebSocket, cookies, the HTTP cache and HTTP/2, none of which the clients use:
 * about 80 ms of every process's start (125-140 ms against 43-49 ms, measured), on the way to a
 * plan's first request and in every CLI run the tests spawn. undici declares no `exports` map,
 * so these files are public to Node's resolver. What the index does besides loading them is
 * done here too: it gives every dispatcher the request API (`Object.assign` on the dispatcher
 * prototype). test/remote/http/pool.test.ts checks, in a process that loads nothing else, that
 * this is the index's own class, that it makes requests and that the index was not loaded: an
 * undici that moves these files fails a test here, and falls back to the index in a user's run.
 */
import { createRequire } from 'node:module';
import type { Pool as UndiciPool } from 'undici';

function isPoolClass(value: unknown): value is typeof UndiciPool {
  if (typeof value !== 'function') return false;
  const proto: unknown = value.prototype;
  return (
    typeof proto === 'object' &&
    proto !== null &&
    typeof Reflect.get(proto, 'request') === 'function'
  );
}

/**
 * The Pool from undici's own modules, or from its index when they are not where this expects
 * them: an install that resolved a newer undici than the lockfile's then starts slower, rather
 * than not at all. `load` is a CommonJS `require`.
 */
export function loadPool(load: (id: string) => unknown): typeof UndiciPool {
  try {
    const dispatcher = load('undici/lib/dispatcher/dispatcher.js');
    const api = load('undici/lib/api/index.js');
    const pool = load('undici/lib/dispatcher/pool.js');
    const base: unknown = typeof dispatcher === 'function' ? dispatcher.prototype : undefined;
    if (typeof base === 'object' && base !== null && typeof api === 'object' && api !== null) {
      Object.assign(base, api);
      if (isPoolClass(pool)) return pool;
    }
  } catch {
    // Moved or renamed: the index below is the public way in.
  }
  const index = load('undici');
  const pool: unknown =
    typeof index === 'object' && index !== null ? Reflect.get(index, 'Pool') : undefined;
  if (!isPoolClass(pool)) throw new Error('undici has no Pool: reinstall with `npm ci`');
  return pool;
}

export const Pool = loadPool(createRequire(import.meta.url));
