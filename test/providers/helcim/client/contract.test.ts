/** The client against the emulator over real HTTP: every quirk of the contract, end to end. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import type { CustomerData } from '../../../../src/core/customer.js';
import { RemoteError } from '../../../../src/core/errors.js';
import { DEFAULT_EMULATOR_TOKEN, startEmulator } from '../../../../src/emulator/index.js';
import type { EmulatorHandle } from '../../../../src/emulator/index.js';
import { HelcimClient } from '../../../../src/providers/helcim/client/client.js';

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of cleanup.reverse()) await close();
});

async function emulator(seed = 0): Promise<EmulatorHandle> {
  const handle = await startEmulator({ port: 0, seed, rateLimit: 'off' });
  cleanup.push(() => handle.close());
  return handle;
}

function clientFor(handle: EmulatorHandle, token = handle.token): HelcimClient {
  const client = new HelcimClient({
    baseUrl: handle.url,
    token,
    limits: 'off',
    retry: { baseMs: 1, capMs: 5 },
  });
  cleanup.push(() => client.close());
  return client;
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

/** The docs' example customer (seeds/helcim-customers.txt) as canonical data. */
const DOCS_ADDRESS = {
  name: 'John Doe',
  street1: '123 Test Street',
  street2: 'Suite 2',
  city: 'Calgary',
  province: 'AB',
  country: 'CAN',
  postalCode: 'H0H0H0',
  phone: '1234567899',
  email: '[email protected]',
};
const DOCS_CUSTOMER = {
  customerCode: 'CST1049',
  businessName: 'Helcim',
  contactName: 'John Doe',
  cellPhone: '1234567899',
  billingAddress: DOCS_ADDRESS,
  shippingAddress: DOCS_ADDRESS,
} satisfies CustomerData;

function calls(handle: EmulatorHandle, key: string): number {
  return Object.values(handle.stats().requests[key] ?? {}).reduce((sum, n) => sum + n, 0);
}

