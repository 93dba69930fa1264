/**
 * The request pipeline for /v2: rate limit, latency, fault, auth, route, answer. Admin routes
 * under /__emulator/ skip all of it. Every answer is caught: a bad request never crashes the
 * process or leaves a socket hanging (only the `hang` fault does that, on purpose).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../core/clock.js';
import { isWriteMethod, refusalOf, type FaultInjector } from '../../../emulator/faults.js';
import {
  readJsonBody,
  sendCloudflare522,
  sendErrors,
  sendJson,
} from '../../../emulator/http-io.js';
import type { RateLimiter } from '../../../emulator/rate-limit.js';
import { matchRoute, type Reply, type RouteMatch } from './routes.js';
import type { StatsRecorder } from '../../../emulator/stats.js';
import type { CustomerStore } from './store.js';
import type { EmulatorStats } from '../../../emulator/types.js';
import type { RemainingHeadersMode } from './types.js';

export const UNAUTHORIZED = 'Unauthorized';
export const TOO_MANY_REQUESTS = 'Too many requests';
/** `GET /connection-test`'s answer for a token that is sent but wrong (OpenAPI: 403). */
export const FORBIDDEN = 'Forbidden';
export const CONNECTION_SUCCESSFUL = 'Connection Successful';
/** What a refused write names first: a field a person fixes, never the code (a duplicate's). */
const REFUSED_FIELDS = ['contactName', 'businessName', 'cellPhone', 'billingAddress.street1'];

