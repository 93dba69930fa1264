/** Counters behind GET /__emulator/stats; a versioned JSON contract (see EmulatorStats). */
import { STATS_VERSION, type EmulatorStats, type FaultKind } from './types.js';

export type RequestCounts = Pick<
  EmulatorStats,
  'requests' | 'totalRequests' | 'faults' | 'rateLimited'
>;

export class StatsRecorder {
  private requests = new Map<string, Map<string, number>>();
  private total = 0;
  private faults = new Map<FaultKind, number>();
  private rateLimited = 0;

  /** `outcome` is the status sent, or the fault kind when none was. */
  record(route: string, outcome: number | FaultKind): void {
    this.total++;
    let byOutcome = this.requests.get(route);
    if (byOutcome === undefined) {
      byOutcome = new Map();
      this.requests.set(route, byOutcome);
    }
    const key = String(outcome);
    byOutcome.set(key, (byOutcome.get(key) ?? 0) + 1);
  }

  fault(kind: FaultKind): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + 1);
  }

  limited(): void {
    this.rateLimited++;
  }

  reset(): void {
    this.requests.clear();
    this.faults.clear();
    this.total = 0;
    this.rateLimited = 0;
  }

  /** The provider-neutral counters; each emulator adds its own fields around them. */
  counts(): RequestCounts {
    const requests: Record<string, Record<string, number>> = {};
    for (const [route, byOutcome] of this.requests) requests[route] = Object.fromEntries(byOutcome);
    return {
      requests,
      totalRequests: this.total,
      faults: Object.fromEntries(this.faults),
      rateLimited: this.rateLimited,
    };
  }

  snapshot(extra: {
    customers: number;
    peakInFlight: number;
    duplicateCodes: number;
  }): EmulatorStats {
    const { requests, totalRequests, faults, rateLimited } = this.counts();
    return {
      version: STATS_VERSION,
      requests,
      totalRequests,
      peakInFlight: extra.peakInFlight,
      customers: extra.customers,
      faults,
      rateLimited,
      duplicateCodes: extra.duplicateCodes,
    };
  }
}
