import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox, countRequests, people, show, yamlOf } from './helpers.js';

test('auto remembers what it learned of the account: the next plan of a few codes costs a call each', async () => {
  const box = await Sandbox.start({ seed: 1000 });
  try {
    box.write('c.yaml', yamlOf(people(3, 'NEW')));
    const gets = (): number => countRequests(box.stats(), 'GET');

    const first = await box.run(['plan', 'c.yaml']);
    assert.equal(first.code, 0, show(first));
    // No memory yet: three pages (no cheaper than the lookups so far), then the three lookups.
    assert.equal(gets(), 6);
    assert.match(first.stdout, /looked the codes up one by one in 6 calls/);

    const second = await box.run(['plan', 'c.yaml']);
    assert.equal(second.code, 0, show(second));
    assert.equal(gets() - 6, 3, 'the account is known to be big: straight to the lookups');

    // A full listing remembers the exact size; a small account is then listed in one call.
    const listed = await box.run(['plan', 'c.yaml', '--fetch', 'list']);
    assert.equal(listed.code, 0, show(listed));
    assert.equal(gets() - 9, 11);
    const third = await box.run(['plan', 'c.yaml']);
    assert.equal(third.code, 0, show(third));
    assert.equal(gets() - 20, 3, '3 lookups cost less than 11 pages');
  } finally {
    await box.close();
  }
});

test('a big file in an account remembered as far bigger is looked up record by record, not listed', async () => {
  const box = await Sandbox.start({ seed: 30 });
  const cache = mkdtempSync(join(tmpdir(), 'helcim-sync-memory-'));
  try {
    const env = { HELCIM_SYNC_CACHE_DIR: cache };
    box.write(
      'c.csv',
      [
        'customerCode,contactName',
        ...people(250, 'NEW').map((p) => `${p.customerCode},${p.contactName}`),
      ].join('\n') + '\n',
    );
    const learned = await box.run(['plan', 'c.csv', '--fetch', 'list'], { env });
    assert.equal(learned.code, 0, show(learned));
    // The account is remembered as 50,000 customers (501 pages): 250 lookups cost less.
    const [file] = readdirSync(cache);
    assert.ok(file !== undefined, 'the listing was remembered');
    const memo: unknown = JSON.parse(readFileSync(join(cache, file), 'utf8'));
    writeFileSync(join(cache, file), JSON.stringify({ ...Object(memo), accountSize: 50_000 }));
    const before = countRequests(box.stats(), 'GET');
    const planned = await box.run(['plan', 'c.csv'], { env });
    assert.equal(planned.code, 0, show(planned));
    assert.match(planned.stdout, /Plan: 250 to create/);
    assert.equal(countRequests(box.stats(), 'GET') - before, 250, 'one lookup a code, no page');
  } finally {
    rmSync(cache, { recursive: true, force: true });
    await box.close();
  }
});
