/**
 * The reliability rig: a size knob (small under `npm test`, the sizes under
 * `RELIABILITY=full`), an emulator in this process whose state can outlive it (so the account can
 * be re-opened without faults to be checked), the built CLI as a child process, and a listing of
 * the account over plain HTTP, mapped by hand, so the client under test never checks itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HelcimCustomer } from '../../src/providers/helcim/fields.js';
import type { Address } from '../../src/providers/helcim/fields.js';
import { ADDRESS_FIELDS } from '../../src/providers/helcim/fields.js';
import { mulberry32 } from '../../src/core/random.js';
import {
  startEmulator,
  type EmulatorHandle,
  type EmulatorOptions,
  type EmulatorStats,
} from '../../src/emulator/index.js';
import type { CliRun } from '../support/cli.js';
import { CliFolder } from '../support/folder.js';

export const FULL = process.env['RELIABILITY'] === 'full';

/** The small figure under `npm test`, the figure under `npm run test:reliability`. */
export function size(small: number, full: number): number {
  return FULL ? full : small;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A run in an assertion message: exit, signal and both streams (cut, they can be long). */
export function show(run: CliRun): string {
  const cut = (s: string): string => (s.length > 4000 ? `${s.slice(0, 4000)}\n[...]` : s);
  return `exit ${run.code} (${run.signal ?? 'no signal'})\n--- stdout\n${cut(run.stdout)}\n--- stderr\n${cut(run.stderr)}`;
}

/** Requests by method over every /v2 route. */
export function requestsOf(stats: EmulatorStats, method: string): number {
  let total = 0;
  for (const [route, byOutcome] of Object.entries(stats.requests)) {
    if (!route.startsWith(`${method} `)) continue;
    for (const n of Object.values(byOutcome)) total += n;
  }
  return total;
}

export function writesOf(stats: EmulatorStats): number {
  return requestsOf(stats, 'POST') + requestsOf(stats, 'PUT');
}

/** A customer as the emulator holds it, reduced to what the tests compare. */
export interface Listed {
  id: number;
  code: string;
  data: HelcimCustomer;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Helcim's wire shape to the canonical one: `cellphone`, `""` for unset, `""` addresses. */
function addressOf(value: unknown): Address | undefined {
  if (!isRecord(value)) return undefined;
  const out: Address = {};
  for (const field of ADDRESS_FIELDS) {
    const v = text(value[field]);
    if (v !== undefined) out[field] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

export function fromWire(value: unknown): Listed {
  if (
    !isRecord(value) ||
    typeof value['id'] !== 'number' ||
    typeof value['customerCode'] !== 'string'
  )
    throw new Error(`not a customer: ${JSON.stringify(value)}`);
  const data: HelcimCustomer = { customerCode: value['customerCode'] };
  const contactName = text(value['contactName']);
  const businessName = text(value['businessName']);
  const cellPhone = text(value['cellphone']);
  const billingAddress = addressOf(value['billingAddress']);
  const shippingAddress = addressOf(value['shippingAddress']);
  if (contactName !== undefined) data.contactName = contactName;
  if (businessName !== undefined) data.businessName = businessName;
  if (cellPhone !== undefined) data.cellPhone = cellPhone;
  if (billingAddress !== undefined) data.billingAddress = billingAddress;
  if (shippingAddress !== undefined) data.shippingAddress = shippingAddress;
  return { id: value['id'], code: value['customerCode'], data };
}

/** Codes held by more than one customer. */
export function duplicateCodes(customers: readonly Listed[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const c of customers) {
    if (seen.has(c.code)) dup.add(c.code);
    seen.add(c.code);
  }
  return [...dup].sort();
}

export class Rig extends CliFolder {
  private constructor(
    public emulator: EmulatorHandle,
    dir: string,
    private readonly token: string | undefined,
  ) {
    super(dir, 120_000);
  }

  /** The emulator keeps its state in the rig's folder, so `reopen` can bring it back. */
  static async start(options: EmulatorOptions = {}): Promise<Rig> {
    const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-reliability-'));
    const emulator = await startEmulator({
      port: 0,
      rateLimit: 'off',
      statePath: join(dir, 'emulator-state.json'),
      ...options,
    });
    return new Rig(emulator, dir, options.token);
  }

  /** Stops the emulator (saving its state) and starts it again with other options. */
  async reopen(options: EmulatorOptions = {}): Promise<void> {
    await this.emulator.close();
    this.emulator = await startEmulator({
      port: 0,
      rateLimit: 'off',
      statePath: join(this.dir, 'emulator-state.json'),
      ...(this.token === undefined ? {} : { token: this.token }),
      ...options,
    });
  }

  get env(): NodeJS.ProcessEnv {
    return { HELCIM_API_URL: this.emulator.url, HELCIM_API_TOKEN: this.emulator.token };
  }

  /** `files()` leaves out the emulator's own state. */
  protected override ownFile(name: string): boolean {
    return name.startsWith('emulator-state');
  }

  /** Pacing off unless asked, for the commands that talk to Helcim: the emulator has no limits. */
  protected override argsFor(args: readonly string[]): string[] {
    const talks = args[0] === 'plan' || args[0] === 'apply';
    return talks && !args.includes('--rate-limit') ? [...args, '--rate-limit', 'off'] : [...args];
  }

  stats(): EmulatorStats {
    return this.emulator.stats();
  }

  /** Every customer, page by page over plain HTTP; meant for an emulator without faults. */
  async customers(): Promise<Listed[]> {
    const all: Listed[] = [];
    for (let page = 1; ; page++) {
      const response = await fetch(`${this.emulator.url}/customers?limit=100&page=${page}`, {
        headers: { 'api-token': this.emulator.token, accept: 'application/json' },
      });
      const body: unknown = await response.json();
      if (response.status !== 200 || !Array.isArray(body))
        throw new Error(`listing page ${page}: ${response.status} ${JSON.stringify(body)}`);
      for (const item of body) all.push(fromWire(item));
      if (body.length < 100) return all;
    }
  }

  async close(): Promise<void> {
    await this.emulator.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Generated customers, already in canonical form (what normalisation would make of them), so an
// account can be compared with them field by field.

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'José',
  'Zoë',
  'Ngozi',
  'Łukasz',
  'Siobhán',
  'Hiro',
  'Amélie',
];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Núñez', "O'Brien", 'Okafor', 'Wójcik', 'Tanaka'];
const PLACES: readonly [city: string, province: string, country: string, postal: string][] = [
  ['Calgary', 'AB', 'CAN', 'T2P 1J9'],
  ['Montréal', 'QC', 'CAN', 'H3B 1A7'],
  ['New York', 'NY', 'USA', '10001'],
  ['Austin', 'TX', 'USA', '73301'],
  ['London', '', 'GBR', 'SW1A 1AA'],
];

export type GeneratedCustomer = HelcimCustomer & {
  customerCode: string;
};

function pick<T>(rand: () => number, list: readonly T[]): T {
  const value = list[Math.floor(rand() * list.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

function digits(rand: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(rand() * 10));
  return out;
}

/** `count` customers `PREFIX-0000`..., some with a business, a phone, one or two addresses. */
export function generateCustomers(
  count: number,
  seed: number,
  prefix: string,
): GeneratedCustomer[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => {
    const name = `${pick(rand, FIRST)} ${pick(rand, LAST)}`;
    const c: GeneratedCustomer = {
      customerCode: `${prefix}-${String(i).padStart(4, '0')}`,
      contactName: name,
    };
    if (rand() < 0.3) c.businessName = `${pick(rand, LAST)} & Co`;
    if (rand() < 0.7) c.cellPhone = `403${digits(rand, 7)}`;
    if (rand() < 0.6) c.billingAddress = address(rand, name);
    if (rand() < 0.2) c.shippingAddress = address(rand, name);
    return c;
  });
}

function address(rand: () => number, name: string): Address {
  const [city, province, country, postalCode] = pick(rand, PLACES);
  const a: Address = { name, street1: `${1 + Math.floor(rand() * 999)} Main St`, postalCode };
  a.city = city;
  a.country = country;
  if (province !== '') a.province = province;
  if (rand() < 0.3) a.email = `${name.split(' ')[0]?.toLowerCase() ?? 'x'}@example.com`;
  return a;
}

/**
 * A variant of `c` that differs in one or two fields `c` sets (for updates). Fields `c` leaves
 * unset are not managed, so a value there would rightly survive the sync.
 */
export function edited(c: GeneratedCustomer, rand: () => number): GeneratedCustomer {
  const out: GeneratedCustomer = structuredClone(c);
  out.contactName = `${c.contactName ?? 'Someone'} ${pick(rand, ['Jr', 'Sr', 'II'])}`;
  if (c.cellPhone !== undefined && rand() < 0.5) out.cellPhone = `587${digits(rand, 7)}`;
  if (out.billingAddress !== undefined && rand() < 0.5) out.billingAddress.street1 = '2 Side Rd';
  return out;
}

/** Strings double-quoted (JSON escapes are valid YAML), so any text round-trips. */
export function yamlOf(customers: readonly HelcimCustomer[]): string {
  const lines = ['customers:'];
  const q = (v: string): string => JSON.stringify(v);
  for (const c of customers) {
    let first = true;
    const put = (key: string, value: string): void => {
      lines.push(`${first ? '  - ' : '    '}${key}: ${q(value)}`);
      first = false;
    };
    for (const key of ['customerCode', 'contactName', 'businessName', 'cellPhone'] as const) {
      const v = c[key];
      if (v !== undefined) put(key, v);
    }
    for (const kind of ['billingAddress', 'shippingAddress'] as const) {
      const a = c[kind];
      if (a === undefined) continue;
      lines.push(`${first ? '  - ' : '    '}${kind}:`);
      first = false;
      for (const f of ADDRESS_FIELDS) {
        const v = a[f];
        if (v !== undefined) lines.push(`      ${f}: ${q(v)}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** `n` distinct whole numbers in [1, max - 1], ascending, from a seeded generator. */
export function killPoints(n: number, max: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const points = new Set<number>();
  while (points.size < Math.min(n, max - 1)) points.add(1 + Math.floor(rand() * (max - 1)));
  return [...points].sort((a, b) => a - b);
}

/** Each line of a JSON-lines file, parsed; a line that does not parse fails the test. */
export function jsonLines(content: string): unknown[] {
  return content
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l);
      } catch {
        throw new Error(`journal line ${i + 1} is not JSON: ${l}`);
      }
    });
}

/** Compares the account with the desired customers, field by field, keyed by code. */
export function differences(
  listed: readonly Listed[],
  desired: readonly GeneratedCustomer[],
): string[] {
  const byCode = new Map(listed.map((c) => [c.code, c]));
  const out: string[] = [];
  for (const d of desired) {
    const found = byCode.get(d.customerCode);
    if (found === undefined) out.push(`${d.customerCode}: missing`);
    else if (JSON.stringify(sortKeys(found.data)) !== JSON.stringify(sortKeys(d)))
      out.push(
        `${d.customerCode}: ${JSON.stringify(sortKeys(found.data))} != ${JSON.stringify(sortKeys(d))}`,
      );
  }
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys(value[k])]),
  );
}
