/** Shared by the Payment Kit client tests: an emulator on port 0 and clients pointed at it. */
import { startPaymentKitEmulator } from '../../../../src/providers/payment-kit/emulator/index.js';
import type {
  PaymentKitEmulatorHandle,
  PaymentKitEmulatorOptions,
} from '../../../../src/providers/payment-kit/emulator/types.js';
import { PaymentKitClient } from '../../../../src/providers/payment-kit/client/client.js';
import type {
  PaymentKitClientOptions,
  PaymentKitEvent,
} from '../../../../src/providers/payment-kit/client/options.js';

/** Distinctive, so that a search of any output for it cannot match by accident. */
export const KEY = 'blocklet-SECRET-k3y-7f2a9c';

export interface Setup {
  emu: PaymentKitEmulatorHandle;
  events: PaymentKitEvent[];
  client(options?: Partial<PaymentKitClientOptions>): PaymentKitClient;
  close(): Promise<void>;
}

export async function setup(options: PaymentKitEmulatorOptions = {}): Promise<Setup> {
  const emu = await startPaymentKitEmulator({ port: 0, token: KEY, ...options });
  const clients: PaymentKitClient[] = [];
  const events: PaymentKitEvent[] = [];
  return {
    emu,
    events,
    client: (overrides = {}) => {
      const client = new PaymentKitClient({
        baseUrl: emu.url,
        accessKey: KEY,
        livemode: true,
        onEvent: (event) => events.push(event),
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) await client.close();
      await emu.close();
    },
  };
}

/** How many times the emulator answered `template` (e.g. `GET /api/customers`), any status. */
export function callsTo(emu: PaymentKitEmulatorHandle, template: string): number {
  return Object.values(emu.stats().requests[template] ?? {}).reduce((sum, n) => sum + n, 0);
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

/** Every customer of a mode read with plain fetch, page by page: the oracle, not the client. */
export async function rawAll(
  emu: PaymentKitEmulatorHandle,
  livemode = true,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(
      `${emu.url}/api/customers?page=${page}&pageSize=100&livemode=${livemode}`,
      { headers: { authorization: `Bearer ${emu.token}` } },
    );
    const body: unknown = await res.json();
    const list: unknown =
      typeof body === 'object' && body !== null && 'list' in body ? body.list : undefined;
    if (!Array.isArray(list)) throw new Error(`not a list answer: ${JSON.stringify(body)}`);
    for (const item of list) {
      if (typeof item !== 'object' || item === null) throw new Error('not a customer');
      out.push({ ...item });
    }
    if (list.length < 100) return out;
  }
}

/** Polls until `done()` holds; a generous bound, since the machine may be slow, not a timing. */
export async function waitFor(done: () => boolean, withinMs = 20_000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`not reached within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
