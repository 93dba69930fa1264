import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { HelcimClient } from '../../src/providers/helcim/client/index.js';
import { startAccount, type Account } from './support.js';

let account: Account;

before(async () => {
  account = await startAccount([], 6, 'in-process');
});
after(async () => account.close());

test('--include-cards adds a count and last four digits as a comment, never a token', async () => {
  const client = new HelcimClient({
    baseUrl: account.emulator.url,
    token: account.emulator.token,
    limits: 'off',
  });
  const cards = await client.listCards();
  await client.close();
  const all = [...cards.values()].flat();
  assert.ok(all.length > 0, 'the seed has cards');
  const run = await account.run(['export', '--include-cards']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /^ {2}# \d cards? on file(, default ends in \d{4})? \(read-only, not synced\)$/m,
  );
  for (const card of all) {
    if (card.cardToken !== undefined) assert.ok(!run.stdout.includes(card.cardToken));
    if (card.cardF6L4 !== undefined) assert.ok(!run.stdout.includes(card.cardF6L4));
  }
  assert.doesNotMatch(run.stdout, /token|cardF6L4|expiry/i);
  const plain = await account.run(['export']);
  assert.doesNotMatch(plain.stdout, /card/);
});
