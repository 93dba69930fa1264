/**
 * `plan --changed-since REF`: the desired state at a git revision, and which records differ from
 * it. A pull request's plan then reads the remote side only for the records the pull request
 * adds or changes: two edited records cost two calls, however big the account. Records removed
 * from the files are reported and never touched (there is no delete, and a removal from the
 * files means "no longer managed").
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { identityKey } from '../core/identity.js';
import { InputError } from '../core/errors.js';
import { canonicalJson, type FieldList } from '../core/fields.js';
import type { ChangedSince } from '../plan/types.js';
import { formatSource } from '../load/types.js';
import type { DesiredCustomer } from '../validate/types.js';

/** Input files are what can differ; anything else under the folder is not copied. */
const INPUT_FILE = /\.(ya?ml|csv|tsv|txt)$/i;

export interface Snapshot {
  /** The working folder as it was at the revision (its input files only). */
  dir: string;
  /** Paths as the user gave them, made relative to the working folder. */
  paths: string[];
  configPath: string | undefined;
  remove(): void;
}

function git(cwd: string, args: string[], input?: string): Buffer {
  try {
    return execFileSync('git', args, {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
      ...(input === undefined ? {} : { input }),
    });
  } catch (error) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error
        ? String(error.stderr).trim()
        : '';
    const missing =
      typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
    throw new InputError(
      missing
        ? '--changed-since needs git, and no git command was found'
        : `--changed-since: git ${args[0] ?? ''} failed${stderr === '' ? '' : `: ${stderr.split('\n')[0]}`}`,
      { hint: 'run it inside a git clone, with a revision it knows (fetch it first in CI)' },
    );
  }
}

function insideCwd(cwd: string, path: string, what: string): string {
  const rel = isAbsolute(path) ? relative(cwd, path) : path;
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new InputError(`--changed-since: ${what} ${path} is outside the working folder`, {
      hint: 'run helcim-sync from a folder that holds every input',
    });
  return rel === '' ? '.' : rel;
}

/**
 * Copies the input files under `cwd` as they were at `ref` into a temporary folder of the same
 * layout, so the ordinary loader reads them with the config of that time.
 */
export function snapshotAt(
  ref: string,
  cwd: string,
  paths: readonly string[],
  configPath: string | undefined,
): Snapshot {
  // First: a folder outside any clone fails here, with git's own words.
  const prefix = git(cwd, ['rev-parse', '--show-prefix']).toString('utf8').trim();
  let commit: string;
  try {
    const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
    commit = git(cwd, args).toString('utf8').trim();
  } catch {
    throw new InputError(
      `--changed-since: ${JSON.stringify(ref)} is not a commit this clone knows`,
      {
        hint: 'give a branch, tag or commit (in CI, fetch the base branch first, e.g. actions/checkout with fetch-depth: 0)',
      },
    );
  }
  const listed = git(cwd, ['ls-tree', '-r', '-z', '--name-only', commit, '--', '.'])
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '' && INPUT_FILE.test(p));
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-at-'));
  try {
    if (listed.length > 0) {
      const request = listed.map((p) => `${commit}:${prefix}${p}\n`).join('');
      const out = git(cwd, ['cat-file', '--batch'], request);
      let at = 0;
      for (const path of listed) {
        const header = out.toString('utf8', at, out.indexOf(10, at));
        at = out.indexOf(10, at) + 1;
        const size = Number(header.split(' ')[2]);
        if (!header.includes(' blob ') || !Number.isInteger(size)) continue;
        const target = join(dir, ...path.split('/'));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, out.subarray(at, at + size));
        at += size + 1;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    paths: paths.map((p) => insideCwd(cwd, p, 'input').split(sep).join('/')),
    configPath: configPath === undefined ? undefined : insideCwd(cwd, configPath, 'config file'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

type Compared = Pick<DesiredCustomer, 'key' | 'data' | 'clear' | 'place'>;

export interface ChangeSet<T extends Compared = Compared> {
  /** Records added or changed since the revision: the only ones the plan reads remotely. */
  changed: T[];
  info: ChangedSince;
}

/**
 * Which desired records differ from the state at the revision, by identity (the one rule of
 * `identityKey`) and by their normalised, managed data. Pure. A change of the config's match key
 * or ignore list changes the records' identities or data, so it shows up as changed records.
 */
export function compareWith<T extends Compared>(
  ref: string,
  current: readonly T[],
  before: readonly Compared[],
  matchKey: string,
  list: FieldList,
): ChangeSet<T> {
  const key = (c: Compared): string => identityKey(list, matchKey, c.key) ?? c.key;
  const state = (c: Compared): string =>
    `${canonicalJson(list, c.data)}\n${[...(c.clear ?? [])].sort().join(',')}`;
  const earlier = new Map<string, Compared>();
  for (const c of before) if (!earlier.has(key(c))) earlier.set(key(c), c);
  const changed: T[] = [];
  const now = new Set<string>();
  let unchanged = 0;
  for (const c of current) {
    const k = key(c);
    now.add(k);
    const old = earlier.get(k);
    if (old !== undefined && state(old) === state(c)) unchanged += 1;
    else changed.push(c);
  }
  const removed = [...earlier.entries()]
    .filter(([k]) => !now.has(k))
    .map(([, c]) => ({ key: c.key, source: formatSource(c.place) }));
  return { changed, info: { ref, unchanged, removed } };
}
