import { setImmediate as tick } from 'node:timers/promises';
import {
  startPaymentKitEmulator,
  type PaymentKitEmulatorHandle,
  type PaymentKitEmulatorOptions,
} from '../../../../src/providers/payment-kit/emulator/index.js';
import { isRecord } from '../../helcim/emulator/helpers.js';

export { arr, isRecord, num, obj } from '../../helcim/emulator/helpers.js';

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Replaces the default bearer header when given. */
  headers?: Record<string, string>;
}

export interface Api {
  emulator: PaymentKitEmulatorHandle;
  /** `path` is relative to the base URL (the mount point), e.g. `/api/customers`. */
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  get(path: string): Promise<Answer>;
  put(id: string, body: unknown, livemode?: boolean): Promise<Answer>;
  /** Every customer of a mode, page by page (no churn in between). */
  all(livemode?: boolean): Promise<Record<string, unknown>[]>;
}

export async function fetchAnswer(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export async function startApi(options: PaymentKitEmulatorOptions = {}): Promise<Api> {
  const emulator = await startPaymentKitEmulator(options);
  const call: Api['call'] = (method, path, { body, headers } = {}) => {
    const init: RequestInit = {
      method,
      headers: headers ?? {
        authorization: `Bearer ${emulator.token}`,
        'content-type': 'application/json',
      },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    return fetchAnswer(`${emulator.url}${path}`, init);
  };
  const api: Api = {
    emulator,
    call,
    get: (path) => call('GET', path),
    put: (id, body, livemode = true) =>
      call('PUT', `/api/customers/${id}?livemode=${livemode}`, { body }),
    all: async (livemode = true) => {
      const out: Record<string, unknown>[] = [];
      for (let page = 1; ; page++) {
        const res = await api.get(`/api/customers?pageSize=100&page=${page}&livemode=${livemode}`);
        const list = listOf(res.body);
        out.push(...list);
        if (list.length < 100) return out;
      }
    },
  };
  return api;
}

/** The `list` of a list answer, each element an object; fails the test otherwise. */
export function listOf(body: unknown): Record<string, unknown>[] {
  if (!isRecord(body) || !Array.isArray(body['list'])) {
    throw new Error(`expected a list answer, got ${JSON.stringify(body)}`);
  }
  return body['list'].map((item: unknown) => {
    if (!isRecord(item)) throw new Error(`expected customer objects, got ${JSON.stringify(item)}`);
    return item;
  });
}

export function ids(body: unknown): string[] {
  return listOf(body).map((c) => String(c['id']));
}

/** Headers as the official SDK sends them (see the contract): valid for five minutes. */
export function signedHeaders(
  now: Date,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const iat = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'x-component-sig': `0x${'ab'.repeat(64)}`,
    'x-component-sig-iat': String(iat),
    'x-component-sig-exp': String(iat + 300),
    'x-component-sig-version': '1',
    ...overrides,
  };
}

/** Waits (in event-loop turns, up to ~2 s) until `check` holds; never a fixed sleep. */
export async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (check()) return;
    await (i < 100 ? tick() : new Promise((resolve) => setTimeout(resolve, 1)));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The example customer object of the contract, keys in order (plus `shipping`, see README). */
export const CUSTOMER_KEYS = [
  'id',
  'livemode',
  'did',
  'name',
  'email',
  'phone',
  'description',
  'address',
  'shipping',
  'balance',
  'delinquent',
  'metadata',
  'invoice_prefix',
  'created_at',
  'updated_at',
];
export const ADDRESS_KEYS = ['country', 'state', 'city', 'line1', 'line2', 'postal_code'];
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const FIXED_NOW = new Date('2025-03-01T12:00:00.000Z');

/** Runs `body` against a fresh emulator, closed afterwards whatever happens. */
export async function withApi(
  options: PaymentKitEmulatorOptions,
  body: (api: Api) => Promise<void>,
): Promise<void> {
  const api = await startApi(options);
  try {
    await body(api);
  } finally {
    await api.emulator.close();
  }
}
