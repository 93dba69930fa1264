/**
 * The Customer API's routes: matching a path to a template, and the handlers. Handlers return
 * a Reply and never touch the socket, so the server can drop the answer (lost-response fault)
 * after the write is committed.
 */
import { isPlainObject, type BodyResult } from '../../../emulator/http-io.js';
import type { ErrorBody } from '../../../emulator/types.js';
import { DuplicateCodeError, type CustomerStore, type ListQuery } from './store.js';
import { ZERO_DATE } from './dates.js';
import type { WireCustomer } from './types.js';
import { validateCustomerBody } from './validate.js';

export interface Reply {
  status: number;
  body: unknown;
}

export interface RouteContext {
  store: CustomerStore;
  query: URLSearchParams;
  /** The numeric `{id}` path parameter, when the template has one and it parsed. */
  id: number | undefined;
  readBody(): Promise<BodyResult>;
  /** Called after every committed change, for the state file. */
  changed(): void;
}

type Handler = (ctx: RouteContext) => Reply | Promise<Reply>;
/** A handler of a template with a second parameter (`{cardId}`): numeric, or undefined. */
type ItemHandler = (ctx: RouteContext, itemId: number | undefined) => Reply | Promise<Reply>;

export type RouteMatch =
  | { kind: 'found'; template: string; handler: Handler; id: number | undefined }
  /** Answered by the server: it alone can tell a missing token from a wrong one. */
  | { kind: 'connection-test'; template: string }
  | { kind: 'method-not-allowed'; template: string; allow: string[] }
  | { kind: 'not-found'; template: string };

export const INVALID_ID = 'Invalid customerId';
/** Unverified: the wording of INVALID_ID, for a card id this customer has no card with. */
export const INVALID_CARD_ID = 'Invalid cardId';
const CONNECTION_TEST = '/v2/connection-test';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 100;

const error = (status: number, errors: ErrorBody): Reply => ({ status, body: { errors } });

const ROUTES: {
  pattern: RegExp;
  template: string;
  methods: Record<string, Handler | ItemHandler>;
}[] = [
  {
    pattern: /^\/v2\/customers$/,
    template: '/v2/customers',
    methods: { GET: listCustomers, POST: createCustomer },
  },
  {
    pattern: /^\/v2\/customers\/([^/]+)$/,
    template: '/v2/customers/{id}',
    methods: { GET: getCustomer, PUT: updateCustomer },
  },
  {
    pattern: /^\/v2\/customers\/([^/]+)\/cards$/,
    template: '/v2/customers/{id}/cards',
    methods: { GET: getCards },
  },
  {
    pattern: /^\/v2\/customers\/([^/]+)\/cards\/([^/]+)$/,
    template: '/v2/customers/{id}/cards/{cardId}',
    methods: { GET: getCard },
  },
  {
    pattern: /^\/v2\/customers\/([^/]+)\/bank-accounts$/,
    template: '/v2/customers/{id}/bank-accounts',
    methods: { GET: getBankAccounts },
  },
  {
    pattern: /^\/v2\/customers\/([^/]+)\/pads$/,
    template: '/v2/customers/{id}/pads',
    methods: { GET: getPads },
  },
];

export function matchRoute(method: string, pathname: string): RouteMatch {
  // A trailing slash names the same resource; clients and proxies add one now and then.
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === CONNECTION_TEST) {
    const template = `${method} ${CONNECTION_TEST}`;
    return method === 'GET'
      ? { kind: 'connection-test', template }
      : { kind: 'method-not-allowed', template, allow: ['GET'] };
  }
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    const template = `${method} ${route.template}`;
    const handler = route.methods[method];
    if (handler === undefined) {
      return { kind: 'method-not-allowed', template, allow: Object.keys(route.methods) };
    }
    const itemId = parseId(match[2]);
    return {
      kind: 'found',
      template,
      handler: (ctx: RouteContext) => handler(ctx, itemId),
      id: parseId(match[1]),
    };
  }
  return { kind: 'not-found', template: `${method} /v2/{unknown}` };
}

function parseId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

/** A list without `includeCards=yes` still has the key, empty even when cards exist (recorded). */
function withoutCards(customer: WireCustomer): WireCustomer {
  return customer.cards.length === 0 ? customer : { ...customer, cards: [] };
}

/** Lenient like most list APIs: junk or out-of-range numbers fall back to the defaults. */
function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || !/^\d+$/.test(raw.trim())) return fallback;
  const value = Number(raw);
  return value >= 1 ? value : fallback;
}

