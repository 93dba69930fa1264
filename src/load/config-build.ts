/** Turns a config value that passed the schema into a resolved `Config`. */
import { resolve } from 'node:path';
import type { ColumnSpec, Config, CsvMapping, SourceConfig } from './config-types.js';
import { isDelimiter } from './config-types.js';
import type { Place, Problem } from './types.js';
import { isProviderName, providerInfo } from '../providers/index.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function columnSpec(value: unknown): ColumnSpec | undefined {
  if (typeof value === 'string' || Array.isArray(value)) {
    return { kind: 'columns', from: strings(value), separator: ' ' };
  }
  if (!isRecord(value)) return undefined;
  if (typeof value['value'] === 'string') return { kind: 'value', value: value['value'] };
  const spec: ColumnSpec = {
    kind: 'columns',
    from: strings(value['from']),
    separator: typeof value['separator'] === 'string' ? value['separator'] : ' ',
  };
  if (typeof value['default'] === 'string') spec.default = value['default'];
  return spec;
}

function mapping(name: string, value: unknown): CsvMapping {
  const out: CsvMapping = { name, columns: [] };
  if (!isRecord(value)) return out;
  if (isDelimiter(value['delimiter'])) out.delimiter = value['delimiter'];
  const silence = strings(value['silence']);
  if (silence.length > 0) out.silence = silence;
  const columns = value['columns'];
  if (isRecord(columns)) {
    for (const [path, raw] of Object.entries(columns)) {
      const spec = columnSpec(raw);
      if (spec !== undefined) out.columns.push([path, spec]);
    }
  }
  return out;
}

function source(dir: string, value: unknown): SourceConfig | undefined {
  // resolve, not join: `exports/` must name the same folder as `exports` when files are matched to it.
  const resolvePath = (p: string): string => resolve(dir, p);
  if (typeof value === 'string') return { path: resolvePath(value) };
  if (!isRecord(value) || typeof value['path'] !== 'string') return undefined;
  const out: SourceConfig = { path: resolvePath(value['path']) };
  if (typeof value['mapping'] === 'string') out.mapping = value['mapping'];
  if (isDelimiter(value['delimiter'])) out.delimiter = value['delimiter'];
  return out;
}

export function buildConfig(
  value: unknown,
  base: Config,
  locate: (path: string) => Place,
): { config: Config; problems: Problem[] } {
  const config: Config = { ...base, sources: [], mappings: new Map() };
  const problems: Problem[] = [];
  if (!isRecord(value)) return { config, problems };
  if (Array.isArray(value['sources'])) {
    for (const item of value['sources']) {
      const s = source(config.dir, item);
      if (s !== undefined) config.sources.push(s);
    }
  }
  if (isProviderName(value['provider'])) {
    config.provider = value['provider'];
    config.providerNamed = true;
    config.matchKey = providerInfo(config.provider).fields.identity;
  }
  if (typeof value['livemode'] === 'boolean') config.livemode = value['livemode'];
  if (typeof value['matchKey'] === 'string') config.matchKey = value['matchKey'];
  config.ignore = strings(value['ignore']);
  const emptyCells = value['emptyCells'];
  if (emptyCells === 'clear' || emptyCells === 'unmanaged') config.emptyCells = emptyCells;
  const csv = value['csv'];
  if (isRecord(csv) && isDelimiter(csv['delimiter'])) config.delimiter = csv['delimiter'];
  const mappings = value['mappings'];
  if (isRecord(mappings)) {
    for (const [name, raw] of Object.entries(mappings))
      config.mappings.set(name, mapping(name, raw));
  }
  const missing = providerInfo(config.provider).configProblem?.(config);
  if (missing !== undefined)
    problems.push({ severity: 'error', ...missing, place: locate('provider') });
  const ignoredKey = config.ignore.find(
    (path) => path === config.matchKey || config.matchKey.startsWith(`${path}.`),
  );
  if (ignoredKey !== undefined) {
    problems.push({
      severity: 'error',
      code: 'ignored-match-key',
      message: `ignore: "${ignoredKey}" covers the match key ${config.matchKey}`,
      place: locate('ignore'),
      path: 'ignore',
      hint: 'a customer is identified by its match key, so it cannot be ignored',
    });
  }
  return { config, problems };
}
