/**
 * The emulator's read-only payment details over real HTTP on port 0: one card by id, a
 * customer's bank accounts and PAD agreements, in the shapes of Helcim's docs, with the same
 * 404 for an id that is not a customer's, the same token check, rate limits and statistics as
 * every other route, seeded deterministically and kept in the state file.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../../../src/emulator/index.js';
import { HELCIM_DATE, arr, num, obj, withApi, type Api } from './helpers.js';

const ZERO = '0000-00-00 00:00:00';
const NOW = (): Date => new Date('2025-04-10T20:33:08Z');

/** Keys in the order of Helcim's example bank account object. */
const BANK_KEYS = [
  'id',
  'customerId',
  'dateCreated',
  'dateUpdated',
  'dateLastUsed',
  'dateVerified',
  'bankToken',
  'accountType',
  'accountCorporate',
  'verified',
  'ready',
  'bankIdNumber',
  'transitNumber',
  'routingNumber',
  'bankAccountNumberL4',
  'address',
];
/** Keys in the order of Helcim's example PAD object. */
const PAD_KEYS = [
  'id',
  'accepted',
  'bankAccountId',
  'customerId',
  'dateAccepted',
  'dateCreated',
  'dateEarliestDebit',
  'dateRevoked',
  'dateUpdated',
  'ipAddress',
  'merchantId',
  'merchantAuthorized',
  'type',
  'status',
];

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Seeded customers in id order (customer k of the seed is index k). */
async function seeded(api: Api): Promise<Record<string, unknown>[]> {
  return arr((await api.get('/customers?includeCards=yes')).body).map(obj);
}

describe('GET /customers/{id}/bank-accounts', () => {
  test('a bare array in the docs shape; every third customer from the second has some', async () => {
    await withApi({ seed: 12, now: NOW }, async (api) => {
      const customers = await seeded(api);
      const counts: number[] = [];
      for (const customer of customers) {
        const res = await api.get(`/customers/${num(customer['id'])}/bank-accounts`);
        assert.equal(res.status, 200);
        const accounts = arr(res.body).map(obj);
        counts.push(accounts.length);
        for (const account of accounts) {
          assert.deepEqual(Object.keys(account), BANK_KEYS);
          assert.equal(account['customerId'], customer['id']);
          assert.match(String(account['bankAccountNumberL4']), /^\d{4}$/);
          assert.match(String(account['bankToken']), /^[0-9a-f]{22}$/);
          assert.ok(['CHECKING', 'SAVINGS'].includes(String(account['accountType'])));
          assert.ok([0, 1].includes(num(account['verified'])));
          assert.match(String(account['dateCreated']), HELCIM_DATE);
          assert.equal(account['dateLastUsed'], ZERO);
          const billing = obj(customer['billingAddress']);
          // Canadian accounts carry institution and transit numbers, US ones a routing number.
          if (billing['country'] === 'USA') {
            assert.match(String(account['routingNumber']), /^\d{9}$/);
            assert.equal(account['transitNumber'], '');
          } else {
            assert.match(String(account['bankIdNumber']), /^\d{3}$/);
            assert.match(String(account['transitNumber']), /^\d{5}$/);
            assert.equal(account['routingNumber'], '');
          }
          assert.deepEqual(account['address'], customer['billingAddress']);
        }
      }
      assert.deepEqual(counts, [0, 2, 0, 0, 1, 0, 0, 1, 0, 0, 2, 0]);
    });
  });

  test('a customer created over the API has none: []', async () => {
    await withApi({}, async (api) => {
      const id = num(obj((await api.post({ contactName: 'No Bank' })).body)['id']);
      const res = await api.get(`/customers/${id}/bank-accounts`);
      assert.equal(res.status, 200);
      assert.equal(res.text, '[]');
      assert.equal((await api.get(`/customers/${id}/pads`)).text, '[]');
    });
  });
});

