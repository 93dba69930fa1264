/**
 * Finding the input files and reading them safely: missing paths, empty directories, empty,
 * binary, huge and non-UTF-8 files all become problems with the file's name, never crashes.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { closest } from '../core/suggest.js';
import { DEFAULT_CONFIG_FILE } from './config-types.js';
import { isErrorFileName } from './rejects.js';
import type { Problem } from './types.js';

/**
 * Larger inputs are refused before they are read: loading keeps every record in memory, and a
 * file this big is almost always a mistake (a database dump, the wrong export). Split real data.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export type InputKind = 'yaml' | 'csv';

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** The name used in messages: relative to the working directory when inside it. */
  name: string;
  kind: InputKind;
}

export function displayName(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
}

export function inputKind(path: string): InputKind | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  return undefined;
}

export interface DiscoverOptions {
  cwd: string;
  /** Files never read as customers even inside a listed directory (the config file). */
  exclude?: readonly string[];
}

function fileProblem(code: string, file: string, message: string, hint?: string): Problem {
  const problem: Problem = { severity: 'error', code, message, place: { kind: 'file', file } };
  if (hint !== undefined) problem.hint = hint;
  return problem;
}

function missingHint(path: string): string | undefined {
  try {
    const guess = closest(basename(path), readdirSync(dirname(path)));
    return guess === undefined ? undefined : `did you mean ${guess}?`;
  } catch {
    return undefined;
  }
}

/**
 * The input files named by `paths`: files as given, directories as the `*.yaml`, `*.yml` and
 * `*.csv` files anywhere under them (sorted by path; rejects, failures and config files left out;
 * see `walk` for the folders skipped).
 */
export function discoverFiles(
  paths: readonly string[],
  options: DiscoverOptions,
): { files: InputFile[]; problems: Problem[] } {
  const files: InputFile[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const excluded = new Set((options.exclude ?? []).map((p) => resolve(options.cwd, p)));
  const add = (path: string, kind: InputKind): void => {
    if (seen.has(path)) return;
    seen.add(path);
    files.push({ path, name: displayName(path, options.cwd), kind });
  };
  for (const given of paths) {
    const path = resolve(options.cwd, given);
    const name = displayName(path, options.cwd);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      problems.push(
        fileProblem('file-missing', name, 'no such file or directory', missingHint(path)),
      );
      continue;
    }
    if (!isDir) {
      const kind = inputKind(path);
      if (kind === undefined) {
        problems.push(
          fileProblem('file-type', name, `not a customers file: expected .yaml, .yml or .csv`),
        );
      } else add(path, kind);
      continue;
    }
    const found = walk(path, excluded).sort();
    if (found.length === 0) {
      problems.push(
        fileProblem(
          'dir-empty',
          name,
          'directory has no .yaml, .yml or .csv files, in it or in its subfolders',
        ),
      );
    }
    for (const p of found) add(p, inputKind(p) ?? 'csv');
  }
  return { files, problems };
}

/** Folders that hold tools' files, never a person's customers. */
const SKIPPED_FOLDERS = new Set(['node_modules']);

/**
 * The customer files under `dir`, at any depth. Skipped: hidden entries (`.git`, `.github`),
 * `node_modules`, and a subfolder with its own config file: that is another dataset, with its
 * own provider, mapping and match key, which this config would read wrongly. Symlinked folders
 * are followed once each (a link back up the tree ends there).
 */
function walk(dir: string, excluded: ReadonlySet<string>, seen = new Set<string>()): string[] {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return [];
  }
  if (seen.has(real)) return [];
  seen.add(real);
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.') || entry === DEFAULT_CONFIG_FILE) continue;
    const path = resolve(dir, entry);
    let stats;
    try {
      stats = statSync(path);
    } catch {
      continue;
    }
    if (stats.isDirectory()) {
      if (SKIPPED_FOLDERS.has(entry) || isFile(resolve(path, DEFAULT_CONFIG_FILE))) continue;
      out.push(...walk(path, excluded, seen));
    } else if (
      stats.isFile() &&
      inputKind(path) !== undefined &&
      !isErrorFileName(entry) &&
      !excluded.has(path)
    ) {
      out.push(path);
    }
  }
  return out;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `Buffer` when the file is UTF-8 (BOM removed), a string when it was decoded from another encoding. */
export type InputData = Buffer | string;

export interface ReadResult {
  data?: InputData;
  problems: Problem[];
}

/** Reads a file for loading, refusing what cannot be customer data. */
export function readInput(file: InputFile, options: { maxBytes?: number } = {}): ReadResult {
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  let bytes: Buffer;
  try {
    const size = statSync(file.path).size;
    if (size > max) {
      return fail(
        'file-too-large',
        file,
        `file is ${megabytes(size)}, more than the limit of ${megabytes(max)}`,
        'split it into several files',
      );
    }
    bytes = readFileSync(file.path);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    return fail('file-unreadable', file, `cannot read file (${reason})`);
  }
  return decodeInput(bytes, file);
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${bytes} bytes`;
}

function fail(code: string, file: InputFile, message: string, hint?: string): ReadResult {
  return { problems: [fileProblem(code, file.name, message, hint)] };
}

const UTF16LE = [0xff, 0xfe];
const UTF16BE = [0xfe, 0xff];

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * Decodes file bytes. UTF-8 (the common case) stays a Buffer for the CSV parser. UTF-16 with a
 * byte-order mark (Excel's "Unicode text") is decoded. Invalid UTF-8 is read as Windows-1252,
 * the encoding spreadsheet programs use for "CSV" on Windows, with a warning to check it.
 */
export function decodeInput(bytes: Buffer, file: InputFile): ReadResult {
  if (startsWith(bytes, UTF16LE) || startsWith(bytes, UTF16BE)) {
    const text = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes);
    return text.trim() === ''
      ? fail('file-empty', file, 'file is empty')
      : { data: text, problems: [] };
  }
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  if (isBlank(body)) return fail('file-empty', file, 'file is empty');
  const nul = body.indexOf(0);
  if (nul >= 0) {
    return fail(
      'file-binary',
      file,
      `binary file (a NUL byte at offset ${nul}), not text`,
      'give a .yaml or .csv text file',
    );
  }
  if (isUtf8(body)) return { data: body, problems: [] };
  const line = firstBadLine(body);
  const text = new TextDecoder('windows-1252').decode(body);
  return {
    data: text,
    problems: [
      {
        severity: 'warning',
        code: 'encoding',
        message: `not valid UTF-8 (first at line ${line}); read as Windows-1252`,
        place: { kind: 'file', file: file.name },
        hint: 'check accented letters, or save the file as UTF-8 ("CSV UTF-8" in Excel)',
      },
    ],
  };
}

function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}

/** The line of the first byte that is not UTF-8 (shown as U+FFFD by a lenient decode). */
function firstBadLine(bytes: Buffer): number {
  const lossy = bytes.toString('utf8');
  const bad = lossy.indexOf('\uFFFD');
  let line = 1;
  for (let i = lossy.indexOf('\n'); i >= 0 && i < bad; i = lossy.indexOf('\n', i + 1)) line++;
  return line;
}
