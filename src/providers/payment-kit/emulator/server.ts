/**
 * The request pipeline. One port plays two parts of a Blocklet Server:
 * - the app's origin: the API under the mount point (`/payment/api/...`), for bearer keys and
 *   signed requests alike, plus `/__blocklet__.js` (mount points) and the admin routes;
 * - the component's own port: the API at `/api/...`, as the SDK calls it when told the port;
 *   only signed requests, since only components inside the app reach that port.
 * API requests go through rate limit, latency, fault, auth, route, answer; every answer is caught,
 * so bad input never crashes the process or leaves a socket open (only `hang` does, on purpose).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../core/clock.js';
import { isWriteMethod, refusalOf, type FaultInjector } from '../../../emulator/faults.js';
import { readJsonBody, sendJson } from '../../../emulator/http-io.js';
import type { RateLimiter } from '../../../emulator/rate-limit.js';
import type { StatsRecorder } from '../../../emulator/stats.js';
import type { Caller } from './auth.js';
import { matchRoute, runRoute, type Reply } from './routes.js';
import { blockletJs } from './blocklet.js';
import { parseQuery } from './query.js';
import type { PaymentKitStore } from './store.js';
import type { PaymentKitEmulatorStats } from './types.js';

export interface ServerParts {
  authenticate(headers: IncomingMessage['headers'], now: Date): Caller;
  store: PaymentKitStore;
  limiter: RateLimiter;
  faults: FaultInjector;
  stats: StatsRecorder;
  clock: Clock;
  now(): Date;
  latencyMs: number;
  /** Normalised: `/payment`, or `/` for the root. */
  mountPoint: string;
  /** A PUT with a text field holding this is refused (400): see PaymentKitEmulatorOptions. */
  rejectValue: string | undefined;
  changed(): void;
  reset(): void;
  snapshotStats(): PaymentKitEmulatorStats;
  log(message: string): void;
}

/** What a refused PUT names first, when the body has it. */
const REFUSED_FIELDS = ['name', 'email', 'phone', 'description', 'address.line1'];

const fail = (res: ServerResponse, status: number, error: string, headers = {}): void =>
  sendJson(res, status, { error }, headers);

