/**
 * The problems the YAML loader reports, worded once so that the fast path and the fallback say
 * exactly the same thing.
 */
import { closest } from '../core/suggest.js';
import type { Place, Problem } from './types.js';

export type YamlPlace = Extract<Place, { kind: 'yaml' }>;

export function yamlPlace(file: string, line: number, column: number): YamlPlace {
  return { kind: 'yaml', file, line, column };
}

/** Keys that name `Object.prototype` machinery: never stored, always reported. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** A key or value for a message, cut short so a 10 MB line does not become a 10 MB message. */
export function shown(text: string): string {
  const oneLine = text.replace(/[\r\n\t]/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

export function emptyFile(file: string, identity: string): Problem {
  return {
    severity: 'error',
    code: 'empty-file',
    message: 'the file has no content (only blank lines or comments)',
    place: yamlPlace(file, 1, 1),
    hint: `start it with \`customers:\` followed by one \`- ${identity}: ...\` item per customer`,
  };
}

export function notAMapping(file: string, line: number, column: number): Problem {
  return {
    severity: 'error',
    code: 'yaml-top-level',
    message: 'the top level of the file must be a mapping with a `customers:` key',
    place: yamlPlace(file, line, column),
    hint: 'start the file with `customers:` and list the customers under it, each starting with `- `',
  };
}

export function missingCustomers(file: string): Problem {
  return {
    severity: 'error',
    code: 'missing-customers',
    message: 'the file has no `customers:` key',
    place: yamlPlace(file, 1, 1),
    hint: 'list the customers under a top-level `customers:` key',
  };
}

/** A warning: with no delete in the API, an empty desired state changes nothing. */
export function noCustomers(place: YamlPlace, identity: string): Problem {
  return {
    severity: 'warning',
    code: 'no-customers',
    message: '`customers` is empty: there is nothing to sync',
    place,
    path: 'customers',
    hint: `add items under \`customers:\`, each starting with \`- ${identity}: ...\``,
  };
}

export function customersNotAList(place: YamlPlace, found: string): Problem {
  return {
    severity: 'error',
    code: 'customers-not-a-list',
    message: `\`customers\` must be a list of customers, but it is ${found}`,
    place,
    path: 'customers',
    hint: 'write each customer as a list item starting with `- `, indented under `customers:`',
  };
}

export function unknownTopLevelKey(key: string, place: YamlPlace): Problem {
  const guess = closest(key, ['customers']);
  return {
    severity: 'warning',
    code: 'unknown-top-level-key',
    message: `unknown top-level key \`${shown(key)}\` is ignored`,
    place,
    path: key,
    ...(guess === undefined ? {} : { hint: `did you mean \`${guess}\`?` }),
  };
}

export function recordNotAMapping(place: YamlPlace, found: string, identity: string): Problem {
  return {
    severity: 'error',
    code: 'record-not-a-mapping',
    message: `a customer must be a mapping of fields, but this item is ${found}`,
    place,
    hint: `write the customer as \`- ${identity}: ...\` with one \`field: value\` per line`,
  };
}

export function duplicateKey(
  key: string,
  path: string,
  place: YamlPlace,
  firstLine: number,
): Problem {
  return {
    severity: 'error',
    code: 'duplicate-key',
    message: `duplicate key \`${shown(key)}\` on line ${place.line}: it is already set on line ${firstLine}`,
    place,
    path,
    hint: `keep only one \`${shown(key)}\` (the one on line ${firstLine} is used)`,
  };
}

export function reservedKey(key: string, path: string, place: YamlPlace): Problem {
  return {
    severity: 'error',
    code: 'reserved-key',
    message: `\`${key}\` cannot be used as a key (it names JavaScript object internals); it was ignored`,
    place,
    path,
    hint: `remove \`${key}\``,
  };
}

export function complexKey(place: YamlPlace): Problem {
  return {
    severity: 'error',
    code: 'yaml-complex-key',
    message: 'a key must be plain text, not a list or mapping; the entry was ignored',
    place,
    hint: 'write keys as `name: value`',
  };
}

export function aliasBomb(place: YamlPlace): Problem {
  return {
    severity: 'error',
    code: 'yaml-alias-bomb',
    message:
      'the YAML aliases (`*name`) here expand into too much data, like a "billion laughs" attack; this data was not loaded',
    place,
    hint: 'write the values out instead of repeating them through anchors and aliases',
  };
}

export function unresolvedAlias(name: string, place: YamlPlace): Problem {
  return {
    severity: 'error',
    code: 'yaml-syntax',
    message: `alias \`*${shown(name)}\` refers to no anchor \`&${shown(name)}\` defined before it`,
    place,
    hint: `define \`&${shown(name)}\` earlier in the file, or write the value out`,
  };
}

/** What a value is, for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (typeof value === 'string') return `the text \`${shown(value)}\``;
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}
