import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startEmulator } from '../../../../src/emulator/index.js';
import { base58 } from '../../../../src/providers/payment-kit/emulator/ids.js';
import { isAlpha2 } from '../../../../src/providers/payment-kit/emulator/validate.js';
import {
  ADDRESS_KEYS,
  CUSTOMER_KEYS,
  FIXED_NOW,
  ISO_DATE,
  fetchAnswer,
  listOf,
  obj,
  startApi,
} from './helpers.js';

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function unbase58(text: string): Buffer {
  let value = 0n;
  for (const char of text) value = value * 58n + BigInt(BASE58_ALPHABET.indexOf(char));
  const hex = value.toString(16);
  const body = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  const zeros = /^1*/.exec(text)?.[0].length ?? 0;
  return Buffer.concat([Buffer.alloc(zeros), body]);
}

/** ArcBlock's DID rule, written out independently: type 0x0001, 20-byte hash, SHA3 checksum. */
function isArcBlockDid(did: string): boolean {
  if (!did.startsWith('z')) return false;
  const bytes = unbase58(did.slice(1));
  if (bytes.length !== 26 || bytes[0] !== 0 || bytes[1] !== 1) return false;
  const sum = createHash('sha3-256').update(bytes.subarray(0, 22)).digest().subarray(0, 4);
  return sum.equals(bytes.subarray(22));
}

describe('wire shapes pinned to the contract', () => {
  test('a list answer is { count, list, paging: { page, pageSize } }', async () => {
    const api = await startApi({ seed: 3 });
    try {
      const res = await api.get('/api/customers');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const body = obj(res.body);
      assert.deepEqual(Object.keys(body), ['count', 'list', 'paging']);
      assert.equal(body['count'], 3);
      assert.deepEqual(body['paging'], { page: 1, pageSize: 20 });
      assert.equal(listOf(body).length, 3);
    } finally {
      await api.emulator.close();
    }
  });

  test('customers have the example object keys in order, typed as the contract says', async () => {
    const api = await startApi({ seed: 30, now: () => FIXED_NOW });
    try {
      const customers = [...(await api.all(true)), ...(await api.all(false))];
      assert.equal(customers.length, 60);
      const countries = new Set<string>();
      for (const c of customers) {
        assert.deepEqual(Object.keys(c), CUSTOMER_KEYS);
        assert.match(String(c['id']), /^cus_[0-9A-Za-z]{24}$/);
        assert.ok(isArcBlockDid(String(c['did'])), `valid DID: ${String(c['did'])}`);
        assert.match(String(c['did']), /^z1/);
        assert.equal(typeof c['livemode'], 'boolean');
        assert.equal(typeof c['balance'], 'string');
        assert.match(String(c['balance']), /^-?\d+(\.\d+)?$/);
        assert.equal(typeof c['delinquent'], 'boolean');
        assert.match(String(c['created_at']), ISO_DATE);
        assert.match(String(c['updated_at']), ISO_DATE);
        assert.match(String(c['invoice_prefix']), /^[0-9A-F]{6}$/);
        const address = obj(c['address']);
        assert.deepEqual(Object.keys(address), ADDRESS_KEYS);
        const country = String(address['country']);
        if (country !== '') {
          assert.ok(isAlpha2(country), country);
          countries.add(country);
        }
        for (const value of Object.values(obj(c['metadata']))) assert.equal(typeof value, 'string');
        for (const key of ['name', 'email', 'phone', 'description']) {
          assert.ok(c[key] === null || typeof c[key] === 'string', key);
        }
      }
      // The seed covers the cases a client must handle.
      assert.ok(countries.size >= 4, `several countries: ${[...countries].join(',')}`);
      for (const key of ['email', 'phone']) {
        assert.ok(
          customers.some((c) => c[key] === null),
          `${key} null somewhere`,
        );
        assert.ok(
          customers.some((c) => c[key] === ''),
          `${key} "" somewhere`,
        );
      }
      assert.ok(customers.some((c) => Object.keys(obj(c['metadata'])).length > 0));
      assert.ok(customers.some((c) => Object.keys(obj(c['metadata'])).length === 0));
      assert.ok(customers.some((c) => obj(c['address'])['country'] === ''));
    } finally {
      await api.emulator.close();
    }
  });

  test('base58 keeps leading zero bytes as 1s', () => {
    assert.equal(base58(Buffer.from([0, 0, 1])), '112');
    assert.equal(base58(Buffer.from([0xff])), '5Q');
  });

  test('isAlpha2 takes exact uppercase ISO 3166-1 alpha-2 codes only', () => {
    for (const code of ['US', 'CA', 'GB', 'DE']) assert.ok(isAlpha2(code), code);
    for (const code of ['us', 'USA', 'UK', 'XX', '', 'U']) assert.ok(!isAlpha2(code), code);
  });
});

describe('/__blocklet__.js', () => {
  test('?type=json lists Payment Kit at its mount point, with no auth', async () => {
    const emulator = await startEmulator({ provider: 'payment-kit', mountPoint: 'shop/pay/' });
    try {
      assert.equal(emulator.mountPoint, '/shop/pay');
      assert.equal(emulator.url, `${emulator.origin}/shop/pay`);
      const res = await fetchAnswer(`${emulator.origin}/__blocklet__.js?type=json`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        componentMountPoints: [
          {
            did: 'z2qaCNvKMv5GjouKdcDWexv6WqtHbpNPQDnAk',
            name: 'payment-kit',
            mountPoint: '/shop/pay',
          },
        ],
      });
      const script = await fetchAnswer(`${emulator.origin}/__blocklet__.js`);
      assert.match(script.headers.get('content-type') ?? '', /javascript/);
      assert.match(script.text, /^window\.blocklet = \{"componentMountPoints":/);
      const post = await fetchAnswer(`${emulator.origin}/__blocklet__.js`, { method: 'POST' });
      assert.equal(post.status, 405);
      assert.deepEqual(emulator.stats().requests['GET /__blocklet__.js'], { '200': 2 });
    } finally {
      await emulator.close();
    }
  });

  test('the API answers under the mount point only', async () => {
    const api = await startApi({ mountPoint: '/payment' });
    try {
      assert.equal(api.emulator.url, `${api.emulator.origin}/payment`);
      assert.equal((await api.get('/api/customers')).status, 200);
      const outside = await fetchAnswer(`${api.emulator.origin}/other/api/customers`, {
        headers: { authorization: `Bearer ${api.emulator.token}` },
      });
      assert.equal(outside.status, 404);
    } finally {
      await api.emulator.close();
    }
  });

  test('mounted at the root, the base URL is the origin', async () => {
    const api = await startApi({ mountPoint: '/' });
    try {
      assert.equal(api.emulator.url, api.emulator.origin);
      assert.equal((await api.get('/api/customers')).status, 200);
    } finally {
      await api.emulator.close();
    }
  });

  test('mount points that would hide the admin routes or are not paths are refused', async () => {
    await assert.rejects(startApi({ mountPoint: '/__emulator' }), /hide the emulator/);
    await assert.rejects(startApi({ mountPoint: '/pay ment' }), /invalid mount point/);
    await assert.rejects(startApi({ mountPoint: '/a//b' }), /invalid mount point/);
  });
});
