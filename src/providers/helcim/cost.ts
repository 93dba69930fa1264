/** What reading Helcim costs, in calls: light, for the planner and the client alike. */
import type { FetchCostModel } from '../../remote/port.js';

/** Helcim's listing: 100 customers a call at most, and only a short page says it was the last. */
export const HELCIM_PAGE_SIZE = 100;

export const helcimCost: FetchCostModel = {
  list: (accountSize) => Math.floor(Math.max(0, accountSize) / HELCIM_PAGE_SIZE) + 1,
  lookup: (codeCount) => Math.max(0, codeCount),
  pageSize: HELCIM_PAGE_SIZE,
};
