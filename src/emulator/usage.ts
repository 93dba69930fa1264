import { SyncError, UsageError } from '../core/errors.js';

/** Runs a parser of an emulator option: what it refuses is a usage error of the command. */
export function toUsage(parse: () => void): void {
  try {
    parse();
  } catch (caught) {
    if (caught instanceof SyncError) {
      throw new UsageError(caught.message, caught.hint === undefined ? {} : { hint: caught.hint });
    }
    throw caught;
  }
}
