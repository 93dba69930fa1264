import { test } from 'node:test';
import assert from 'node:assert/strict';
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
