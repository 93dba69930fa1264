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
