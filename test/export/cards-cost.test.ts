import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAccount, type Account } from './support.js';

let account: Account;

before(async () => {
  // 250 customers: a listing of their cards is 3 pages.
  account = await startAccount([], 250, 'in-process');
});
after(async () => account.close());

function gets(route: string): number {
  const byStatus = account.emulator.stats().requests[route] ?? {};
  return Object.values(byStatus).reduce((a, b) => a + b, 0);
}

test('--include-cards for a few codes reads their cards one customer at a time, not the whole account', async () => {
  const codes = ['--code', 'CST1001', '--code', 'CST1002'];
  const total = (): number => account.emulator.stats().totalRequests;
  // The first export learns the account is big; from then on the two codes are looked up.
  assert.equal((await account.run(['export', ...codes])).code, 0);
  let before = total();
  assert.equal((await account.run(['export', ...codes])).code, 0);
  const plain = total() - before;
  before = total();
  const cardsBefore = gets('GET /v2/customers/{id}/cards');
  const run = await account.run(['export', '--include-cards', ...codes]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /customerCode: CST1001/);
  assert.equal(gets('GET /v2/customers/{id}/cards') - cardsBefore, 2, 'one cards read a customer');
  assert.equal(
    total() - before - plain,
    2,
    'the cards cost 2 calls, where listing those of 250 customers costs 3',
  );
});

test('--include-cards for the whole account lists the cards with the customers, 3 pages', async () => {
  const before = account.emulator.stats().totalRequests;
  const run = await account.run(['export', '--include-cards']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /# \d cards? on file/);
  assert.equal(account.emulator.stats().totalRequests - before, 3 + 3);
});
