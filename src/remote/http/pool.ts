/**
 * undici's `Pool`, loaded from its own modules rather than from undici's index. The index also
 * loads fetch, WebSocket, cookies, the HTTP cache and HTTP/2, none of which the clients use:
 * about 80 ms of every process's start (125-140 ms against 43-49 ms, measured), on the way to a
 * plan's first request and in every CLI run the tests spawn. undici declares no `exports` map,
 * so these files are public to Node's resolver. What the index does besides loading them is
 * done here too: it gives every dispatcher the request API (`Object.assign` on the dispatcher
 * prototype). test/remote/http/pool.test.ts checks, in a process that loads nothing else, that
 * this is the index's own class and that it makes requests: an undici that moves these files
 * fails a test, not a run.
 */
import { createRequire } from 'node:module';
import type { Pool as UndiciPool } from 'undici';

const load = createRequire(import.meta.url);

function isPoolClass(value: unknown): value is typeof UndiciPool {
  if (typeof value !== 'function') return false;
  const proto: unknown = value.prototype;
  return (
    typeof proto === 'object' &&
    proto !== null &&
    typeof Reflect.get(proto, 'request') === 'function'
  );
}

const dispatcher: unknown = load('undici/lib/dispatcher/dispatcher.js');
const api: unknown = load('undici/lib/api/index.js');
const base: unknown = typeof dispatcher === 'function' ? dispatcher.prototype : undefined;
if (typeof base === 'object' && base !== null && typeof api === 'object' && api !== null)
  Object.assign(base, api);
const loaded: unknown = load('undici/lib/dispatcher/pool.js');
if (!isPoolClass(loaded)) throw new Error("undici's Pool is not where helcim-sync loads it from");

export const Pool = loaded;
