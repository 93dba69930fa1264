import type { Command } from '../command.js';
import { EXIT } from '../command.js';

// Placeholder replaced by the emulator work; keeps the CLI buildable meanwhile.
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Run a local Helcim API emulator',
  usage: 'emulator [options]',
  examples: ['helcim-sync emulator --port 8080 --seed 100'],
  options: {},
  async run(ctx) {
    ctx.stderr.write('not implemented yet\n');
    return EXIT.error;
  },
};
