import { groupOf, textOf } from '../../src/core/customer.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRemote } from '../../src/remote/memory.js';
import { chooseRead, fetchRemote } from '../../src/fetch/fetch.js';
import { UsageError } from '../../src/core/errors.js';
import { planSync } from '../../src/pipeline.js';
import type { RemoteCustomer } from '../../src/core/customer.js';

function account(size: number): MemoryRemote {
  return new MemoryRemote(
    Array.from({ length: size }, (_, i) => ({
      id: String(i + 1),
      customerCode: `C${i}`,
      contactName: `N${i}`,
    })),
  );
}

const remote = account(250);
const codes = (n: number, prefix = 'C'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test('auto looks one code up, lists for many, and probes the first page in between', () => {
  assert.equal(chooseRead(remote, { strategy: 'auto', count: 1 }), 'lookup');
  assert.equal(chooseRead(remote, { strategy: 'auto', count: 5000 }), 'list');
  assert.equal(chooseRead(remote, { strategy: 'auto', count: 30 }), 'probe');
  assert.equal(
    chooseRead(remote, { strategy: 'auto', count: 1, listingNeededFor: 'billingAddress.email' }),
    'list',
  );
});

test('auto compares the exact costs when the account size is known', () => {
  assert.equal(
    chooseRead(remote, { strategy: 'auto', count: 150, accountSizeHint: 50_000 }),
    'lookup',
  );
  assert.equal(chooseRead(remote, { strategy: 'auto', count: 50, accountSizeHint: 1_000 }), 'list');
  assert.equal(chooseRead(remote, { strategy: 'lookup', count: 50, accountSizeHint: 1 }), 'lookup');
});

test('--fetch lookup is refused when a record can only be found by listing', () => {
  assert.throws(
    () =>
      chooseRead(remote, {
        strategy: 'lookup',
        count: 3,
        listingNeededFor: 'billingAddress.email',
      }),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message.includes('--fetch lookup cannot find customers by billingAddress.email') &&
      error.hint?.includes('--fetch list') === true,
  );
});

test('a plan by e-mail with --fetch lookup never plans a create for a customer that exists', async () => {
  const existing: RemoteCustomer = {
    id: '9',
    customerCode: 'CST1001',
    contactName: 'Ada',
    billingAddress: {
      name: 'Ada',
      street1: '1 Main St',
      postalCode: 'T2P1J9',
      email: 'ada@example.com',
    },
  };
  const memory = new MemoryRemote([existing]);
  const desired = [
    {
      key: 'ada@example.com',
      data: { contactName: 'Ada', billingAddress: { ...groupOf(existing['billingAddress']) } },
      place: { kind: 'yaml' as const, file: 'c.yaml', line: 2, column: 3 },
    },
  ];
  const config = { matchKey: 'billingAddress.email', ignore: [] };
  await assert.rejects(planSync(desired, memory, { config, fetch: 'lookup' }), UsageError);
  const plan = await planSync(desired, memory, { config, fetch: 'auto' });
  assert.equal(plan.summary.create, 0);
  assert.equal(plan.summary.unchanged, 1);
});

test('a probe of a small account is its whole listing in one call', async () => {
  const small = account(30);
  const probed = await fetchRemote(small, { strategy: 'auto', codes: codes(100, 'NEW') });
  assert.deepEqual(probed.info, { strategy: 'list', calls: 1, fetched: 30, accountSize: 30 });
  assert.equal(small.calls.list, 1);
  assert.equal(small.calls.find, 0);
});

test('a probe lists a mid-sized account while that costs less than the lookups', async () => {
  const mid = account(250);
  const probed = await fetchRemote(mid, { strategy: 'auto', codes: ['C1', 'C2', 'missing'] });
  assert.deepEqual(probed.info, { strategy: 'list', calls: 3, fetched: 250, accountSize: 250 });
  assert.deepEqual(mid.calls, { list: 3, find: 0, get: 0, create: 0, update: 0 });
});

test('a probe of a big account stops listing once it has spent what the lookups cost', async () => {
  const big = account(1000);
  const probed = await fetchRemote(big, { strategy: 'auto', codes: ['C1', 'C2', 'missing'] });
  // Three full pages, then the three lookups: never more than twice the cheaper way.
  assert.deepEqual(probed.info, {
    strategy: 'lookup',
    calls: 6,
    fetched: 2,
    accountSizeAtLeast: 300,
  });
  // Remembered, that lower bound makes the next run look the codes up at once.
  assert.equal(chooseRead(big, { strategy: 'auto', count: 3, accountSizeAtLeast: 300 }), 'lookup');
  assert.equal(chooseRead(big, { strategy: 'auto', count: 5, accountSizeAtLeast: 300 }), 'probe');
  assert.deepEqual(big.calls, { list: 3, find: 3, get: 0, create: 0, update: 0 });
  assert.deepEqual(
    probed.customers.map((c) => c.customerCode),
    ['C1', 'C2'],
    'the pages read before the switch are not handed over',
  );
});

test('fetching reports the calls it made and normalises what it fetched', async () => {
  const listed = await fetchRemote(remote, {
    strategy: 'list',
    codes: [],
    normalize: (c) => ({ ...c, contactName: textOf(c['contactName'])?.toLowerCase() }),
  });
  assert.deepEqual(listed.info, { strategy: 'list', calls: 3, fetched: 250, accountSize: 250 });
  assert.equal(listed.customers[0]?.contactName, 'n0');
  const looked = await fetchRemote(remote, {
    strategy: 'lookup',
    codes: ['C1', 'C2', 'C2', 'missing'],
  });
  assert.deepEqual(looked.info, { strategy: 'lookup', calls: 3, fetched: 2 });
});

test('a probe told the account size by its first page settles on lookups there, not after their cost', async () => {
  const big = new MemoryRemote([...account(1000).customers.values()], { tellsAccountSize: true });
  const probed = await fetchRemote(big, { strategy: 'auto', codes: ['C1', 'C2', 'missing'] });
  // One page, then the three lookups: 4 calls, where a probe without the size spends 6.
  assert.deepEqual(probed.info, { strategy: 'lookup', calls: 4, fetched: 2, accountSize: 1000 });
  assert.deepEqual(big.calls, { list: 1, find: 3, get: 0, create: 0, update: 0 });
  assert.deepEqual(
    probed.customers.map((c) => c.customerCode),
    ['C1', 'C2'],
  );
  const mid = new MemoryRemote([...account(250).customers.values()], { tellsAccountSize: true });
  const listed = await fetchRemote(mid, { strategy: 'auto', codes: ['C1', 'C2', 'missing'] });
  assert.deepEqual(
    listed.info,
    { strategy: 'list', calls: 3, fetched: 250, accountSize: 250 },
    'a listing cheaper than the lookups goes on to the end',
  );
});
