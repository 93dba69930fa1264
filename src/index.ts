// The library: the same pipeline the CLI runs, for programs.
export * from './core/customer.js';
export * from './core/errors.js';
export type { Clock } from './core/clock.js';
export { systemClock } from './core/clock.js';
export type * from './remote/port.js';
