import { helcimFields } from '../../src/providers/helcim/fields.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareWith } from '../../src/desired/changed-since.js';
import type { Place } from '../../src/load/types.js';

const place = (line: number): Place => ({ kind: 'yaml', file: 'c.yaml', line, column: 3 });
const rec = (key: string, name: string, line: number, clear?: string[]) => ({
  key,
  data: { businessName: key, contactName: name },
  place: place(line),
  ...(clear === undefined ? {} : { clear }),
});

test('records compare by the identity rule and by their managed data and erasures', () => {
  const before = [
    rec('Acme', 'Ada', 2),
    rec('Globex', 'Hank', 5),
    rec('Initech', 'Bill', 8),
    rec('Hooli', 'Gavin', 9),
  ];
  const now = [
    rec('ACME', 'Ada', 2), // the same customer, renamed: changed, not removed and added
    rec('Hooli', 'Gavin', 4), // moved in the file, same data: left out
    rec('Globex', 'Hank', 5, ['cellPhone']), // an erasure is a change
    rec('Umbrella', 'Alice', 11), // new
  ];
  const result = compareWith('main', now, before, 'businessName', helcimFields);
  assert.deepEqual(
    result.changed.map((c) => c.key),
    ['ACME', 'Globex', 'Umbrella'],
  );
  assert.deepEqual(result.info, {
    ref: 'main',
    unchanged: 1,
    removed: [{ key: 'Initech', source: 'c.yaml:8' }],
  });
});
