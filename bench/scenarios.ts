import type { Scenario } from './run.js';

/** Every benchmark scenario, in the order `npm run bench` runs them. */
export const scenarios: Scenario[] = [];
