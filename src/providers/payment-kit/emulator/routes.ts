/**
 * The customer routes under `<mount point>/api`: matching a path to a template, and handlers
 * that return a Reply without touching the socket (so the server can drop the answer after a
 * committed write, the lost-response fault). There is no create and no delete: POST and DELETE
 * on a customer route are 405 with `Allow`, and change nothing.
 */
import type { BodyResult } from '../../../emulator/http-io.js';
import { isPlainObject } from '../../../emulator/http-io.js';
import { readDid, readLivemode, readPaging, readSearch, type Paging, type Read } from './params.js';
import type { QueryObject } from './query.js';
import type { ListQuery, PaymentKitStore } from './store.js';
import { validateUpdate } from './validate.js';

export interface Reply {
  status: number;
  body: unknown;
}

export interface RouteContext {
  store: PaymentKitStore;
  query: QueryObject;
  /** The decoded `{id}` path segment, when the template has one. */
  key: string | undefined;
  /** The request body, read as it arrived (GET bodies too, which are then ignored). */
  body: Promise<BodyResult>;
  now(): Date;
  /** Called after every committed change, for the state file. */
  changed(): void;
}

type Handler = (ctx: RouteContext, livemode: boolean) => Reply | Promise<Reply>;

export type RouteMatch =
  | { kind: 'found'; template: string; handler: Handler; key: string | undefined }
  | { kind: 'method-not-allowed'; template: string; allow: string[] }
  | { kind: 'not-found'; template: string };

export const NOT_FOUND = 'Customer not found';

const error = (status: number, message: string): Reply => ({ status, body: { error: message } });

const ROUTES: { pattern: RegExp; template: string; methods: Record<string, Handler> }[] = [
  { pattern: /^\/api\/customers$/, template: '/api/customers', methods: { GET: list } },
  {
    pattern: /^\/api\/customers\/search$/,
    template: '/api/customers/search',
    methods: { GET: search },
  },
  {
    pattern: /^\/api\/customers\/([^/]+)$/,
    template: '/api/customers/{id}',
    methods: { GET: retrieve, PUT: update },
  },
  {
    pattern: /^\/api\/customers\/([^/]+)\/overdue\/invoices$/,
    template: '/api/customers/{id}/overdue/invoices',
    methods: { GET: overdueInvoices },
  },
];

/** `path` is relative to the mount point, e.g. `/api/customers/cus_…`. */
export function matchRoute(method: string, path: string): RouteMatch {
  // A trailing slash names the same resource; clients and proxies add one now and then.
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const route of ROUTES) {
    const match = route.pattern.exec(trimmed);
    if (match === null) continue;
    const template = `${method} ${route.template}`;
    const handler = route.methods[method];
    if (handler === undefined) {
      return { kind: 'method-not-allowed', template, allow: Object.keys(route.methods) };
    }
    return { kind: 'found', template, handler, key: decodeSegment(match[1]) };
  }
  return { kind: 'not-found', template: `${method} /api/{unknown}` };
}

function decodeSegment(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    // A malformed escape names no customer; the handler answers 404 for it.
    return raw;
  }
}

/** Every route reads `livemode` first: a bad one is a 400 whatever else is wrong. */
export async function runRoute(ctx: RouteContext, handler: Handler): Promise<Reply> {
  const livemode = readLivemode(ctx.query);
  if (!livemode.ok) return error(400, livemode.error);
  return handler(ctx, livemode.value);
}

/** A GET body is read and ignored, as the SDK may send one; only an oversized one is refused. */
async function ignoredBody(ctx: RouteContext): Promise<Reply | undefined> {
  const body = await ctx.body;
  return body.kind === 'too-large'
    ? error(413, 'Request body is too large (limit 1 MB)')
    : undefined;
}

function page(
  ctx: RouteContext,
  paging: Read<Paging>,
  filter: Read<Pick<ListQuery, 'did' | 'search'>>,
  livemode: boolean,
): Reply {
  if (!paging.ok) return error(400, paging.error);
  if (!filter.ok) return error(400, filter.error);
  const { count, list } = ctx.store.list({ livemode, ...paging.value, ...filter.value });
  return { status: 200, body: { count, list, paging: paging.value } };
}

async function list(ctx: RouteContext, livemode: boolean): Promise<Reply> {
  const refused = await ignoredBody(ctx);
  if (refused !== undefined) return refused;
  const did = readDid(ctx.query);
  const filter: Read<{ did?: string }> = !did.ok
    ? did
    : { ok: true, value: did.value === undefined ? {} : { did: did.value } };
  return page(ctx, readPaging(ctx.query), filter, livemode);
}

async function search(ctx: RouteContext, livemode: boolean): Promise<Reply> {
  const refused = await ignoredBody(ctx);
  if (refused !== undefined) return refused;
  const text = readSearch(ctx.query);
  const filter: Read<{ search: string }> = !text.ok
    ? text
    : { ok: true, value: { search: text.value } };
  return page(ctx, readPaging(ctx.query), filter, livemode);
}

async function retrieve(ctx: RouteContext, livemode: boolean): Promise<Reply> {
  const refused = await ignoredBody(ctx);
  if (refused !== undefined) return refused;
  const customer = ctx.key === undefined ? undefined : ctx.store.find(ctx.key, livemode);
  return customer === undefined ? error(404, NOT_FOUND) : { status: 200, body: customer };
}

async function overdueInvoices(ctx: RouteContext, livemode: boolean): Promise<Reply> {
  const refused = await ignoredBody(ctx);
  if (refused !== undefined) return refused;
  const customer = ctx.key === undefined ? undefined : ctx.store.find(ctx.key, livemode);
  if (customer === undefined) return error(404, NOT_FOUND);
  // The emulator has no invoices: no customer is ever overdue here.
  return { status: 200, body: { customer, invoices: [], summary: {} } };
}

/** By id only: a DID in the path of a PUT is a 404, so clients learn to send ids. */
async function update(ctx: RouteContext, livemode: boolean): Promise<Reply> {
  const id = ctx.key;
  if (id === undefined || ctx.store.findById(id, livemode) === undefined) {
    return error(404, NOT_FOUND);
  }
  const body = await ctx.body;
  let value: unknown;
  switch (body.kind) {
    case 'too-large':
      return error(413, 'Request body is too large (limit 1 MB)');
    case 'invalid-json':
      return error(400, 'Request body is not valid JSON');
    case 'aborted':
      return error(400, 'Request body was cut short');
    case 'empty':
      value = {};
      break;
    case 'json':
      value = body.value;
      break;
  }
  if (!isPlainObject(value)) return error(400, 'Request body must be a JSON object');
  const validation = validateUpdate(value);
  if (!validation.ok) return error(400, validation.error);
  const customer = ctx.store.update(id, livemode, validation.patch, ctx.now());
  if (customer === undefined) return error(404, NOT_FOUND);
  ctx.changed();
  return { status: 200, body: customer };
}