describe('contract with the emulator', () => {
  let emu: EmulatorHandle;
  let client: HelcimClient;
  before(async () => {
    emu = await emulator();
    client = clientFor(emu);
  });

  it('creates (200) and maps the answer to the canonical customer', async () => {
    const created = await client.create({
      customerCode: 'K-1',
      contactName: 'Kim',
      cellPhone: '4035550100',
    });
    assert.match(created.id, /^\d+$/);
    assert.equal(typeof created.id, 'string');
    assert.equal(created.cellPhone, '4035550100');
    assert.equal('businessName' in created, false);
    assert.equal('billingAddress' in created, false);
    assert.equal('shippingAddress' in created, false);
    assert.equal('updatedAt' in created, false);
    assert.match(created.createdAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(emu.stats().requests['POST /v2/customers']?.['200'], 1);
  });

  it('round-trips the docs example customer', async () => {
    const created = await client.create(DOCS_CUSTOMER);
    const fetched = await client.get(created.id);
    const { id: _id, createdAt: _c, updatedAt: _u, ...data } = fetched;
    assert.deepEqual(data, DOCS_CUSTOMER);
    assert.deepEqual(await client.findByIdentity('CST1049'), [fetched]);
  });

  it('drops the "" sub-fields of a set address', async () => {
    const created = await client.create({
      customerCode: 'K-2',
      businessName: 'Shop',
      billingAddress: { name: 'Shop', street1: '1 Main St', postalCode: 'T2P1J9' },
    });
    assert.deepEqual(created.billingAddress, {
      name: 'Shop',
      street1: '1 Main St',
      postalCode: 'T2P1J9',
    });
    assert.equal('contactName' in created, false);
  });

  it('maps generated CST codes and numeric ids', async () => {
    const raw = await request(`${emu.url}/customers`, {
      method: 'POST',
      headers: { 'api-token': emu.token, 'content-type': 'application/json' },
      body: JSON.stringify({ contactName: 'No Code' }),
    });
    const body: unknown = await raw.body.json();
    assert.ok(typeof body === 'object' && body !== null && 'id' in body);
    const fetched = await client.get(String(body.id));
    assert.match(String(fetched['customerCode']), /^CST\d+$/);
    assert.equal(fetched.id, String(body.id));
  });

  it('updates partially: fields left out keep their values; updatedAt appears', async () => {
    const created = await client.create({
      customerCode: 'K-3',
      contactName: 'A',
      businessName: 'B',
    });
    const updated = await client.update(created.id, { contactName: 'A2', cellPhone: '4035550199' });
    assert.equal(updated.contactName, 'A2');
    assert.equal(updated.businessName, 'B');
    assert.equal(updated.cellPhone, '4035550199');
    assert.match(updated.updatedAt ?? '', /^\d{4}-/);
  });

  it('401 on a wrong token, without the token in the error', async () => {
    const wrong = 'wrong-token-abcdef-123456';
    const error = await failure(clientFor(emu, wrong).list());
    assert.equal(error.code, 'ERR_REMOTE_AUTH');
    assert.equal(error.status, 401);
    const everything = `${error.message} ${String(error.cause)} ${JSON.stringify(error)} ${error.hint ?? ''}`;
    assert.equal(everything.includes(wrong), false);
    assert.equal(everything.includes(DEFAULT_EMULATOR_TOKEN), false);
  });

  it('404 Invalid customerId', async () => {
    const error = await failure(client.get('999999'));
    assert.equal(error.code, 'ERR_REMOTE_NOT_FOUND');
    assert.deepEqual(error.problems, [{ message: 'Invalid customerId' }]);
    assert.equal(
      (await failure(client.update('999999', { contactName: 'x' }))).code,
      'ERR_REMOTE_NOT_FOUND',
    );
  });

  it('400 without a name, on POST and on PUT', async () => {
    const post = await failure(client.create({ customerCode: 'K-4', cellPhone: '4035550100' }));
    assert.equal(post.code, 'ERR_REMOTE_HTTP');
    assert.equal(post.status, 400);
    assert.deepEqual(post.problems, [
      { message: 'Contact name or business name should be filled' },
    ]);
    const created = await client.create({ customerCode: 'K-5', contactName: 'Has Name' });
    const put = await failure(client.update(created.id, { cellPhone: '4035550100' }));
    assert.equal(put.status, 400);
    assert.match(put.problems[0]?.message ?? '', /name/);
  });

  it('a duplicate code is ERR_REMOTE_CONFLICT', async () => {
    await client.create({ customerCode: 'DUP', contactName: 'One' });
    const error = await failure(client.create({ customerCode: 'DUP', contactName: 'Two' }));
    assert.equal(error.code, 'ERR_REMOTE_CONFLICT');
    assert.equal(error.status, 400);
  });

  it('validation errors become problems with fields', async () => {
    const error = await failure(
      client.create({
        customerCode: 'K-6',
        contactName: 'V',
        cellPhone: '123',
        billingAddress: { name: 'V', postalCode: 'X', country: 'CA' },
      }),
    );
    assert.equal(error.code, 'ERR_REMOTE_HTTP');
    const fields = error.problems.map((p) => p.field).sort();
    assert.deepEqual(fields, ['billingAddress.country', 'billingAddress.street1', 'cellPhone']);
  });
});

describe('contract: call counts', () => {
  for (const [count, expected] of [
    [250, 3],
    [200, 3],
    [0, 1],
  ] as const) {
    it(`lists ${count} customers in ${expected} calls`, async () => {
      const emu = await emulator(count);
      const client = clientFor(emu);
      const customers = await client.list();
      assert.equal(customers.length, count);
      assert.equal(new Set(customers.map((c) => c.id)).size, count);
      assert.equal(emu.stats().requests['GET /v2/customers']?.['200'], expected);
      assert.equal(emu.stats().totalRequests, expected);
      assert.equal(client.cost.list(count), expected);
    });
  }

  it('looks codes up with one call each', async () => {
    const emu = await emulator(20);
    const client = clientFor(emu);
    const existing = (await client.list()).slice(0, 3).map((c) => String(c['customerCode']));
    const before = calls(emu, 'GET /v2/customers');
    const found = await client.findByIdentities([...existing, 'MISSING-1', 'MISSING-2']);
    assert.equal(calls(emu, 'GET /v2/customers') - before, client.cost.lookup(5));
    assert.equal(found.size, 5);
    for (const code of existing) assert.equal(found.get(code)?.[0]?.customerCode, code);
    assert.deepEqual(found.get('MISSING-1'), []);
  });
});
