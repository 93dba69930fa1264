import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRemote } from '../../src/remote/memory.js';
import { chooseStrategy, fetchRemote } from '../../src/fetch/fetch.js';

const remote = new MemoryRemote(
  Array.from({ length: 250 }, (_, i) => ({
    id: String(i + 1),
    customerCode: `C${i}`,
    contactName: `N${i}`,
  })),
);

test('auto looks a few codes up one by one and lists for many', () => {
  assert.equal(chooseStrategy(remote, { strategy: 'auto', codes: ['C1', 'C2'] }), 'lookup');
  assert.equal(
    chooseStrategy(remote, {
      strategy: 'auto',
      codes: Array.from({ length: 5000 }, (_, i) => `N${i}`),
    }),
    'list',
  );
  assert.equal(
    chooseStrategy(remote, { strategy: 'auto', codes: ['C1'], needsListing: true }),
    'list',
  );
});

test('auto compares the exact costs when the account size is known', () => {
  const codes = Array.from({ length: 50 }, (_, i) => `C${i}`);
  assert.equal(
    chooseStrategy(remote, { strategy: 'auto', codes, accountSizeHint: 50_000 }),
    'lookup',
  );
  assert.equal(chooseStrategy(remote, { strategy: 'auto', codes, accountSizeHint: 1_000 }), 'list');
  assert.equal(chooseStrategy(remote, { strategy: 'lookup', codes, accountSizeHint: 1 }), 'lookup');
});

test('fetching reports the calls it made and normalises what it fetched', async () => {
  const listed = await fetchRemote(remote, {
    strategy: 'list',
    codes: [],
    normalize: (c) => ({ ...c, contactName: c.contactName?.toLowerCase() }),
  });
  assert.deepEqual(listed.info, { strategy: 'list', calls: 3, fetched: 250 });
  assert.equal(listed.customers[0]?.contactName, 'n0');
  const looked = await fetchRemote(remote, {
    strategy: 'lookup',
    codes: ['C1', 'C2', 'C2', 'missing'],
  });
  assert.deepEqual(looked.info, { strategy: 'lookup', calls: 3, fetched: 2 });
});
