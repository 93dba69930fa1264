/** The client as the remote port, against the emulator over real HTTP, in both modes. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { textOf, type RemoteCustomer } from '../../../../src/core/customer.js';
import { InputError, RemoteError } from '../../../../src/core/errors.js';
import { fieldSpec } from '../../../../src/core/fields.js';
import { isNotFound } from '../../../../src/providers/payment-kit/client/errors.js';
import { paymentKitFields } from '../../../../src/providers/payment-kit/fields.js';
import { paymentKitCost, paymentKitInfo } from '../../../../src/providers/payment-kit/info.js';
import { paymentKitUpdatePayload } from '../../../../src/providers/payment-kit/update.js';
import type { CustomerRemote } from '../../../../src/remote/port.js';
import { PaymentKitClient } from '../../../../src/providers/payment-kit/client/client.js';
import { sendJson, startTestServer } from '../../helcim/client/helpers.js';
import { callsTo, duplicates, KEY, rawAll, setup, waitFor, type Setup } from './helpers.js';

const SEED = 230;
const LOOKUP = 'GET /api/customers/{id}';
/** What a canonical customer may carry beside the field list's fields. */
const NOT_DATA = new Set(['id', 'createdAt', 'updatedAt']);

function text(customer: RemoteCustomer, field: string): string {
  const value = textOf(customer[field]);
  assert.ok(value !== undefined, `${customer.id}.${field} is text`);
  return value;
}

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RemoteError, String(error));
    return error;
  }
  assert.fail('resolved');
}

