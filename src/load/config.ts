/**
 * Reads `helcim-sync.yaml` (or `--config FILE`), checks it against schemas/config.schema.json
 * and resolves it. Returns problems with places instead of throwing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { closest } from '../core/suggest.js';
import { schemaProblems, validator } from '../validate/schema.js';
import { buildConfig } from './config-build.js';
import type { Config } from './config-types.js';
import { DEFAULT_CONFIG_FILE, defaultConfig } from './config-types.js';
import { displayName } from './files.js';
import type { Place, Problem } from './types.js';

export * from './config-types.js';

export interface ConfigOptions {
  cwd: string;
  /** `--config FILE`: must exist. Without it, `helcim-sync.yaml` in `cwd` is read if present. */
  path?: string;
}

export interface ConfigResult {
  config: Config;
  problems: Problem[];
}

const MAX_CONFIG_BYTES = 1024 * 1024;

export function loadConfig(options: ConfigOptions): ConfigResult {
  const explicit = options.path !== undefined;
  const file = resolve(options.cwd, options.path ?? DEFAULT_CONFIG_FILE);
  const shown = displayName(file, options.cwd);
  const fallback = defaultConfig(options.cwd);
  if (!existsSync(file)) {
    if (!explicit) return { config: fallback, problems: [] };
    return fail(
      fallback,
      shown,
      'config-missing',
      `config file not found`,
      'check the --config path',
    );
  }
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_CONFIG_BYTES) {
      return fail(fallback, shown, 'config-too-large', 'config file is larger than 1 MB');
    }
    text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(fallback, shown, 'config-unreadable', `cannot read config file: ${reason}`);
  }
  return parseConfigText(text, { file, shown, cwd: options.cwd });
}

function fail(
  config: Config,
  file: string,
  code: string,
  message: string,
  hint?: string,
): ConfigResult {
  const problem: Problem = { severity: 'error', code, message, place: { kind: 'file', file } };
  if (hint !== undefined) problem.hint = hint;
  return { config, problems: [problem] };
}

/** Parses and checks config text; `file` is its absolute path, `shown` its name in messages. */
export function parseConfigText(
  text: string,
  where: { file: string; shown: string; cwd: string },
): ConfigResult {
  const dir = dirname(where.file);
  const fallback = { ...defaultConfig(dir), file: where.file };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): Place => {
    const pos = lines.linePos(offset);
    return { kind: 'yaml', file: where.shown, line: pos.line, column: pos.col };
  };
  const problems: Problem[] = doc.errors.map((e) => ({
    severity: 'error',
    code: e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
    message: e.message.split('\n')[0] ?? e.message,
    place: at(e.pos[0]),
  }));
  if (problems.length > 0) return { config: fallback, problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(fallback, where.shown, 'yaml-aliases', `config file: ${reason}`);
  }
  if (value === null || value === undefined) return { config: fallback, problems: [] };
  const locate = (path: string): Place => locateIn(doc, path, at, where.shown);
  const check = validator('config');
  if (!check(value)) {
    // In the order of the file: the provider's own rules are checked after the common ones.
    const found = schemaProblems(check.errors ?? [], locate);
    return { config: fallback, problems: found.sort((a, b) => lineOf(a) - lineOf(b)) };
  }
  const built = buildConfig(value, fallback, locate);
  for (const problem of built.problems) problems.push(problem);
  checkMappingNames(built.config, locate, problems);
  return { config: built.config, problems };
}

function checkMappingNames(config: Config, locate: (path: string) => Place, out: Problem[]): void {
  config.sources.forEach((source, i) => {
    if (source.mapping === undefined || config.mappings.has(source.mapping)) return;
    const guess = closest(source.mapping, config.mappings.keys());
    out.push({
      severity: 'error',
      code: 'unknown-mapping',
      message: `sources.${i}.mapping: no mapping named "${source.mapping}" in mappings`,
      place: locate(`sources.${i}.mapping`),
      path: `sources.${i}.mapping`,
      hint: guess === undefined ? 'add it under `mappings:`' : `did you mean \`${guess}\`?`,
    });
  });
}

/**
 * The place of a dotted path in the document, or of its nearest ancestor that exists. Keys may
 * contain dots themselves (`columns: { billingAddress.country: ... }`), so the longest key that
 * matches wins at each level.
 */
function locateIn(doc: Document, path: string, at: (offset: number) => Place, file: string): Place {
  const parts = path === '' ? [] : path.split('.');
  let node: unknown = doc.contents;
  let best: Place = isNode(node) && node.range != null ? at(node.range[0]) : { kind: 'file', file };
  let i = 0;
  while (i < parts.length) {
    let next: unknown;
    let keyNode: unknown;
    let used = 0;
    if (isSeq(node)) {
      next = node.get(Number(parts[i]), true);
      used = 1;
    } else if (isMap(node)) {
      for (let k = parts.length - i; k >= 1 && used === 0; k--) {
        const key = parts.slice(i, i + k).join('.');
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === key,
        );
        if (pair !== undefined) {
          next = pair.value;
          used = k;
          // The last segment is placed at its key: that is where an unknown or bad field starts.
          keyNode = i + k === parts.length ? pair.key : undefined;
        }
      }
    }
    const shownNode = keyNode ?? next;
    if (used === 0 || !isNode(shownNode)) break;
    node = next;
    i += used;
    if (shownNode.range != null) best = at(shownNode.range[0]);
  }
  return best;
}

/** Resolves a path written in the config against the config's directory. */
export function configPath(config: Config, path: string): string {
  return isAbsolute(path) ? path : join(config.dir, path);
}

/** A problem's line in the config file, for ordering; 0 when it has none. */
function lineOf(problem: Problem): number {
  return problem.place.kind === 'yaml' ? problem.place.line * 10_000 + problem.place.column : 0;
}