function listCustomers(ctx: RouteContext): Reply {
  const { query } = ctx;
  const list: ListQuery = {
    limit: Math.min(MAX_LIMIT, intParam(query, 'limit', DEFAULT_LIMIT)),
    page: intParam(query, 'page', 1),
  };
  const code = query.get('customerCode');
  if (code !== null && code !== '') list.customerCode = code;
  const search = query.get('search');
  if (search !== null && search !== '') list.search = search;
  const page = ctx.store.list(list);
  const includeCards = query.get('includeCards') === 'yes';
  return { status: 200, body: includeCards ? page : page.map(withoutCards) };
}

function getCustomer(ctx: RouteContext): Reply {
  const customer = ctx.id === undefined ? undefined : ctx.store.get(ctx.id);
  return customer === undefined ? error(404, INVALID_ID) : { status: 200, body: customer };
}

function getCards(ctx: RouteContext): Reply {
  const customer = ctx.id === undefined ? undefined : ctx.store.get(ctx.id);
  if (customer === undefined) return error(404, INVALID_ID);
  const token = ctx.query.get('cardToken');
  if (token === null || token === '') return { status: 200, body: customer.cards };
  // Unverified: a token no card of this customer has answers [] (a filter that matched nothing).
  return { status: 200, body: customer.cards.filter((card) => card.cardToken === token) };
}

/** `GET /customers/{id}/cards/{cardId}`: the one card, as an object (not an array). */
function getCard(ctx: RouteContext, cardId: number | undefined): Reply {
  const customer = ctx.id === undefined ? undefined : ctx.store.get(ctx.id);
  if (customer === undefined) return error(404, INVALID_ID);
  const card = customer.cards.find((c) => c.id === cardId);
  return card === undefined ? error(404, INVALID_CARD_ID) : { status: 200, body: card };
}

/** A bare array, `[]` for a customer without any (unverified: the cards endpoint's way). */
function getBankAccounts(ctx: RouteContext): Reply {
  const customer = ctx.id === undefined ? undefined : ctx.store.get(ctx.id);
  if (customer === undefined) return error(404, INVALID_ID);
  return { status: 200, body: ctx.store.bankAccountsOf(customer.id) };
}

/** A bare array of PAD objects (unverified: the docs show one PAD wrapped in `{"pad": ...}`). */
function getPads(ctx: RouteContext): Reply {
  const customer = ctx.id === undefined ? undefined : ctx.store.get(ctx.id);
  if (customer === undefined) return error(404, INVALID_ID);
  return { status: 200, body: ctx.store.padsOf(customer.id) };
}

async function readCustomerBody(
  ctx: RouteContext,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; reply: Reply }> {
  const body = await ctx.readBody();
  switch (body.kind) {
    case 'too-large':
      return { ok: false, reply: error(413, ['Request body is too large (limit 1 MB)']) };
    case 'invalid-json':
      return { ok: false, reply: error(400, ['Request body is not valid JSON']) };
    case 'aborted':
      return { ok: false, reply: error(400, ['Request body was cut short']) };
    case 'empty':
      // An empty body is an empty object to Helcim's validator: the name rule answers it.
      return { ok: true, body: {} };
    case 'json':
      if (!isPlainObject(body.value)) {
        return { ok: false, reply: error(400, ['Request body must be a JSON object']) };
      }
      return { ok: true, body: body.value };
  }
}

async function createCustomer(ctx: RouteContext): Promise<Reply> {
  const read = await readCustomerBody(ctx);
  if (!read.ok) return read.reply;
  const validation = validateCustomerBody(read.body);
  if (!validation.ok) return error(400, validation.errors);
  try {
    const customer = ctx.store.create(validation.input);
    ctx.changed();
    // Only the create answer has the zeroed date; a GET a second later shows dateCreated (recorded).
    return { status: 200, body: { ...customer, dateUpdated: ZERO_DATE } };
  } catch (caught) {
    if (caught instanceof DuplicateCodeError) return error(400, caught.message);
    throw caught;
  }
}

async function updateCustomer(ctx: RouteContext): Promise<Reply> {
  if (ctx.id === undefined || ctx.store.get(ctx.id) === undefined) return error(404, INVALID_ID);
  const read = await readCustomerBody(ctx);
  if (!read.ok) return read.reply;
  const validation = validateCustomerBody(read.body);
  if (!validation.ok) return error(400, validation.errors);
  try {
    const customer = ctx.store.update(ctx.id, validation.input);
    if (customer === undefined) return error(404, INVALID_ID);
    ctx.changed();
    return { status: 200, body: customer };
  } catch (caught) {
    if (caught instanceof DuplicateCodeError) return error(400, caught.message);
    throw caught;
  }
}