describe('Payment Kit client: the port', () => {
  let s: Setup;
  before(async () => {
    s = await setup({ seed: SEED });
  });
  after(() => s.close());

  it('is a CustomerRemote without create', () => {
    const remote: CustomerRemote = s.client();
    assert.equal(remote.provider, 'payment-kit');
    assert.equal(remote.cost, paymentKitCost);
    assert.equal('create' in remote, false);
    assert.equal(paymentKitInfo.canCreate, false);
  });

  it('lists every customer of each mode separately, in ceil(count/100) calls each', async () => {
    const oracle = { live: await rawAll(s.emu, true), test: await rawAll(s.emu, false) };
    for (const livemode of [true, false]) {
      const client = s.client({ livemode });
      const before = callsTo(s.emu, 'GET /api/customers');
      const listed = await client.list();
      assert.equal(callsTo(s.emu, 'GET /api/customers') - before, paymentKitCost.list(SEED));
      assert.equal(paymentKitCost.list(SEED), 3);
      assert.deepEqual(duplicates(listed.map((c) => c.id)), []);
      const mine = livemode ? oracle.live : oracle.test;
      const other = new Set((livemode ? oracle.test : oracle.live).map((c) => String(c['id'])));
      assert.deepEqual(listed.map((c) => c.id).sort(), mine.map((c) => String(c['id'])).sort());
      // A client of one mode never sees a customer of the other.
      assert.deepEqual(
        listed.filter((c) => other.has(c.id)),
        [],
      );
    }
    assert.ok(s.events.some((e) => e.path.includes('livemode=false')));
    assert.ok(s.events.every((e) => /[?&]livemode=(true|false)(&|$)/.test(e.path)));
  });

  it('hands out canonical customers: the field list names, unset fields absent, no read-only fields', async () => {
    const listed = await s.client().list();
    const raw = new Map((await rawAll(s.emu)).map((c) => [String(c['id']), c]));
    let unset = 0;
    let withMetadata = 0;
    let withoutAddress = 0;
    for (const customer of listed) {
      const wire = raw.get(customer.id);
      assert.ok(wire);
      assert.match(customer.id, /^cus_/);
      for (const key of Object.keys(customer)) {
        assert.ok(
          NOT_DATA.has(key) || fieldSpec(paymentKitFields, key) !== undefined,
          `${customer.id}: "${key}" is not a field of the list`,
        );
      }
      assert.equal(text(customer, 'did'), wire['did']);
      for (const key of ['name', 'email', 'phone', 'description']) {
        const value: unknown = wire[key];
        if (value === null || value === '') {
          unset++;
          assert.equal(key in customer, false, `${customer.id}.${key} should be absent`);
        } else assert.equal(customer[key], value);
      }
      const wireAddress = wire['address'];
      assert.ok(typeof wireAddress === 'object' && wireAddress !== null);
      const setParts = Object.fromEntries(
        Object.entries(wireAddress).filter(([, v]) => typeof v === 'string' && v !== ''),
      );
      if (Object.keys(setParts).length === 0) {
        withoutAddress++;
        assert.equal('address' in customer, false);
      } else assert.deepEqual(customer['address'], setParts);
      const wireMetadata = wire['metadata'];
      assert.ok(typeof wireMetadata === 'object' && wireMetadata !== null);
      if (Object.keys(wireMetadata).length === 0) assert.equal('metadata' in customer, false);
      else {
        withMetadata++;
        assert.deepEqual(customer['metadata'], wireMetadata);
      }
      assert.equal(customer.createdAt, wire['created_at']);
      assert.equal(customer.updatedAt, wire['updated_at']);
    }
    assert.ok(unset > 10, 'the seed has unset fields of both spellings');
    assert.ok(withMetadata > 10 && withoutAddress > 0, 'the seed has metadata, and no address');
  });

  it('yields pages as they arrive, fetching ahead unless told page by page', async () => {
    const client = s.client({ livemode: false });
    const progress: number[] = [];
    const before = callsTo(s.emu, 'GET /api/customers');
    const pages = client.listPages({ onProgress: (n) => progress.push(n) });
    const iterator = pages[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false);
    // While the caller holds page 1, pages 2 and 3 are asked for without it asking.
    await waitFor(() => callsTo(s.emu, 'GET /api/customers') - before === 3);
    const sizes = [first.value?.length ?? 0];
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
      sizes.push(next.value.length);
    assert.deepEqual(sizes, [100, 100, 30]);
    assert.deepEqual(progress, [100, 200, 230]);
    assert.equal(callsTo(s.emu, 'GET /api/customers') - before, 3);

    const byPage = client.listPages({ pageByPage: true })[Symbol.asyncIterator]();
    const start = callsTo(s.emu, 'GET /api/customers');
    assert.equal((await byPage.next()).value?.length, 100);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(callsTo(s.emu, 'GET /api/customers') - start, 1, 'nothing read ahead');
    await byPage.return?.();
    assert.equal(callsTo(s.emu, 'GET /api/customers') - start, 1);
  });

  it('finds by DID in one call: a hit, a miss, another mode, an id', async () => {
    const [first] = await rawAll(s.emu, false);
    assert.ok(first);
    const did = String(first['did']);
    const client = s.client({ livemode: false });
    const before = callsTo(s.emu, LOOKUP);
    const hit = await client.findByIdentity(did);
    assert.equal(callsTo(s.emu, LOOKUP) - before, 1);
    assert.deepEqual(hit, [await client.get(String(first['id']))]);
    assert.equal(hit[0]?.['did'], did);

    const missed = callsTo(s.emu, LOOKUP);
    assert.deepEqual(await client.findByIdentity('z1DoesNotExist0000000000000000000'), []);
    assert.equal(callsTo(s.emu, LOOKUP) - missed, 1, 'a 404 is not retried');
    assert.equal(s.emu.stats().requests[LOOKUP]?.['404'] !== undefined, true);
    // A test customer's DID asked in live mode, and a `cus_` id asked as a DID: no customer.
    assert.deepEqual(await s.client({ livemode: true }).findByIdentity(did), []);
    assert.deepEqual(await client.findByIdentity(String(first['id'])), []);
  });

  it('finds many DIDs, one call each, an entry for every value asked', async () => {
    const wire = (await rawAll(s.emu, false)).slice(0, 20);
    const dids = wire.map((c) => String(c['did']));
    const unknown = ['z1Unknown1', 'z1Unknown2', 'z1Unknown3'];
    const asked = [...dids, ...unknown, dids[0] ?? '', dids[1] ?? ''];
    const client = s.client({ livemode: false });
    const before = callsTo(s.emu, LOOKUP);
    const found = await client.findByIdentities(asked);
    assert.equal(callsTo(s.emu, LOOKUP) - before, 23);
    assert.deepEqual([...found.keys()].sort(), [...new Set(asked)].sort());
    for (const [i, did] of dids.entries()) {
      assert.deepEqual(
        found.get(did)?.map((c) => c.id),
        [String(wire[i]?.['id'])],
      );
    }
    for (const did of unknown) assert.deepEqual(found.get(did), []);
    assert.ok(client.peakInFlight <= 5 && client.peakInFlight > 1);
    assert.deepEqual(await client.findByIdentities([]), new Map());
  });

  it('gets by id; an unknown id is ERR_REMOTE_NOT_FOUND with the error text, not retried', async () => {
    const client = s.client();
    const [listed] = await client.list();
    assert.ok(listed);
    assert.deepEqual(await client.get(listed.id), listed);
    const before = callsTo(s.emu, LOOKUP);
    const error = await failure(client.get('cus_doesnotexist'));
    assert.equal(error.code, 'ERR_REMOTE_NOT_FOUND');
    assert.equal(error.status, 404);
    assert.deepEqual(error.problems, [{ message: 'Customer not found' }]);
    assert.equal(callsTo(s.emu, LOOKUP) - before, 1);
    // The id of a live customer from the test-mode client: not found in that mode.
    assert.ok(isNotFound(await failure(s.client({ livemode: false }).get(listed.id))));
    await assert.rejects(client.update('cus_doesnotexist', { name: 'x' }), isNotFound);
  });

  it('updates name and metadata; the whole merged metadata keeps the other keys', async () => {
    const client = s.client({ livemode: false });
    const [target] = await client.list();
    assert.ok(target);
    const seeded = await client.update(target.id, {
      metadata: { crm_id: 'C-1', tier: 'gold', source: 'checkout' },
    });
    assert.deepEqual(seeded['metadata'], { crm_id: 'C-1', tier: 'gold', source: 'checkout' });
    // What the planner sends for a file that manages name and metadata.crm_id only.
    const payload = paymentKitUpdatePayload({
      desired: { did: text(seeded, 'did'), name: 'Ada Lovelace', metadata: { crm_id: 'C-9' } },
      stored: seeded,
      changes: [
        { field: 'name', new: 'Ada Lovelace' },
        { field: 'metadata.crm_id', old: 'C-1', new: 'C-9' },
      ],
    });
    assert.deepEqual(payload, {
      name: 'Ada Lovelace',
      metadata: { crm_id: 'C-9', tier: 'gold', source: 'checkout' },
    });
    const updated = await client.update(target.id, payload);
    assert.equal(updated['name'], 'Ada Lovelace');
    assert.deepEqual(updated['metadata'], { crm_id: 'C-9', tier: 'gold', source: 'checkout' });
    assert.equal(updated['did'], target['did']);
    assert.deepEqual(updated['address'], seeded['address']);
    assert.deepEqual(await client.get(target.id), updated);
    // The live-mode client cannot reach a test customer: the mode travelled on the PUT.
    await assert.rejects(s.client({ livemode: true }).update(target.id, { name: 'x' }), isNotFound);
  });

  it('never sends did, id or the server’s fields, even when the patch is a fetched customer', async () => {
    const client = s.client({ livemode: false });
    const [, target] = await client.list();
    assert.ok(target);
    assert.ok(target.createdAt !== undefined && target.updatedAt !== undefined);
    // The emulator refuses every read-only field with a 400: success means none went out.
    const updated = await client.update(target.id, {
      ...target,
      did: 'z1SomeoneElse',
      raw: { balance: '999', livemode: 'true' },
      name: 'Grace Hopper',
      phone: '',
      address: { country: 'GB', city: 'London' },
    });
    assert.equal(updated['did'], target['did']);
    assert.equal(updated['name'], 'Grace Hopper');
    assert.equal('phone' in updated, false, '"" cleared the phone');
    assert.deepEqual(updated['address'], { country: 'GB', city: 'London' });
    assert.equal(updated.createdAt, target.createdAt);
  });

  it('refuses a patch value of the wrong kind before any call', async () => {
    const client = s.client();
    const before = s.emu.stats().totalRequests;
    for (const patch of [
      { name: { first: 'Ada' } },
      { address: 'London' },
      { metadata: 'crm' },
      { metadata: { nested: { a: '1' } } },
      { address: { zip: '12345' } },
    ]) {
      await assert.rejects(client.update('cus_any', patch), (error: unknown) => {
        assert.ok(error instanceof InputError, String(error));
        return true;
      });
    }
    assert.equal(s.emu.stats().totalRequests, before);
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
      assert.equal(found[0]?.['email'], 'Pat.Lee@Example.com');
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

  it('surfaces 401 for a wrong key and the 400 error text, without retrying them', async () => {
    const wrong = s.client({ accessKey: 'blocklet-wrong-key-000' });
    const denied = await failure(wrong.list());
    assert.equal(denied.code, 'ERR_REMOTE_AUTH');
    assert.equal(denied.status, 401);
    assert.match(denied.message, /Unauthorized: the access key is not valid/);
    assert.match(denied.hint ?? '', /PAYMENT_KIT_ACCESS_KEY/);
    const client = s.client();
    const [target] = await client.list();
    assert.ok(target);
    const retries = s.events.filter((e) => e.type === 'retry').length;
    const refused = await failure(
      client.update(target.id, { email: 'not an email', address: { country: 'USA' } }),
    );
    assert.equal(refused.code, 'ERR_REMOTE_HTTP');
    assert.equal(refused.status, 400);
    assert.match(refused.message, /email/);
    assert.match(refused.problems[0]?.message ?? '', /country/);
    assert.equal(s.events.filter((e) => e.type === 'retry').length, retries);
  });

  it('describes itself as a provider that cannot create', () => {
    assert.equal(paymentKitInfo.name, 'payment-kit');
    assert.equal(paymentKitInfo.displayName, 'Payment Kit');
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

describe('Payment Kit client: a server that answers with the other mode', () => {
  it('finds nothing by DID, and refuses such a customer from get, update and list', async () => {
    const live = { id: 'cus_live1', did: 'z1live', livemode: true, name: 'Live', metadata: {} };
    const server = await startTestServer((req, res) => {
      if ((req.url ?? '').includes('/api/customers?'))
        sendJson(res, 200, { count: 1, list: [live], paging: { page: 1, pageSize: 100 } });
      else sendJson(res, 200, live);
    });
    const client = new PaymentKitClient({
      baseUrl: server.url.replace(/\/v2$/, '/payment'),
      accessKey: KEY,
      livemode: false,
    });
    try {
      assert.deepEqual(await client.findByIdentity('z1live'), []);
      assert.deepEqual((await client.findByIdentities(['z1live'])).get('z1live'), []);
      for (const call of [
        () => client.get('cus_live1'),
        () => client.update('cus_live1', { name: 'x' }),
        () => client.list(),
      ]) {
        const error = await failure(call());
        assert.equal(error.code, 'ERR_REMOTE_RESPONSE');
        assert.match(error.message, /livemode true/);
      }
      assert.ok(server.requests.every((r) => r.url.includes('livemode=false')));
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('Payment Kit client: a URL with the wrong mount point', () => {
  it('a DID lookup fails with the fix, instead of reading every 404 as "no such customer"', async () => {
    const s = await setup({ seed: 3 });
    try {
      const wrong = s.client({ baseUrl: s.emu.url.replace(/\/payment$/, '/pay'), livemode: false });
      const error = await failure(wrong.findByIdentity('z1DoesNotExist0000000000000000000'));
      assert.match(error.message, /PAYMENT_KIT_URL/);
      assert.match(error.hint ?? '', /mount point/);
      const listing = await failure(wrong.list());
      assert.match(listing.hint ?? '', /mount point/);
    } finally {
      await s.close();
    }
  });

  it('at the right mount point, a miss costs one check of the listing, once per client', async () => {
    const s = await setup({ seed: 3 });
    try {
      const client = s.client({ livemode: false });
      const lists = callsTo(s.emu, 'GET /api/customers');
      assert.deepEqual(await client.findByIdentity('z1DoesNotExist0000000000000000000'), []);
      assert.deepEqual(await client.findByIdentity('z1DoesNotExist0000000000000000001'), []);
      assert.equal(callsTo(s.emu, 'GET /api/customers') - lists, 1);
    } finally {
      await s.close();
    }
  });
});
