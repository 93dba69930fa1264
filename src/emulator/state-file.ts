/**
 * The state file: customers and counters, so ids and codes keep counting across restarts.
 * Written atomically (temp file in the same directory, fsync, rename), mode 0600 since it holds
 * personal data, in chunks so a 100k-customer save does not stall the event loop.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import type { Clock } from '../core/clock.js';
import { SyncError } from '../core/errors.js';
import { isPlainObject } from './http-io.js';

export const STATE_VERSION = 1;
const CHUNK = 2000;

const MOVE_AWAY = 'move the file away to start empty, or point --state at another file';

/** A state file that exists but cannot be used: refused at start, never silently emptied. */
export function unusableState(path: string, why: string, hint = MOVE_AWAY): SyncError {
  return new SyncError('ERR_EMULATOR', `the emulator state ${path} is not usable: ${why}`, {
    hint,
  });
}

/** What a state file holds besides its version: counters, and customers written one a line. */
export interface SavedState {
  customers: readonly unknown[];
}

/** A store the persister can save: it counts its changes and snapshots itself. */
export interface PersistedStore<S extends SavedState> {
  readonly version: number;
  snapshot(): S;
}

/** Fails at start, not at the first save, when the state file's folder cannot be written. */
export async function checkWritableDir(statePath: string): Promise<void> {
  const dir = dirname(resolvePath(statePath));
  try {
    await access(dir, constants.W_OK);
  } catch (caught) {
    throw new SyncError('ERR_EMULATOR', `cannot write the emulator state in ${dir}`, {
      cause: caught,
      hint: 'create the folder, or point --state elsewhere',
    });
  }
}

/**
 * The state file as a JSON object of the expected version, or undefined when there is none yet.
 * Every emulator checks the rest of its own format.
 */
export async function readStateObject(
  path: string,
  fileVersion: number,
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (caught) {
    if (isErrno(caught) && caught.code === 'ENOENT') return undefined;
    throw new SyncError('ERR_EMULATOR', `cannot read the emulator state ${path}`, {
      cause: caught,
    });
  }
  const bad = (why: string): SyncError => unusableState(path, why);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (caught) {
    throw bad(caught instanceof Error ? caught.message : 'invalid JSON');
  }
  if (!isPlainObject(raw)) throw bad('not a JSON object');
  if (raw['version'] !== fileVersion) {
    throw bad(
      `version ${JSON.stringify(raw['version'])}, this emulator reads version ${fileVersion}`,
    );
  }
  return raw;
}

/** `fileVersion` is the file format's own: each emulator versions its state files apart. */
export async function writeStateAtomic<S extends SavedState>(
  path: string,
  snapshot: S,
  fileVersion = STATE_VERSION,
): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const file = await open(temp, 'wx', 0o600);
  try {
    const { customers, ...counters } = snapshot;
    const head = JSON.stringify({ version: fileVersion, ...counters }).slice(0, -1);
    await file.write(`${head},"customers":[\n`);
    for (let i = 0; i < customers.length; i += CHUNK) {
      const lines = customers.slice(i, i + CHUNK).map((c) => JSON.stringify(c));
      await file.write(lines.join(',\n') + (i + CHUNK < customers.length ? ',\n' : '\n'));
    }
    await file.write(']}\n');
    await file.sync();
    await file.close();
    await rename(temp, path);
  } catch (caught) {
    await file.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw caught;
  }
  // The rename is durable only once the directory entry is; not every platform allows this.
  try {
    const handle = await open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // best effort
  }
}

/** Debounced saves after changes, one at a time, and a final one on close. */
export class StatePersister<S extends SavedState> {
  private savedVersion: number;
  private pending: AbortController | undefined;
  private saving: Promise<void> | undefined;
  private lastDurationMs = 0;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly store: PersistedStore<S>,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
    private readonly debounceMs = 200,
    private readonly fileVersion = STATE_VERSION,
  ) {
    this.savedVersion = store.version;
  }

  changed(): void {
    if (this.closed || this.pending !== undefined) return;
    const controller = new AbortController();
    this.pending = controller;
    // A big store takes a while to write; spacing saves by a multiple of that keeps a busy
    // emulator from spending its time serialising.
    const delay = Math.max(this.debounceMs, this.lastDurationMs * 4);
    this.clock.sleep(delay, controller.signal).then(
      () => {
        this.pending = undefined;
        void this.save();
      },
      () => undefined,
    );
  }

  /** Saves now if anything changed since the last save. */
  async save(): Promise<void> {
    while (this.saving !== undefined) await this.saving;
    const version = this.store.version;
    if (version === this.savedVersion) return;
    const started = this.clock.now();
    this.saving = writeStateAtomic(this.path, this.store.snapshot(), this.fileVersion)
      .then(() => {
        this.savedVersion = version;
        this.lastDurationMs = this.clock.now() - started;
      })
      .catch((caught: unknown) => {
        this.log(`could not save the emulator state to ${this.path}: ${String(caught)}`);
      })
      .finally(() => {
        this.saving = undefined;
      });
    await this.saving;
    if (this.store.version !== this.savedVersion) this.changed();
  }

  /** Drops a pending save without writing (the emulator failed to start). */
  cancel(): void {
    this.closed = true;
    this.pending?.abort();
    this.pending = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending?.abort();
    this.pending = undefined;
    await this.save();
  }
}

function isErrno(value: unknown): value is NodeJS.ErrnoException {
  return value instanceof Error && 'code' in value;
}
