/**
 * Injected failures for /v2 requests, drawn from a seeded PRNG so a run repeats exactly: one
 * draw per admitted request, walked against the kinds in FAULT_KINDS order.
 */
import { SyncError } from '../core/errors.js';
import { mulberry32 } from '../core/random.js';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './types.js';

function isFaultKind(text: string): text is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(text);
}

function specError(spec: string, reason: string): SyncError {
  return new SyncError('ERR_EMULATOR', `invalid fault spec "${spec}": ${reason}`, {
    hint: `write KIND:PROBABILITY pairs joined by commas, e.g. "500:0.05,reset:0.01"; kinds: ${FAULT_KINDS.join(', ')}`,
  });
}

/** `500:0.05,reset:0.01` to `{ "500": 0.05, reset: 0.01 }`; throws a clear error otherwise. */
export function parseFaultSpec(spec: string): FaultSpec {
  const out: FaultSpec = {};
  if (spec.trim() === '') return out;
  for (const pair of spec.split(',')) {
    const [kind, probability, extra] = pair.trim().split(':');
    if (kind === undefined || probability === undefined || extra !== undefined) {
      throw specError(spec, `"${pair.trim()}" is not KIND:PROBABILITY`);
    }
    if (!isFaultKind(kind)) throw specError(spec, `unknown kind "${kind}"`);
    if (out[kind] !== undefined) throw specError(spec, `"${kind}" is given twice`);
    out[kind] = checkProbability(spec, kind, Number(probability.trim() === '' ? NaN : probability));
  }
  checkTotal(spec, out);
  return out;
}

function checkProbability(spec: string, kind: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw specError(spec, `the probability of "${kind}" must be a number from 0 to 1`);
  }
  return value;
}

function checkTotal(spec: string, faults: FaultSpec): void {
  const total = Object.values(faults).reduce((sum, p) => sum + p, 0);
  if (total > 1 + 1e-9) throw specError(spec, `the probabilities add up to ${total}, over 1`);
}

/** Validates a programmatic spec the way parseFaultSpec validates text. */
export function normalizeFaultSpec(faults: string | FaultSpec | undefined): FaultSpec {
  if (faults === undefined) return {};
  if (typeof faults === 'string') return parseFaultSpec(faults);
  const label = JSON.stringify(faults);
  for (const [kind, p] of Object.entries(faults)) {
    if (!isFaultKind(kind)) throw specError(label, `unknown kind "${kind}"`);
    checkProbability(label, kind, p);
  }
  checkTotal(label, faults);
  return { ...faults };
}

export class FaultInjector {
  private random: () => number;
  private readonly active: boolean;

  constructor(
    private readonly spec: FaultSpec,
    private readonly seed: number,
  ) {
    this.random = mulberry32(seed);
    this.active = Object.values(spec).some((p) => p > 0);
  }

  /** The fault for the next request, if any. */
  next(): FaultKind | undefined {
    if (!this.active) return undefined;
    const draw = this.random();
    let edge = 0;
    for (const kind of FAULT_KINDS) {
      edge += this.spec[kind] ?? 0;
      if (draw < edge) return kind;
    }
    return undefined;
  }

  reset(): void {
    this.random = mulberry32(this.seed);
  }
}

/** Whether a request with `method` is a write, the only kind the `reject` fault refuses. */
export function isWriteMethod(method: string): boolean {
  return method === 'POST' || method === 'PUT';
}

/** Why a write is refused: the field a provider's error names, and its reason. */
export interface Refusal {
  field: string;
  reason: string;
}

/** A JSON body's text values by dotted path: top level, then one level down (an address). */
function textFields(body: unknown): [string, string][] {
  if (!isObject(body)) return [];
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out.push([key, value]);
    else if (isObject(value)) {
      for (const [sub, inner] of Object.entries(value)) {
        if (typeof inner === 'string') out.push([`${key}.${sub}`, inner]);
      }
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface RefusalRule {
  /** The `reject` fault was drawn for this write. */
  drawn: boolean;
  /** An emulator's `rejectValue`: a write with a text field holding it is always refused. */
  rejectValue: string | undefined;
  /** Fields a drawn refusal names first, when the body has them (a name rather than a code). */
  preferred: readonly string[];
  /** The field a drawn refusal names when the body has no text at all. */
  fallback: string;
}

/**
 * The refusal of a write, if it gets one: first `rejectValue` (deterministic, so a test can
 * pick the records that fail), then the drawn fault. Never a duplicate-code message: clients
 * treat those as a conflict, not as a record to fix.
 */
export function refusalOf(body: unknown, rule: RefusalRule): Refusal | undefined {
  const fields = textFields(body);
  const value = rule.rejectValue;
  if (value !== undefined && value !== '') {
    const hit = fields.find(([, text]) => text.includes(value));
    if (hit !== undefined)
      return {
        field: hit[0],
        reason: `${hit[0]} is not accepted: it holds "${value}" (emulator: rejectValue)`,
      };
  }
  if (!rule.drawn) return undefined;
  const present = new Set(fields.filter(([, text]) => text !== '').map(([path]) => path));
  const field = rule.preferred.find((f) => present.has(f)) ?? fields[0]?.[0] ?? rule.fallback;
  return { field, reason: `${field} is not accepted (emulator: fault "reject")` };
}