export interface ServerParts {
  token: string;
  store: CustomerStore;
  limiter: RateLimiter;
  faults: FaultInjector;
  stats: StatsRecorder;
  clock: Clock;
  latencyMs: number;
  remainingHeaders: RemainingHeadersMode;
  /** A write with a text field holding this is refused (400), always: see EmulatorOptions. */
  rejectValue: string | undefined;
  changed(): void;
  reset(): void;
  snapshotStats(): EmulatorStats;
  log(message: string): void;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function createRequestHandler(parts: ServerParts) {
  const tokenDigest = digest(parts.token);
  const authorized = (req: IncomingMessage): boolean => {
    const given = req.headers['api-token'];
    return typeof given === 'string' && timingSafeEqual(digest(given), tokenDigest);
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const route = matchRoute(method, url.pathname);
    const admission = parts.limiter.admit(parts.clock.now());
    const before = parts.remainingHeaders === 'before-call';
    res.setHeader(
      'minute-limit-remaining',
      String(before ? admission.minuteRemainingBefore : admission.minuteRemaining),
    );
    res.setHeader(
      'hour-limit-remaining',
      String(before ? admission.hourRemainingBefore : admission.hourRemaining),
    );
    if (!admission.admitted) {
      parts.stats.limited();
      parts.stats.record(route.template, 429);
      sendErrors(res, 429, TOO_MANY_REQUESTS);
      return;
    }
    let held = true;
    const release = (): void => {
      if (held) parts.limiter.release();
      held = false;
    };
    // The slot is freed as soon as the answer is written, not when the socket reports 'close' a
    // tick later: a client that fires its next request on receipt must not see a spurious 429.
    res.once('close', release);
    try {
      await serveAdmitted(req, res, url, route);
    } finally {
      // A hung request keeps its slot until its socket closes, as it would upstream.
      if (!hanging.has(res)) release();
    }
  }

  const hanging = new WeakSet<ServerResponse>();

  /** The token check tells a missing token (401) from a wrong one (403), as its OpenAPI says. */
  function connectionTest(req: IncomingMessage): Reply {
    if (req.headers['api-token'] === undefined)
      return { status: 401, body: { errors: UNAUTHORIZED } };
    if (!authorized(req)) return { status: 403, body: { errors: FORBIDDEN } };
    return { status: 200, body: { message: CONNECTION_SUCCESSFUL } };
  }

  async function serveAdmitted(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: RouteMatch,
  ): Promise<void> {
    // The body is read as it arrives, before the server "works": a real server carries out a
    // request it has received even if the client stops waiting for the answer (a create that
    // lands after the client's timeout), and a test of duplicates must meet that case.
    const body = req.method === 'POST' || req.method === 'PUT' ? readJsonBody(req) : undefined;
    if (parts.latencyMs > 0) await parts.clock.sleep(parts.latencyMs);
    const drawn = parts.faults.next();
    // A read is never rejected: the draw is spent, so the sequence stays the seed's, and ignored.
    const writes = route.kind === 'found' && isWriteMethod(req.method ?? 'GET');
    const fault = drawn === 'reject' && !writes ? undefined : drawn;
    // `reject` is counted once it is applied, behind the token check.
    if (fault !== undefined && fault !== 'reject') parts.stats.fault(fault);
    switch (fault) {
      case '500':
        parts.stats.record(route.template, 500);
        return sendErrors(res, 500, 'Internal Server Error');
      case '522':
        parts.stats.record(route.template, 522);
        return sendCloudflare522(res);
      case '429':
        parts.stats.record(route.template, 429);
        return sendErrors(res, 429, TOO_MANY_REQUESTS);
      case 'reset':
        parts.stats.record(route.template, 'reset');
        req.socket.destroy();
        return;
      case 'hang':
        // No answer, ever: the socket stays open until the client gives up or close() ends it.
        parts.stats.record(route.template, 'hang');
        hanging.add(res);
        return;
      default:
        break;
    }

    let reply: Reply;
    if (route.kind === 'connection-test') reply = connectionTest(req);
    else if (!authorized(req)) reply = { status: 401, body: { errors: UNAUTHORIZED } };
    else if (route.kind === 'not-found') reply = { status: 404, body: { errors: 'Not Found' } };
    else if (route.kind === 'method-not-allowed') {
      res.setHeader('allow', route.allow.join(', '));
      reply = { status: 405, body: { errors: 'Method Not Allowed' } };
    } else {
      reply =
        (await refusal(fault === 'reject', body)) ??
        (await route.handler({
          store: parts.store,
          query: url.searchParams,
          id: route.id,
          readBody: () => body ?? readJsonBody(req),
          changed: parts.changed,
        }));
    }

    if (fault === 'lost-response') {
      // The work is done (a write is committed); only the answer is lost on the way back.
      parts.stats.record(route.template, 'lost-response');
      req.socket.destroy();
      return;
    }
    parts.stats.record(route.template, reply.status);
    sendJson(res, reply.status, reply.body);
  }

  /**
   * The `reject` fault's answer, or `rejectValue`'s: Helcim's 400 with `errors` keyed by field,
   * as its validation answers. Nothing is stored.
   */
  async function refusal(
    drawn: boolean,
    body: ReturnType<typeof readJsonBody> | undefined,
  ): Promise<Reply | undefined> {
    if (body === undefined || (!drawn && parts.rejectValue === undefined)) return undefined;
    const read = await body;
    const found = refusalOf(read.kind === 'json' ? read.value : undefined, {
      drawn,
      rejectValue: parts.rejectValue,
      preferred: REFUSED_FIELDS,
      fallback: 'contactName',
    });
    if (found === undefined) return undefined;
    if (drawn) parts.stats.fault('reject');
    return { status: 400, body: { errors: { [found.field]: found.reason } } };
  }

  function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const method = req.method ?? 'GET';
    if (url.pathname === '/__emulator/stats') {
      if (method !== 'GET') return sendErrors(res, 405, 'Method Not Allowed', { allow: 'GET' });
      return sendJson(res, 200, parts.snapshotStats());
    }
    if (url.pathname === '/__emulator/reset') {
      if (method !== 'POST') return sendErrors(res, 405, 'Method Not Allowed', { allow: 'POST' });
      parts.reset();
      return sendJson(res, 200, { ok: true });
    }
    sendErrors(res, 404, 'Not Found');
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      sendErrors(res, 400, ['Malformed request URL']);
      return;
    }
    const isApi = url.pathname === '/v2' || url.pathname.startsWith('/v2/');
    const work = isApi
      ? handleApi(req, res, url)
      : url.pathname.startsWith('/__emulator/')
        ? Promise.resolve(handleAdmin(req, res, url))
        : Promise.resolve(sendErrors(res, 404, 'Not Found'));
    work.catch((caught: unknown) => {
      parts.log(`emulator: internal error on ${req.method} ${url.pathname}: ${String(caught)}`);
      sendErrors(res, 500, 'Internal Server Error');
    });
  };
}
