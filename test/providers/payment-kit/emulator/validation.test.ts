import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { obj, startApi, type Api } from './helpers.js';

describe('PUT validation: 400 {"error": "..."} and nothing stored', () => {
  let api: Api;
  let id: string;
  let stored: unknown;
  before(async () => {
    api = await startApi({ seed: 1 });
    const [customer] = await api.all(true);
    assert.ok(customer);
    id = String(customer['id']);
    stored = customer;
  });
  after(() => api.emulator.close());

  const cases: [string, unknown, RegExp][] = [
    ['invalid email', { email: 'not-an-email' }, /^email is not a valid email address/],
    ['email with a space', { email: 'a b@example.com' }, /^email is not a valid email/],
    [
      'alpha-3 country',
      { address: { country: 'USA' } },
      /^address\.country must be an ISO 3166-1 alpha-2/,
    ],
    ['lowercase country', { address: { country: 'us' } }, /alpha-2/],
    ['unknown alpha-2', { address: { country: 'XX' } }, /alpha-2/],
    [
      'shipping country',
      { shipping: { address: { country: 'CAN' } } },
      /^shipping\.address\.country/,
    ],
    ['metadata not an object', { metadata: 'crm=1' }, /^metadata must be an object of strings$/],
    ['metadata array', { metadata: ['a'] }, /^metadata must be an object/],
    ['metadata null', { metadata: null }, /^metadata must be an object/],
    ['metadata number value', { metadata: { n: 1 } }, /^metadata\.n must be a string$/],
    ['metadata nested value', { metadata: { n: { x: '1' } } }, /^metadata\.n must be a string/],
    ['metadata null value', { metadata: { n: null } }, /leave a key out of metadata to remove it/],
    ['metadata empty key', { metadata: { '': 'x' } }, /metadata keys must not be empty/],
    ['name a number', { name: 42 }, /^name must be a string$/],
    ['phone null', { phone: null }, /^phone must be a string \(send "" to clear it/],
    ['address a string', { address: '1 Main St' }, /^address must be an object$/],
    ['address null', { address: null }, /^address must be an object$/],
    ['address line a number', { address: { line1: 5 } }, /^address\.line1 must be a string/],
    [
      'Helcim address key',
      { address: { postalCode: 'H0H' } },
      /^address\.postalCode is not an address field/,
    ],
    ['balance', { balance: '100.00' }, /^balance cannot be updated$/],
    ['delinquent', { delinquent: true }, /^delinquent cannot be updated$/],
    ['did', { did: 'z1abc' }, /^did cannot be updated$/],
    ['livemode', { livemode: false }, /^livemode cannot be updated$/],
    ['id', { id: 'cus_x' }, /^id cannot be updated$/],
    ['created_at', { created_at: '2020-01-01T00:00:00.000Z' }, /^created_at cannot be updated$/],
    ['updated_at', { updated_at: '2020-01-01T00:00:00.000Z' }, /^updated_at cannot be updated$/],
    ['unknown field', { emial: 'x@example.com' }, /^emial is not a customer field$/],
    [
      'read-only next to a valid change',
      { name: 'Fine', balance: '1' },
      /^balance cannot be updated$/,
    ],
    ['body an array', [{ name: 'x' }], /^Request body must be a JSON object$/],
    ['body a string', '"name"', /^Request body must be a JSON object$/],
    ['invalid JSON', '{"name":', /^Request body is not valid JSON$/],
  ];
  for (const [label, body, message] of cases) {
    test(label, async () => {
      // Compared with what is stored now, so one failing case does not fail the next ones.
      const current = (await api.get(`/api/customers/${id}`)).body;
      const res = await api.put(id, body);
      assert.equal(res.status, 400, res.text);
      const error = obj(res.body)['error'];
      assert.equal(typeof error, 'string');
      assert.match(String(error), message);
      assert.deepEqual(Object.keys(obj(res.body)), ['error']);
      assert.deepEqual((await api.get(`/api/customers/${id}`)).body, current);
    });
  }

  test('every problem of a body is named, joined by "; "', async () => {
    const res = await api.put(id, { email: 'x', address: { country: 'usa' }, metadata: { a: 1 } });
    const error = String(obj(res.body)['error']);
    assert.equal(error.split('; ').length, 3, error);
  });

  test('a body over 1 MB is a 413 (PUT and GET alike), and the socket still answers', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    const put = await api.put(id, big);
    assert.equal(put.status, 413);
    assert.match(String(obj(put.body)['error']), /too large/);
    const get = await rawRequest(api, 'GET', '/api/customers', big);
    assert.equal(get.status, 413);
    assert.deepEqual((await api.get(`/api/customers/${id}`)).body, stored);
  });

  test('a JSON body on GET is accepted and ignored (the SDK may send one)', async () => {
    const plain = await api.get('/api/customers?pageSize=1');
    const res = await rawRequest(
      api,
      'GET',
      '/api/customers?pageSize=1',
      '{"create":true,"pageSize":50}',
    );
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), plain.body);
    const junk = await rawRequest(api, 'GET', `/api/customers/${id}`, 'not json at all');
    assert.equal(junk.status, 200);
    assert.equal(api.emulator.stats().customers, 2);
  });

  test('an empty PUT body is {} (no change), not an error', async () => {
    const res = await rawRequest(api, 'PUT', `/api/customers/${id}`, '');
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), stored);
  });
});

/** fetch() refuses a body on GET; node:http does not, as axios in the SDK does not. */
function rawRequest(
  api: Api,
  method: string,
  path: string,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${api.emulator.url}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${api.emulator.token}`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
