/** The client against the emulator over real HTTP: every call of the contract, both modes. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RemoteError } from '../../../../src/core/errors.js';
import { isNotFound } from '../../../../src/providers/payment-kit/client/errors.js';
import { paymentKitCost, paymentKitInfo } from '../../../../src/providers/payment-kit/info.js';
import { callsTo, duplicates, rawAll, setup, type Setup } from './helpers.js';

const SEED = 230;

describe('Payment Kit client: the contract', () => {
  let s: Setup;
  before(async () => {
    s = await setup({ seed: SEED });
  });
  after(() => s.close());

  it('lists every customer of each mode separately, in ceil(count/100) calls each', async () => {
    for (const livemode of [true, false]) {
      const client = s.client({ livemode });
      const before = callsTo(s.emu, 'GET /api/customers');
      const listed = await client.list();
      assert.equal(callsTo(s.emu, 'GET /api/customers') - before, paymentKitCost.list(SEED));
      assert.equal(paymentKitCost.list(SEED), 3);
      assert.deepEqual(duplicates(listed.map((c) => c.id)), []);
      const oracle = await rawAll(s.emu, livemode);
      assert.deepEqual(listed.map((c) => c.id).sort(), oracle.map((c) => String(c['id'])).sort());
      assert.ok(listed.every((c) => c.livemode === livemode));
    }
    assert.ok(s.events.some((e) => e.path.includes('livemode=false')));
    assert.ok(s.events.every((e) => /[?&]livemode=(true|false)(&|$)/.test(e.path)));
  });

  it('maps null and "" to absent and never invents fields', async () => {
    const listed = await s.client().list();
    const raw = new Map((await rawAll(s.emu)).map((c) => [String(c['id']), c]));
    let unsetSeen = 0;
    for (const customer of listed) {
      const wire = raw.get(customer.id);
      assert.ok(wire);
      for (const key of ['name', 'email', 'phone', 'description'] as const) {
        const value: unknown = wire[key];
        if (value === null || value === '') {
          unsetSeen++;
          assert.equal(key in customer, false, `${customer.id}.${key} should be absent`);
        } else assert.equal(customer[key], value);
      }
      assert.equal(customer.did, wire['did']);
      assert.equal(customer.balance, wire['balance']);
      assert.equal(customer.created_at, wire['created_at']);
      assert.deepEqual(customer.metadata, wire['metadata']);
    }
    assert.ok(unsetSeen > 10, 'the seed has unset fields of both spellings');
  });

  it('gets one customer by id and by DID, in one call each', async () => {
    const [first] = await rawAll(s.emu, false);
    assert.ok(first);
    const client = s.client({ livemode: false });
    const before = callsTo(s.emu, 'GET /api/customers/{id}');
    const byId = await client.get(String(first['id']));
    const byDid = await client.get(String(first['did']));
    assert.equal(callsTo(s.emu, 'GET /api/customers/{id}') - before, 2);
    assert.deepEqual(byDid, byId);
    assert.equal(byId.id, first['id']);
    const found = await client.findByDid(String(first['did']));
    assert.deepEqual(found, [byId]);
    assert.deepEqual(await s.client({ livemode: true }).findByDid(String(first['did'])), []);
  });

  it('finds by email exactly, in any letter case and with spaces around', async () => {
    const client = s.client();
    const [a, b] = await client.list();
    assert.ok(a && b);
    await client.update(a.id, { email: 'Pat.Lee@Example.com' });
    // A superstring the server's substring search also matches: filtered out on the client.
    await client.update(b.id, { email: 'xpat.lee@example.com' });
    for (const asked of ['pat.lee@example.com', '  PAT.LEE@EXAMPLE.COM ', 'Pat.Lee@Example.com']) {
      const found = await client.findByEmail(asked);
      assert.deepEqual(
        found.map((c) => c.id),
        [a.id],
        asked,
      );
    }
    assert.deepEqual(await s.client({ livemode: false }).findByEmail('pat.lee@example.com'), []);
  });

  it('pages a search with more than 100 matches', async () => {
    const client = s.client({ livemode: false });
    const targets = (await client.list()).slice(0, 120);
    await Promise.all(
      targets.map((c, i) =>
        client.update(c.id, { email: i % 2 === 0 ? 'Shared@Example.com' : 'shared@example.COM' }),
      ),
    );
    const before = callsTo(s.emu, 'GET /api/customers/search');
    const found = await client.findByEmail('shared@example.com');
    assert.equal(callsTo(s.emu, 'GET /api/customers/search') - before, 2);
    assert.deepEqual(found.map((c) => c.id).sort(), targets.map((c) => c.id).sort());
  });

  it('updates metadata and address whole, sends livemode on the PUT, never read-only fields', async () => {
    const testClient = s.client({ livemode: false });
    const [target] = await testClient.list();
    assert.ok(target);
    const patch = {
      name: 'Ada Lovelace',
      address: { country: 'GB', city: 'London', line1: '12 St James Sq', postal_code: 'SW1Y 4JH' },
      metadata: { crm_id: 'C-42', tier: 'gold' },
      // A read-only field smuggled in by a spread: dropped, never sent (the server refuses it).
      ...{ balance: '999', did: 'z1nope' },
    };
    const updated = await testClient.update(target.id, patch);
    assert.equal(updated.name, 'Ada Lovelace');
    assert.deepEqual(updated.address, patch.address);
    assert.deepEqual(updated.metadata, patch.metadata);
    assert.equal(updated.balance, target.balance);
    assert.deepEqual(await testClient.get(target.id), updated);
    // The live-mode client cannot reach a test customer: the mode travelled on the PUT.
    await assert.rejects(s.client({ livemode: true }).update(target.id, { name: 'x' }), isNotFound);
  });

  it('answers a typed not-found error for an unknown id or DID', async () => {
    const client = s.client();
    for (const key of ['cus_doesnotexist', 'z1doesnotexist']) {
      await assert.rejects(client.get(key), (error: unknown) => {
        assert.ok(error instanceof RemoteError);
        assert.equal(error.code, 'ERR_REMOTE_NOT_FOUND');
        assert.equal(error.status, 404);
        assert.deepEqual(error.problems, [{ message: 'Customer not found' }]);
        return true;
      });
    }
    await assert.rejects(client.update('cus_doesnotexist', { name: 'x' }), isNotFound);
  });

  it('surfaces 401 for a wrong key and the 400 error text, without retrying them', async () => {
    const wrong = s.client({ accessKey: 'blocklet-wrong-key-000' });
    await assert.rejects(wrong.list(), (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.equal(error.code, 'ERR_REMOTE_AUTH');
      assert.equal(error.status, 401);
      assert.match(error.message, /Unauthorized: the access key is not valid/);
      assert.match(error.hint ?? '', /PAYMENT_KIT_ACCESS_KEY/);
      return true;
    });
    const client = s.client();
    const [target] = await client.list();
    assert.ok(target);
    const retries = s.events.filter((e) => e.type === 'retry').length;
    await assert.rejects(
      client.update(target.id, { email: 'not an email', address: { country: 'USA' } }),
      (error: unknown) => {
        assert.ok(error instanceof RemoteError);
        assert.equal(error.code, 'ERR_REMOTE_HTTP');
        assert.equal(error.status, 400);
        assert.match(error.message, /email/);
        assert.match(error.problems[0]?.message ?? '', /country/);
        return true;
      },
    );
    assert.equal(s.events.filter((e) => e.type === 'retry').length, retries);
  });

  it('describes itself as a provider that cannot create', () => {
    assert.equal(paymentKitInfo.name, 'payment-kit');
    assert.equal(paymentKitInfo.displayName, 'Payment Kit');
    assert.equal(paymentKitInfo.canCreate, false);
    assert.deepEqual(paymentKitInfo.limits, {
      concurrent: 5,
      perMinute: Infinity,
      perHour: Infinity,
    });
    assert.deepEqual(
      [0, 1, 100, 101, 230].map((n) => paymentKitCost.list(n)),
      [1, 1, 1, 2, 3],
    );
    assert.equal(paymentKitCost.lookup(7), 7);
  });
});
