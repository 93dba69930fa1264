/**
 * The check before a source file is replaced: the new text, read by the real loader, must give
 * the same records as the old text, field for field, with only the adopted codes added. Any
 * other difference (a row split differently, an item misplaced) means the edit is wrong, and
 * the file is left alone.
 */
import type { Config } from '../load/config-types.js';
import { csvOptionsFor } from '../load/index.js';
import { loadCsv } from '../load/csv.js';
import type { InputFile } from '../load/files.js';
import { formatPlace, type LoadResult, type Place } from '../load/types.js';
import { loadYaml } from '../load/yaml.js';
import { canonicalJson } from '../core/fields.js';
import { providerInfo } from '../providers/index.js';

export function placeKey(place: Place): string {
  return formatPlace(place);
}

function load(file: InputFile, text: string, config: Config): LoadResult {
  return file.kind === 'csv'
    ? loadCsv(file.name, text, csvOptionsFor(config, file.path))
    : loadYaml(file.name, text, { identity: providerInfo(config.provider).fields.identity });
}

/**
 * Undefined when `after` is `before` plus the codes in field `identity` (by the place of the
 * record in `before`); otherwise what differs. `codesRead` is false for a mapped CSV whose
 * mapping does not read the code column: its records must then come back unchanged.
 */
export function verifyEdit(
  file: InputFile,
  before: string,
  after: string,
  codes: ReadonlyMap<string, string>,
  config: Config,
  identity: string,
  codesRead = true,
): string | undefined {
  const provider = providerInfo(config.provider);
  const list = provider.fields;
  const old = load(file, before, config).records;
  const now = load(file, after, config).records;
  if (old.length !== now.length)
    return `the file would hold ${now.length} records instead of ${old.length}`;
  let seen = 0;
  for (let i = 0; i < old.length; i++) {
    const a = old[i];
    const b = now[i];
    if (a === undefined || b === undefined) continue;
    const was = provider.normalize(a.value);
    const code = codesRead ? codes.get(placeKey(a.place)) : undefined;
    if (codes.has(placeKey(a.place))) seen++;
    const expected = code === undefined ? was : { ...was, [identity]: code };
    if (canonicalJson(list, provider.normalize(b.value)) !== canonicalJson(list, expected))
      return `the record at ${formatPlace(a.place)} would not read back as before plus its code`;
  }
  if (seen !== codes.size) return 'some records to adopt were not found in the file';
  return undefined;
}
