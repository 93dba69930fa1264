import type { CommandEntry } from '../command.js';

/** Every command, in the order --help lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'Check the desired customer files, without any network call',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'plan',
    summary: 'Show what apply would change in Helcim or Payment Kit, field by field',
    load: async () => (await import('./plan.js')).planCommand,
  },
  {
    name: 'apply',
    summary: 'Carry out a plan: create (Helcim) and update customers',
    load: async () => (await import('./apply.js')).applyCommand,
  },
  {
    name: 'export',
    summary: 'Write the customers in Helcim or Payment Kit as desired-state files (YAML or CSV)',
    load: async () => (await import('./export.js')).exportCommand,
  },
  {
    name: 'adopt',
    summary:
      'Write the identities (codes, DIDs) of customers that already exist into files that lack them',
    load: async () => (await import('./adopt.js')).adoptCommand,
  },
  {
    name: 'emulator',
    summary: 'Run a local emulator of Helcim (default) or Payment Kit (--provider payment-kit)',
    load: async () => (await import('./emulator.js')).emulatorCommand,
  },
  {
    name: 'demo',
    summary: 'Plan and apply the examples against an embedded emulator (no token, no network)',
    load: async () => (await import('./demo.js')).demoCommand,
  },
];
