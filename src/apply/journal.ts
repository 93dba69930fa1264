import { closeSync, fchmodSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** One line of the journal: a request that finished, whatever its outcome. */
export interface JournalEntry {
  time: string;
  key: string;
  action: 'create' | 'update';
  status: 'created' | 'updated' | 'stale' | 'failed';
  id?: string;
  error?: string;
}

export interface Journal {
  record(entry: JournalEntry): void;
  close(): void;
}

/**
 * A JSON-lines journal, appended and flushed line by line so that it survives a crash or a
 * `kill -9`: it tells what was done even when the summary never got printed. Created with mode
 * 0600 because it holds customer codes and ids.
 */
export function openJournal(path: string): Journal {
  const fd = openSync(path, 'a', 0o600);
  // The mode given to open applies only to a new file; a journal appended to keeps its own.
  fchmodSync(fd, 0o600);
  let open = true;
  return {
    record(entry) {
      if (!open) return;
      writeSync(fd, JSON.stringify({ v: 1, ...entry }) + '\n');
      // A line per finished request is worth a sync: apply is paced by the API, not by the disk.
      fsyncSync(fd);
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

export const noJournal: Journal = { record() {}, close() {} };
