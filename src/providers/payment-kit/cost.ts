/** What reading Payment Kit costs, in calls, and its limits: light, for planner and client. */
import type { RateLimits } from '../../core/rate-limits.js';
import type { FetchCostModel } from '../../remote/port.js';

/** The largest page the client asks for (the contract's choice: `pageSize` clamped to 1..100). */
export const PAYMENT_KIT_PAGE_SIZE = 100;

/**
 * Payment Kit's answer carries `count`, so a listing costs exactly ceil(count / 100) calls when
 * nobody checks out meanwhile (one call for an empty account). Customers arriving during the
 * listing cost re-reads on top (see client/listing.ts); no model made before the first call can
 * know them. A lookup by id or DID is one call.
 */
export const paymentKitCost: FetchCostModel = {
  list: (accountSize) => Math.max(1, Math.ceil(Math.max(0, accountSize) / PAYMENT_KIT_PAGE_SIZE)),
  lookup: (codeCount) => Math.max(0, codeCount),
  pageSize: PAYMENT_KIT_PAGE_SIZE,
};

/** No rate limit is documented: only the client's own bound on requests in flight. */
export const PAYMENT_KIT_LIMITS: Readonly<RateLimits> = {
  concurrent: 5,
  perMinute: Infinity,
  perHour: Infinity,
};
