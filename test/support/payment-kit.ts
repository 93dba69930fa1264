/**
 * The Payment Kit rig: its emulator in this process (state kept in the rig's folder, so the
 * account can be re-opened without faults to be checked), a config naming the provider and the
 * mode, the built CLI with PAYMENT_KIT_URL and PAYMENT_KIT_ACCESS_KEY, and the account read over
 * plain HTTP in the emulator's own wire shape, so the client under test never checks itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import type {
  PaymentKitEmulatorHandle,
  PaymentKitEmulatorOptions,
  PaymentKitEmulatorStats,
} from '../../src/providers/payment-kit/emulator/types.js';
import { CliFolder } from './folder.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTextMap(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** A customer as the emulator sends it; every key is compared, so all of them are kept. */
export interface PkWire extends Record<string, unknown> {
  id: string;
  did: string;
  livemode: boolean;
  name: string | null;
  address: Record<string, string>;
  metadata: Record<string, string>;
  updated_at: string;
}

export function isPkWire(value: unknown): value is PkWire {
  return (
    isObject(value) &&
    typeof value['id'] === 'string' &&
    typeof value['did'] === 'string' &&
    typeof value['livemode'] === 'boolean' &&
    (value['name'] === null || typeof value['name'] === 'string') &&
    isTextMap(value['address']) &&
    isTextMap(value['metadata']) &&
    typeof value['updated_at'] === 'string'
  );
}

/** A desired record as the tests write it: `null` in metadata removes the key. */
export interface PkDesired {
  did: string;
  name?: string;
  email?: string;
  phone?: string;
  description?: string;
  address?: Record<string, string>;
  metadata?: Record<string, string | null>;
}

const TEXT_FIELDS = ['name', 'email', 'phone', 'description'] as const;

/** Strings double-quoted (JSON escapes are valid YAML), so any text round-trips. */
export function pkYaml(records: readonly PkDesired[]): string {
  const q = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));
  const lines = ['customers:'];
  for (const r of records) {
    lines.push(`  - did: ${q(r.did)}`);
    for (const field of TEXT_FIELDS) {
      const v = r[field];
      if (v !== undefined) lines.push(`    ${field}: ${q(v)}`);
    }
    for (const group of ['address', 'metadata'] as const) {
      const map = r[group];
      if (map === undefined) continue;
      lines.push(`    ${group}:`);
      for (const [key, value] of Object.entries(map)) lines.push(`      ${q(key)}: ${q(value)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The customer Payment Kit should hold once `desired` is applied to `before`, as the issue
 * defines it: the fields given are set, address keys one by one, metadata key by key (`null`
 * removes, keys only in Payment Kit stay); nothing else changes. `updated_at` is left out.
 */
export function expectedAfter(before: PkWire, desired: PkDesired): Omit<PkWire, 'updated_at'> {
  const { updated_at: _updated, ...after } = structuredClone(before);
  for (const field of TEXT_FIELDS) {
    const v = desired[field];
    if (v !== undefined) after[field] = v;
  }
  if (desired.address !== undefined) after.address = { ...after.address, ...desired.address };
  for (const [key, value] of Object.entries(desired.metadata ?? {})) {
    if (value === null) delete after.metadata[key];
    else after.metadata[key] = value;
  }
  return after;
}

/** A customer without `updated_at`, which moves with every write. */
export function settled(c: PkWire): Omit<PkWire, 'updated_at'> {
  const { updated_at: _updated, ...rest } = c;
  return rest;
}

/** Every answer the emulator recorded, faults included: one per request it finished. */
export function answers(stats: Pick<PaymentKitEmulatorStats, 'requests'>): number {
  let total = 0;
  for (const byOutcome of Object.values(stats.requests))
    for (const n of Object.values(byOutcome)) total += n;
  return total;
}

/** Updates the emulator carried out and answered with 200. */
export function updatesDone(stats: Pick<PaymentKitEmulatorStats, 'requests'>): number {
  return stats.requests['PUT /api/customers/{id}']?.['200'] ?? 0;
}

export interface PkRigOptions {
  /** The config's `livemode:`; test customers unless told otherwise. */
  livemode?: boolean;
}

export class PaymentKitRig extends CliFolder {
  private constructor(
    public emulator: PaymentKitEmulatorHandle,
    dir: string,
    readonly livemode: boolean,
    private readonly token: string | undefined,
  ) {
    super(dir, 120_000);
  }

  /** The emulator keeps its state in the rig's folder, so `reopen` can bring it back. */
  static async start(
    options: PaymentKitEmulatorOptions = {},
    rig: PkRigOptions = {},
  ): Promise<PaymentKitRig> {
    const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-pk-'));
    const emulator = await startEmulator({
      provider: 'payment-kit',
      port: 0,
      statePath: join(dir, 'emulator-state.json'),
      ...options,
    });
    const out = new PaymentKitRig(emulator, dir, rig.livemode ?? false, options.token);
    out.configure(out.livemode);
    return out;
  }

  /** Writes the config: Payment Kit, in the given mode. */
  configure(livemode: boolean): void {
    this.write('helcim-sync.yaml', `provider: payment-kit\nlivemode: ${String(livemode)}\n`);
  }

  /** Stops the emulator (saving its state) and starts it again with other options. */
  async reopen(options: PaymentKitEmulatorOptions = {}): Promise<void> {
    await this.emulator.close();
    this.emulator = await startEmulator({
      provider: 'payment-kit',
      port: 0,
      statePath: join(this.dir, 'emulator-state.json'),
      ...(this.token === undefined ? {} : { token: this.token }),
      ...options,
    });
  }

  get env(): NodeJS.ProcessEnv {
    return { PAYMENT_KIT_URL: this.emulator.url, PAYMENT_KIT_ACCESS_KEY: this.emulator.token };
  }

  protected override ownFile(name: string): boolean {
    return name.startsWith('emulator-state');
  }

  stats(): PaymentKitEmulatorStats {
    return this.emulator.stats();
  }

  /**
   * A request straight to the emulator, as Payment Kit's dashboard or another tool would make
   * it; `path` is under the mount point (`/api/customers`). Meant for an emulator without faults.
   */
  async request(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.emulator.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.emulator.token}`,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text);
  }

  /** Every customer of a mode (the config's by default), page by page. */
  async customers(livemode = this.livemode): Promise<PkWire[]> {
    const all: PkWire[] = [];
    for (let page = 1; ; page++) {
      const body = await this.request(
        'GET',
        `/api/customers?livemode=${String(livemode)}&pageSize=100&page=${page}`,
      );
      if (!isObject(body) || !Array.isArray(body['list']))
        throw new Error(`not a listing: ${JSON.stringify(body)}`);
      for (const item of body['list']) {
        if (!isPkWire(item)) throw new Error(`not a customer: ${JSON.stringify(item)}`);
        all.push(item);
      }
      if (body['list'].length < 100) return all;
    }
  }

  async customer(id: string, livemode = this.livemode): Promise<PkWire> {
    const body = await this.request('GET', `/api/customers/${id}?livemode=${String(livemode)}`);
    if (!isPkWire(body)) throw new Error(`not a customer: ${JSON.stringify(body)}`);
    return body;
  }

  /** An edit made in Payment Kit itself, behind the tool's back. */
  async update(id: string, body: Record<string, unknown>, livemode = this.livemode): Promise<void> {
    await this.request('PUT', `/api/customers/${id}?livemode=${String(livemode)}`, body);
  }

  async close(): Promise<void> {
    await this.emulator.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