describe('GET /customers/{id}/pads', () => {
  test('PADs name their bank account; status, accepted and dates agree; turns accepted, pending, revoked, none', async () => {
    await withApi({ seed: 12, now: NOW }, async (api) => {
      const statuses: string[] = [];
      for (const customer of await seeded(api)) {
        const id = num(customer['id']);
        const accounts = arr((await api.get(`/customers/${id}/bank-accounts`)).body).map(obj);
        const res = await api.get(`/customers/${id}/pads`);
        assert.equal(res.status, 200);
        const pads = arr(res.body).map(obj);
        if (accounts.length === 0) assert.deepEqual(pads, []);
        for (const account of accounts) {
          const mine = pads.filter((p) => p['bankAccountId'] === account['id']);
          assert.ok(mine.length <= 1);
          const pad = mine[0];
          if (pad === undefined) {
            statuses.push('none');
            continue;
          }
          assert.deepEqual(Object.keys(pad), PAD_KEYS);
          assert.equal(pad['customerId'], id);
          const status = num(pad['status']);
          const name = ['pending', 'accepted', 'revoked'][status];
          assert.ok(name !== undefined, `status ${status}`);
          statuses.push(name);
          assert.equal(pad['accepted'], name === 'pending' ? 0 : 1);
          assert.equal(pad['dateAccepted'] === ZERO, name === 'pending');
          assert.equal(pad['dateRevoked'] === ZERO, name !== 'revoked');
          // An agreement in force means a verified account.
          if (name === 'accepted') assert.equal(account['verified'], 1);
        }
        assert.equal(
          pads.length,
          accounts.filter((a) => pads.some((p) => p['bankAccountId'] === a['id'])).length,
          'every PAD is on one of the customer’s accounts',
        );
      }
      assert.deepEqual(statuses, ['accepted', 'pending', 'revoked', 'none', 'accepted', 'pending']);
    });
  });
});

