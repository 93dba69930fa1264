/**
 * Records as the YAML loader hands them on: the value, the place of the item's `-`, and `locate`
 * for the exact place of any field, worked out only when a problem asks for it.
 */
import type { Place, RawRecord } from './types.js';
import { yamlPlace, type YamlPlace } from './yaml-problems.js';

/** A loaded YAML value: every scalar stays text; `null`, `~` and empty are `null`. */
export type YamlValue = string | null | YamlMap | YamlValue[];
export interface YamlMap {
  [key: string]: YamlValue;
}

/**
 * Mappings inherit from one frozen, empty object that itself has no prototype: no key (not even
 * one that slipped past the reserved-key check) can reach `Object.prototype`, `key in map` sees
 * only the file's keys, and V8 keeps them fast-mode objects (`Object.create(null)` objects are
 * dictionaries: twice the time and memory on 100,000 records).
 */
const MAP_PROTOTYPE: object = Object.freeze(Object.create(null));

export function newMap(): YamlMap {
  const map: YamlMap = Object.create(MAP_PROTOTYPE);
  return map;
}

export function isYamlMap(value: YamlValue): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface Position {
  line: number;
  column: number;
}

/** Dotted path inside a record (`billingAddress.country`, `tags.0`) to the place of its key. */
export type Positions = ReadonlyMap<string, Position>;

/** Works out a fast-path record's positions again, from its span of the text. */
export interface PositionSource {
  positions(start: number, end: number, line: number): Positions;
}

export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `billingAddress.country`, `/billingAddress/country` (JSON pointer) or `tags[0]`, as segments. */
export function pathSegments(path: string): string[] {
  if (path === '' || path === '/') return [];
  if (path.startsWith('/')) {
    return path
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return path.replace(/\[(\d+)\]/g, '.$1').split('.');
}

export class YamlRecord implements RawRecord {
  readonly place: YamlPlace;

  /**
   * Either `eager` positions (records read by the full parser, which has them anyway) or a span
   * of the text that `source` re-scans on demand: keeping 25 positions for each of 100,000
   * records would cost more than the records themselves.
   */
  constructor(
    readonly file: string,
    line: number,
    column: number,
    readonly value: YamlMap,
    private readonly eager: Positions | null,
    private readonly source: PositionSource | null = null,
    private readonly start = 0,
    private readonly end = 0,
  ) {
    this.place = yamlPlace(file, line, column);
  }

  locate(path: string): Place {
    const positions =
      this.eager ?? this.source?.positions(this.start, this.end, this.place.line) ?? null;
    if (positions === null) return this.place;
    const segments = pathSegments(path);
    for (let n = segments.length; n > 0; n--) {
      const found = positions.get(segments.slice(0, n).join('.'));
      if (found !== undefined) return yamlPlace(this.file, found.line, found.column);
    }
    return this.place;
  }
}
