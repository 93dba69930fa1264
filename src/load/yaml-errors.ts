/**
 * The `yaml` package's syntax errors, reworded for people who edit customer files: what is wrong
 * in their terms, and a likely fix. One problem per line: a broken line often makes the package
 * report two or three errors that all mean the same thing.
 */
import type { YAMLError } from 'yaml';
import type { Problem } from './types.js';
import type { YamlPlace } from './yaml-problems.js';

interface Wording {
  message: string;
  hint: string;
}

function wording(error: YAMLError, lineText: string): Wording {
  const raw = error.message.split('\n')[0] ?? error.message;
  if (/^[ ]*\t/.test(lineText) || error.code === 'TAB_AS_INDENT') {
    return {
      message: 'a tab is used for indentation',
      hint: 'YAML indentation must be spaces: replace the tab with spaces',
    };
  }
  switch (error.code) {
    case 'MISSING_CHAR':
      if (/quote/.test(raw)) {
        return {
          message: `a quoted value is not closed (${raw})`,
          hint: 'end the value with the same quote it starts with',
        };
      }
      if (/without - indicator/.test(raw)) {
        return {
          message: 'bad indentation: this line does not line up with the item above it',
          hint: 'indent the fields of an item to the column of its first field, just after `- `',
        };
      }
      break;
    case 'MULTILINE_IMPLICIT_KEY':
      return {
        message: 'a key runs over more than one line: probably a `:` is missing after a key',
        hint: 'write each field as `key: value` on one line',
      };
    case 'BLOCK_AS_IMPLICIT_KEY':
      return {
        message: 'bad indentation or a `: ` inside a value: YAML reads a nested key here',
        hint: 'line the keys of a mapping up at the same column, and quote values that contain `: `',
      };
    case 'BAD_INDENT':
      return {
        message: `bad indentation (${raw})`,
        hint: 'line the keys of a mapping up at the same column, using spaces',
      };
    case 'MULTIPLE_DOCS':
      return {
        message: 'the file holds more than one YAML document (`---`)',
        hint: 'keep one document, with all customers under one `customers:`',
      };
    case 'KEY_OVER_1024_CHARS':
      return { message: 'a key is longer than 1024 characters', hint: 'shorten the key' };
    case 'BAD_DQ_ESCAPE':
      return {
        message: `invalid escape in a "double-quoted" value (${raw})`,
        hint: "write a backslash as \\\\, or use 'single quotes', which have no escapes",
      };
    default:
      break;
  }
  return {
    message: `invalid YAML: ${raw}`,
    hint: 'check the indentation and quoting of this line and the one above it',
  };
}

/** Problems for `errors`, placed by `placeAt` (offsets in `text`). */
export function syntaxProblems(
  errors: readonly YAMLError[],
  text: string,
  placeAt: (offset: number) => YamlPlace,
): Problem[] {
  const problems: Problem[] = [];
  const lines = new Set<number>();
  for (const error of errors) {
    const offset = Math.min(error.pos[0], text.length);
    const place = placeAt(offset);
    if (lines.has(place.line)) continue;
    lines.add(place.line);
    const start = text.lastIndexOf('\n', offset - 1) + 1;
    const end = text.indexOf('\n', start);
    const lineText = text.slice(start, end < 0 ? undefined : end);
    const { message, hint } = wording(error, lineText);
    problems.push({ severity: 'error', code: 'yaml-syntax', message, place, hint });
  }
  return problems;
}