describe('GET /customers/{id}/cards/{cardId}', () => {
  test('answers the one card as an object; another customer’s card or an unknown id is 404 Invalid cardId', async () => {
    await withApi({ seed: 12 }, async (api) => {
      const customers = await seeded(api);
      const holder = customers.find((c) => arr(c['cards']).length > 1);
      const other = customers.find((c) => c !== holder && arr(c['cards']).length > 0);
      assert.ok(holder !== undefined && other !== undefined, 'the seed has cards');
      const id = num(holder['id']);
      for (const card of arr(holder['cards']).map(obj)) {
        const res = await api.get(`/customers/${id}/cards/${num(card['id'])}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, card);
      }
      const foreign = num(obj(arr(other['cards'])[0])['id']);
      for (const cardId of [String(foreign), '1', 'abc', '-1', '1.5', '%20']) {
        const res = await api.get(`/customers/${id}/cards/${cardId}`);
        assert.equal(res.status, 404, cardId);
        assert.deepEqual(res.body, { errors: 'Invalid cardId' }, cardId);
      }
      // The customer is checked first: a card under an unknown customer names the customer.
      const res = await api.get(`/customers/123/cards/${foreign}`);
      assert.deepEqual([res.status, res.body], [404, { errors: 'Invalid customerId' }]);
    });
  });
});

describe('as every route', () => {
  const routes = (id: string): string[] => [
    `/customers/${id}/cards/5100001`,
    `/customers/${id}/bank-accounts`,
    `/customers/${id}/pads`,
  ];

  test('an unknown or non-numeric customer id answers 404 Invalid customerId', async () => {
    await withApi({ seed: 4 }, async (api) => {
      assert.equal((await api.get('/customers/28000002/bank-accounts')).status, 200);
      for (const id of ['123', 'abc', 'CST1001', '28000001abc', '-28000001', '2.8e7', '%20']) {
        for (const path of routes(id)) {
          const res = await api.get(path);
          assert.equal(res.status, 404, path);
          assert.deepEqual(res.body, { errors: 'Invalid customerId' }, path);
        }
      }
    });
  });

  test('without the token or with a wrong one: 401 Unauthorized, nothing else said', async () => {
    await withApi({ seed: 4 }, async (api) => {
      for (const path of routes('28000002')) {
        for (const token of ['', 'wrong']) {
          const res = await api.call('GET', path, undefined, { 'api-token': token });
          assert.equal(res.status, 401, path);
          assert.deepEqual(res.body, { errors: 'Unauthorized' });
        }
        const bare = await fetch(`${api.emulator.url}${path}`);
        assert.equal(bare.status, 401);
      }
    });
  });

  test('only GET: other methods answer 405 with Allow: GET', async () => {
    await withApi({ seed: 4 }, async (api) => {
      for (const path of routes('28000002')) {
        for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
          const res = await api.call(method, path, {});
          assert.equal(res.status, 405, `${method} ${path}`);
          assert.equal(res.headers.get('allow'), 'GET');
        }
      }
    });
  });

  test('they spend the rate budget, 404s included, carry the budget headers and get 429 past it', async () => {
    await withApi(
      { seed: 4, rateLimit: { concurrent: 5, perMinute: 3, perHour: 100 } },
      async (api) => {
        const first = await api.get('/customers/28000002/bank-accounts');
        assert.equal(first.status, 200);
        assert.equal(first.headers.get('minute-limit-remaining'), '2');
        assert.equal(first.headers.get('hour-limit-remaining'), '99');
        assert.equal((await api.get('/customers/abc/pads')).status, 404);
        const third = await api.get('/customers/28000001/cards/5100001');
        assert.equal(third.status, 200);
        assert.equal(third.headers.get('minute-limit-remaining'), '0');
        const refused = await api.get('/customers/28000002/pads');
        assert.equal(refused.status, 429);
        assert.equal(refused.headers.get('retry-after'), null);
        assert.equal(api.emulator.stats().rateLimited, 1);
      },
    );
  });

  test('stats count them under their own templates', async () => {
    await withApi({ seed: 4 }, async (api) => {
      await api.get('/customers/28000002/bank-accounts');
      await api.get('/customers/28000002/pads');
      await api.get('/customers/abc/pads');
      await api.get('/customers/28000001/cards/5100001');
      await api.get('/customers/28000001/cards/1');
      await api.call('POST', '/customers/28000002/bank-accounts', {});
      assert.deepEqual(api.emulator.stats().requests, {
        'GET /v2/customers/{id}/bank-accounts': { '200': 1 },
        'GET /v2/customers/{id}/pads': { '200': 1, '404': 1 },
        'GET /v2/customers/{id}/cards/{cardId}': { '200': 1, '404': 1 },
        'POST /v2/customers/{id}/bank-accounts': { '405': 1 },
      });
    });
  });
});

describe('seeding and the state file', () => {
  test('the same seed gives the same bank accounts and PADs', async () => {
    const answers: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      await withApi({ seed: 12, now: NOW }, async (api) => {
        answers.push([
          (await api.get('/customers/28000002/bank-accounts')).body,
          (await api.get('/customers/28000002/pads')).body,
        ]);
      });
    }
    assert.deepEqual(answers[0], answers[1]);
  });

  test('bank accounts and PADs survive a restart; reset empties them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'helcim-emulator-payments-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    let before: unknown;
    await withApi({ statePath, seed: 12, now: NOW }, async (api) => {
      before = [
        (await api.get('/customers/28000011/bank-accounts')).body,
        (await api.get('/customers/28000011/pads')).body,
      ];
    });
    const saved = obj(JSON.parse(await readFile(statePath, 'utf8')));
    assert.equal(arr(saved['bankAccounts']).length, 6);
    assert.equal(arr(saved['pads']).length, 5);
    await withApi({ statePath }, async (api) => {
      assert.deepEqual(
        [
          (await api.get('/customers/28000011/bank-accounts')).body,
          (await api.get('/customers/28000011/pads')).body,
        ],
        before,
      );
      api.emulator.reset();
      await api.post({ contactName: 'Fresh' });
      assert.equal((await api.get('/customers/28000001/bank-accounts')).text, '[]');
    });
    const reset = obj(JSON.parse(await readFile(statePath, 'utf8')));
    assert.equal('bankAccounts' in reset, false, 'an account without any writes no key');
    assert.equal('pads' in reset, false);
  });

  test('a bank account or PAD of no customer, or of the wrong shape, makes the file unusable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'helcim-emulator-payments-'));
    dirs.push(dir);
    const statePath = join(dir, 'state.json');
    await (await startEmulator({ statePath, seed: 2, now: NOW })).close();
    const good = obj(JSON.parse(await readFile(statePath, 'utf8')));
    const account = obj(arr(good['bankAccounts'])[0]);
    for (const [change, why] of [
      [
        { bankAccounts: [{ ...account, customerId: 1 }] },
        /bankAccounts\[0\] belongs to no customer/,
      ],
      [{ bankAccounts: [{ ...account, verified: 'yes' }] }, /bankAccounts\[0\] is not/],
      [{ pads: {} }, /"pads" is not an array/],
    ] as const) {
      await writeFile(statePath, JSON.stringify({ ...good, ...change }));
      await assert.rejects(startEmulator({ statePath }), (caught: unknown) => {
        assert.ok(caught instanceof Error);
        assert.match(caught.message, /is not usable/);
        assert.match(caught.message, why);
        return true;
      });
    }
  });
});
