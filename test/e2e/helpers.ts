/**
 * The end-to-end rig: a real emulator in this process on port 0, the built CLI spawned as a child
 * with the emulator's URL and token in its environment, files in a fresh temporary folder, and a
 * look at the emulator's customers over plain HTTP (not through the client under test).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions, EmulatorStats } from '../../src/emulator/index.js';
import type { CliRun } from '../support/cli.js';
import { CliFolder } from '../support/folder.js';

/** The fields of an emulator customer the tests look at. */
export interface WireCustomer {
  id: number;
  customerCode: string;
  contactName: string;
  businessName: string;
  cellphone: string;
}

function isWireCustomer(value: unknown): value is WireCustomer {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'number' &&
    'customerCode' in value &&
    typeof value.customerCode === 'string' &&
    'contactName' in value &&
    typeof value.contactName === 'string' &&
    'businessName' in value &&
    typeof value.businessName === 'string' &&
    'cellphone' in value &&
    typeof value.cellphone === 'string'
  );
}

/** A desired record as the tests write them into YAML. */
export interface Person {
  customerCode: string;
  contactName: string;
  cellPhone?: string;
  city?: string;
}

export function people(count: number, prefix = 'E2E', from = 0): Person[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      customerCode: `${prefix}-${String(i).padStart(4, '0')}`,
      contactName: `Person ${i}`,
      cellPhone: `0412${String(i).padStart(6, '0')}`,
    };
  });
}

/** Strings are written double-quoted (JSON escapes are valid YAML), so any text round-trips. */
export function yamlOf(records: readonly Person[]): string {
  const lines = ['customers:'];
  for (const r of records) {
    lines.push(`  - customerCode: ${JSON.stringify(r.customerCode)}`);
    lines.push(`    contactName: ${JSON.stringify(r.contactName)}`);
    if (r.cellPhone !== undefined) lines.push(`    cellPhone: ${JSON.stringify(r.cellPhone)}`);
    if (r.city !== undefined) {
      lines.push('    billingAddress:');
      lines.push(`      name: ${JSON.stringify(r.contactName)}`);
      lines.push('      street1: "1 Main St"');
      lines.push(`      city: ${JSON.stringify(r.city)}`);
      lines.push('      province: "AB"');
      lines.push('      country: "CAN"');
      lines.push('      postalCode: "T2P 1J9"');
    }
  }
  return lines.join('\n') + '\n';
}

/** What the emulators' stats share: requests by route, then by status or fault. */
export type RequestStats = Pick<EmulatorStats, 'requests'>;

/** Requests by method over every route, from the emulator's stats. */
export function countRequests(stats: RequestStats, method: string): number {
  let total = 0;
  for (const [route, byOutcome] of Object.entries(stats.requests)) {
    if (!route.startsWith(`${method} `)) continue;
    for (const n of Object.values(byOutcome)) total += n;
  }
  return total;
}

export function writes(stats: RequestStats): number {
  return countRequests(stats, 'POST') + countRequests(stats, 'PUT');
}

/** Successful answers to one route, e.g. `POST /v2/customers`. */
export function answered(stats: RequestStats, route: string, status = '200'): number {
  return stats.requests[route]?.[status] ?? 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Sandbox extends CliFolder {
  private constructor(
    readonly emulator: EmulatorHandle,
    dir: string,
  ) {
    super(dir, 30_000);
  }

  static async start(options: EmulatorOptions = {}): Promise<Sandbox> {
    const emulator = await startEmulator({ port: 0, rateLimit: 'off', ...options });
    return new Sandbox(emulator, mkdtempSync(join(tmpdir(), 'helcim-sync-e2e-')));
  }

  get env(): NodeJS.ProcessEnv {
    return { HELCIM_API_URL: this.emulator.url, HELCIM_API_TOKEN: this.emulator.token };
  }

  /** Pacing off unless a test asks for it: the emulator runs without limits by default. */
  protected override argsFor(args: readonly string[]): string[] {
    return args.includes('--rate-limit') ? [...args] : [...args, '--rate-limit', 'off'];
  }

  stats(): EmulatorStats {
    return this.emulator.stats();
  }

  /**
   * A request straight to the emulator (as the Helcim UI or another tool would make it), retried
   * through injected faults: GET and PUT are harmless to repeat; POST is for fault-free sandboxes.
   */
  async request(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let last = '';
    for (let attempt = 0; attempt < 30; attempt++) {
      let status: number;
      let text: string;
      try {
        const response = await fetch(`${this.emulator.url}${path}`, {
          method,
          headers: {
            'api-token': this.emulator.token,
            accept: 'application/json',
            'content-type': 'application/json',
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(5_000),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        last = String(error);
        await sleep(20);
        continue;
      }
      if (status === 200) return JSON.parse(text);
      last = `${method} ${path}: ${status} ${text}`;
      if (status !== 429 && status < 500) break;
      await sleep(20);
    }
    throw new Error(last);
  }

  /** Every customer in the emulator, listed page by page over HTTP. */
  async customers(): Promise<WireCustomer[]> {
    const all: WireCustomer[] = [];
    for (let page = 1; ; page++) {
      const body = await this.request('GET', `/customers?limit=100&page=${page}`);
      if (!Array.isArray(body)) throw new Error('the listing is not an array');
      for (const item of body) {
        if (!isWireCustomer(item)) throw new Error(`not a customer: ${JSON.stringify(item)}`);
        all.push(item);
      }
      if (body.length < 100) return all;
    }
  }

  async customerByCode(code: string): Promise<WireCustomer> {
    const body = await this.request('GET', `/customers?customerCode=${encodeURIComponent(code)}`);
    if (!Array.isArray(body) || body.length !== 1 || !isWireCustomer(body[0]))
      throw new Error(`expected exactly one customer ${code}, got ${JSON.stringify(body)}`);
    return body[0];
  }

  async close(): Promise<void> {
    await this.emulator.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The customer codes in the emulator, sorted; fails on a duplicate. */
export function codesOf(customers: readonly WireCustomer[]): string[] {
  return customers.map((c) => c.customerCode).sort();
}

export function duplicates(customers: readonly WireCustomer[]): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const c of customers) {
    if (seen.has(c.customerCode)) dup.push(c.customerCode);
    seen.add(c.customerCode);
  }
  return dup;
}

/** Parses a CLI's JSON stdout, failing the test with the output when it is not JSON. */
export function jsonOut(run: CliRun): unknown {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `run` in a message: the exit code and both streams, for assertion failures. */
export function show(run: CliRun): string {
  return `exit ${run.code} (${run.signal ?? 'no signal'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}
