import {
  startEmulator,
  type EmulatorHandle,
  type EmulatorOptions,
} from '../../../../src/emulator/index.js';

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface Api {
  emulator: EmulatorHandle;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  get(path: string): Promise<Answer>;
  post(body: unknown): Promise<Answer>;
  put(id: number, body: unknown): Promise<Answer>;
}

export async function startApi(options: EmulatorOptions = {}): Promise<Api> {
  const emulator = await startEmulator({ rateLimit: 'off', ...options });
  const call: Api['call'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = {
      method,
      headers: {
        'api-token': emulator.token,
        accept: 'application/json',
        'content-type': 'application/json',
        ...headers,
      },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(`${emulator.url}${path}`, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  return {
    emulator,
    call,
    get: (path) => call('GET', path),
    post: (body) => call('POST', '/customers', body),
    put: (id, body) => call('PUT', `/customers/${id}`, body),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as an object, failing the test when it is not one. */
export function obj(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`expected a JSON object, got ${JSON.stringify(value)}`);
  return value;
}

export function arr(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error(`expected a JSON array, got ${JSON.stringify(value)}`);
  return value;
}

export function num(value: unknown): number {
  if (typeof value !== 'number') throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  return value;
}

export const ADDRESS = {
  name: 'John Doe',
  street1: '123 Test Street',
  street2: 'Suite 2',
  city: 'Calgary',
  province: 'AB',
  country: 'CAN',
  postalCode: 'H0H0H0',
  phone: '1234567899',
  email: 'john@example.com',
};

/** The example customer object of seeds/helcim-customers.txt, keys in order. */
export const EXAMPLE_CUSTOMER_KEYS = [
  'id',
  'customerCode',
  'businessName',
  'contactName',
  'dateCreated',
  'dateUpdated',
  'cellphone',
  'billingAddress',
  'shippingAddress',
  'cards',
];
export const EXAMPLE_ADDRESS_KEYS = [
  'name',
  'street1',
  'street2',
  'city',
  'province',
  'country',
  'postalCode',
  'phone',
  'email',
];

export const HELCIM_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Runs `body` against a fresh emulator, closed afterwards whatever happens. */
export async function withApi(
  options: EmulatorOptions,
  body: (api: Api) => Promise<void>,
): Promise<void> {
  const api = await startApi(options);
  try {
    await body(api);
  } finally {
    await api.emulator.close();
  }
}
