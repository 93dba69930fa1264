import type { Command } from '../command.js';
import { applyCommand } from './apply.js';
import { demoCommand } from './demo.js';
import { emulatorCommand } from './emulator.js';
import { planCommand } from './plan.js';
import { validateCommand } from './validate.js';

/** Every command, in the order --help lists them. */
export const commands: readonly Command[] = [
  validateCommand,
  planCommand,
  applyCommand,
  emulatorCommand,
  demoCommand,
];