export function createRequestHandler(parts: ServerParts) {
  const hanging = new WeakSet<ServerResponse>();
  const mount = parts.mountPoint === '/' ? '' : parts.mountPoint;

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    search: string,
    viaMount: boolean,
  ): Promise<void> {
    // Read as it arrives: a server carries out a request it has received even when the client
    // stops waiting (a PUT that lands after the client's timeout).
    const body = readJsonBody(req);
    const method = req.method ?? 'GET';
    const route = matchRoute(method, path);
    const admission = parts.limiter.admit(parts.clock.now());
    if (!admission.admitted) {
      parts.stats.limited();
      parts.stats.record(route.template, 429);
      return fail(res, 429, 'Too many requests');
    }
    let held = true;
    const release = (): void => {
      if (held) parts.limiter.release();
      held = false;
    };
    res.once('close', release);
    try {
      if (parts.latencyMs > 0) await parts.clock.sleep(parts.latencyMs);
      const drawn = parts.faults.next();
      // A read is never rejected: the draw is spent, so the sequence stays the seed's, and ignored.
      const writes = route.kind === 'found' && isWriteMethod(method);
      const fault = drawn === 'reject' && !writes ? undefined : drawn;
      // `reject` is counted once it is applied, behind the key check.
      if (fault !== undefined && fault !== 'reject') parts.stats.fault(fault);
      if (fault === '500' || fault === '429') {
        parts.stats.record(route.template, Number(fault));
        return fail(
          res,
          Number(fault),
          fault === '500' ? 'Internal Server Error' : 'Too many requests',
        );
      }
      if (fault === 'reset' || fault === 'hang') {
        parts.stats.record(route.template, fault);
        // A hang never answers: the socket stays open until the client or close() ends it.
        if (fault === 'hang') hanging.add(res);
        else req.socket.destroy();
        return;
      }
      const reply = await answer(req, res, route, search, body, viaMount, fault === 'reject');
      if (fault === 'lost-response') {
        // The work is done (a write is committed); only the answer is lost on the way back.
        parts.stats.record(route.template, 'lost-response');
        req.socket.destroy();
        return;
      }
      parts.stats.record(route.template, reply.status);
      sendJson(res, reply.status, reply.body);
    } finally {
      if (!hanging.has(res)) release();
    }
  }

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    route: ReturnType<typeof matchRoute>,
    search: string,
    body: ReturnType<typeof readJsonBody>,
    viaMount: boolean,
    rejectDrawn: boolean,
  ): Promise<Reply> {
    const caller = parts.authenticate(req.headers, parts.now());
    if (!caller.ok) return { status: 401, body: { error: caller.error } };
    if (!viaMount && caller.kind === 'bearer') {
      // Outside the app, /api/... is the app's, not Payment Kit's: the key was sent astray.
      return {
        status: 404,
        body: {
          error: `Not Found: the Payment Kit API is under ${mount}/api (GET /__blocklet__.js?type=json lists mount points)`,
        },
      };
    }
    if (route.kind === 'not-found') return { status: 404, body: { error: 'Not Found' } };
    if (route.kind === 'method-not-allowed') {
      res.setHeader('allow', route.allow.join(', '));
      return { status: 405, body: { error: 'Method Not Allowed' } };
    }
    if (isWriteMethod(req.method ?? 'GET')) {
      const refused = await refusal(rejectDrawn, body);
      if (refused !== undefined) return refused;
    }
    return runRoute(
      {
        store: parts.store,
        query: parseQuery(search),
        key: route.key,
        body,
        now: parts.now,
        changed: parts.changed,
      },
      route.handler,
    );
  }

  /**
   * The `reject` fault's answer, or `rejectValue`'s: the 400 `{"error": "<field> ..."}` its
   * validation answers (the message starts with the dotted path). Nothing is stored.
   */
  async function refusal(
    drawn: boolean,
    body: ReturnType<typeof readJsonBody>,
  ): Promise<Reply | undefined> {
    if (!drawn && parts.rejectValue === undefined) return undefined;
    const read = await body;
    const found = refusalOf(read.kind === 'json' ? read.value : undefined, {
      drawn,
      rejectValue: parts.rejectValue,
      preferred: REFUSED_FIELDS,
      fallback: 'name',
    });
    if (found === undefined) return undefined;
    if (drawn) parts.stats.fault('reject');
    return { status: 400, body: { error: found.reason } };
  }

  function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string): void {
    const method = req.method ?? 'GET';
    if (path === '/__emulator/stats') {
      if (method !== 'GET') return fail(res, 405, 'Method Not Allowed', { allow: 'GET' });
      return sendJson(res, 200, parts.snapshotStats());
    }
    if (path === '/__emulator/reset') {
      if (method !== 'POST') return fail(res, 405, 'Method Not Allowed', { allow: 'POST' });
      parts.reset();
      return sendJson(res, 200, { ok: true });
    }
    fail(res, 404, 'Not Found');
  }

  function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The raw target, not `new URL()`: a path like `//x` must not be read as a host.
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    const path = mark === -1 ? target : target.slice(0, mark);
    const search = mark === -1 ? '' : target.slice(mark + 1);
    if (path === '/__blocklet__.js') {
      const status = blockletJs(req, res, search, parts.mountPoint);
      parts.stats.record(`${req.method ?? 'GET'} /__blocklet__.js`, status);
      return Promise.resolve();
    }
    if (path.startsWith('/__emulator/')) {
      handleAdmin(req, res, path);
      return Promise.resolve();
    }
    if (mount !== '' && (path === mount || path.startsWith(`${mount}/`))) {
      return handleApi(req, res, path.slice(mount.length) || '/', search, true);
    }
    if (path === '/api' || path.startsWith('/api/')) {
      return handleApi(req, res, path, search, mount === '');
    }
    fail(res, 404, 'Not Found');
    return Promise.resolve();
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((caught: unknown) => {
      parts.log(
        `payment-kit emulator: internal error on ${req.method} ${req.url}: ${String(caught)}`,
      );
      fail(res, 500, 'Internal Server Error');
    });
  };
}
