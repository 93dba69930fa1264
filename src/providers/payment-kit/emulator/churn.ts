/**
 * Churn: customers arriving by checkout while the server runs, so that a client's listing meets
 * pages that shift under it (a new customer is newest, first on page 1, and pushes every later
 * customer one place down). Driven by the injected clock, never by wall time, so a test moves
 * time forward and knows exactly how many arrived.
 */
import type { Clock } from '../../../core/clock.js';
import type { CheckoutOptions, PkCustomer } from './types.js';

export interface ChurnOptions {
  /** Customers a minute in each mode; 0 turns churn off. */
  perMinute: number;
  /** A minute lasts 60000 / timeScale ms of the clock. */
  timeScale: number;
  clock: Clock;
  checkout(count: number, options?: CheckoutOptions): PkCustomer[];
}

/** Starts the arrivals; the function returned stops them (idempotent). */
export function startChurn(options: ChurnOptions): () => void {
  if (options.perMinute <= 0) return () => undefined;
  const interval = 60_000 / options.timeScale / options.perMinute;
  const controller = new AbortController();
  void (async () => {
    for (;;) {
      try {
        await options.clock.sleep(interval, controller.signal);
      } catch {
        return;
      }
      // One a tick in each mode, live first, so both sets shift alike.
      options.checkout(1, { livemode: true });
      options.checkout(1, { livemode: false });
    }
  })();
  return () => controller.abort();
}
