/**
 * The `reject` fault and the emulators' `rejectValue`: a write refused with a 400 and a field
 * error in each provider's own shape, reads never refused, nothing stored, and both clients
 * taking it as a final answer about the record (one request, no retry).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FAULT_KINDS, parseFaultSpec, startEmulator } from '../../src/emulator/index.js';
import { FaultInjector, isWriteMethod, refusalOf } from '../../src/emulator/faults.js';
import { HelcimClient } from '../../src/providers/helcim/client/client.js';
import { PaymentKitClient } from '../../src/providers/payment-kit/client/client.js';
import { PAYMENT_KIT_FAULT_KINDS } from '../../src/providers/payment-kit/emulator/types.js';
import { RemoteError } from '../../src/core/errors.js';
import { obj, withApi as withHelcimApi } from '../providers/helcim/emulator/helpers.js';
import { withApi as withPkApi } from '../providers/payment-kit/emulator/helpers.js';

const ADA = {
  customerCode: 'REJ-1',
  contactName: 'Ada Lovelace',
  cellPhone: '4035550101',
};

describe('the reject fault kind', () => {
  test('is a kind of both emulators, parsed like the others, and comes last', () => {
    assert.equal(FAULT_KINDS.at(-1), 'reject');
    assert.ok((PAYMENT_KIT_FAULT_KINDS as readonly string[]).includes('reject'));
    assert.deepEqual(parseFaultSpec('reject:0.25,500:0.1'), { reject: 0.25, '500': 0.1 });
    assert.throws(() => parseFaultSpec('reject:2'), /probability of "reject"/);
  });

  test('adding it left the draws of the other kinds as they were', () => {
    const spec = { '500': 0.2, reset: 0.1 };
    const before = new FaultInjector(spec, 7);
    const withReject = new FaultInjector({ ...spec, reject: 0 }, 7);
    for (let i = 0; i < 200; i++) assert.equal(withReject.next(), before.next());
  });

  test('draws about P of the requests, repeatably for a seed', () => {
    const draw = (seed: number) => {
      const injector = new FaultInjector({ reject: 0.3 }, seed);
      return Array.from({ length: 1000 }, () => injector.next());
    };
    const first = draw(5);
    assert.deepEqual(draw(5), first);
    const rejected = first.filter((k) => k === 'reject').length;
    assert.ok(rejected > 240 && rejected < 360, `${rejected} of 1000`);
  });

  test('refusalOf names a field a person fixes, never the code; rejectValue picks the field holding it', () => {
    const rule = { drawn: true, rejectValue: undefined, preferred: ['contactName'], fallback: 'x' };
    assert.deepEqual(refusalOf({ customerCode: 'C1', contactName: 'Ada' }, rule), {
      field: 'contactName',
      reason: 'contactName is not accepted (emulator: fault "reject")',
    });
    assert.equal(refusalOf({ customerCode: 'C1' }, rule)?.field, 'customerCode');
    assert.equal(refusalOf(undefined, rule)?.field, 'x');
    assert.equal(refusalOf({ contactName: 'Ada' }, { ...rule, drawn: false }), undefined);
    const byValue = { ...rule, drawn: false, rejectValue: 'BAD' };
    assert.equal(
      refusalOf({ contactName: 'Ada', billingAddress: { city: 'BADville' } }, byValue)?.field,
      'billingAddress.city',
    );
    assert.equal(refusalOf({ contactName: 'Ada' }, byValue), undefined);
    assert.equal(refusalOf({ contactName: 'Ada' }, { ...byValue, rejectValue: '' }), undefined);
    assert.ok(isWriteMethod('POST') && isWriteMethod('PUT') && !isWriteMethod('GET'));
  });
});

describe('Helcim emulator', () => {
  test('reject:1 refuses a create with 400 and errors keyed by field, and stores nothing', async () => {
    await withHelcimApi({ faults: 'reject:1' }, async (api) => {
      const res = await api.post(ADA);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        errors: { contactName: 'contactName is not accepted (emulator: fault "reject")' },
      });
      assert.equal(api.emulator.stats().customers, 0);
      assert.deepEqual(api.emulator.stats().faults, { reject: 1 });
      assert.deepEqual(api.emulator.stats().requests['POST /v2/customers'], { '400': 1 });
    });
  });

  test('reads are never rejected, and a wrong token is still a 401', async () => {
    await withHelcimApi({ faults: 'reject:1', seed: 2 }, async (api) => {
      const list = await api.get('/customers');
      assert.equal(list.status, 200);
      assert.equal((await api.get('/connection-test')).status, 200);
      const denied = await api.call('POST', '/customers', ADA, { 'api-token': 'wrong' });
      assert.equal(denied.status, 401);
      assert.deepEqual(api.emulator.stats().faults, {});
    });
  });

  test('reject:1 refuses an update, which changes nothing; rejectValue picks the record', async () => {
    await withHelcimApi({ seed: 1, faults: 'reject:1' }, async (api) => {
      const list = (await api.get('/customers')).body;
      assert.ok(Array.isArray(list));
      const first = obj(list[0]);
      const id = Number(first['id']);
      const res = await api.put(id, { contactName: 'Changed' });
      assert.equal(res.status, 400);
      assert.deepEqual(Object.keys(obj(obj(res.body)['errors'])), ['contactName']);
      assert.equal(
        obj((await api.get(`/customers/${id}`)).body)['contactName'],
        first['contactName'],
      );
    });
    await withHelcimApi({ seed: 1, rejectValue: 'Refuse me' }, async (api) => {
      const list = (await api.get('/customers')).body;
      assert.ok(Array.isArray(list));
      const id = Number(obj(list[0])['id']);
      const res = await api.put(id, { contactName: 'Refuse me please' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        errors: {
          contactName: 'contactName is not accepted: it holds "Refuse me" (emulator: rejectValue)',
        },
      });
      assert.equal((await api.put(id, { contactName: 'Fine' })).status, 200);
      assert.deepEqual(api.emulator.stats().faults, {}, 'rejectValue is no fault draw');
    });
  });

  test('the client takes the refusal as final: one POST, a 400 with the field', async () => {
    const emu = await startEmulator({ port: 0, rateLimit: 'off', faults: 'reject:1' });
    const client = new HelcimClient({
      baseUrl: emu.url,
      token: emu.token,
      limits: 'off',
      retry: { baseMs: 1, capMs: 2 },
    });
    try {
      await assert.rejects(client.create(ADA), (error: unknown) => {
        assert.ok(error instanceof RemoteError);
        assert.equal(error.code, 'ERR_REMOTE_HTTP');
        assert.equal(error.status, 400);
        assert.deepEqual(error.problems, [
          {
            field: 'contactName',
            message: 'contactName is not accepted (emulator: fault "reject")',
          },
        ]);
        return true;
      });
      assert.equal(emu.stats().totalRequests, 1, 'not retried, not looked up');
    } finally {
      await client.close();
      await emu.close();
    }
  });
});

describe('Payment Kit emulator', () => {
  test('reject:1 refuses a PUT with 400 {"error"} naming the field; reads and 405s are untouched', async () => {
    await withPkApi({ faults: 'reject:1' }, async (api) => {
      const [customer] = api.emulator.checkout(1);
      assert.ok(customer);
      const res = await api.put(customer.id, { name: 'Not saved', email: 'a@example.com' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'name is not accepted (emulator: fault "reject")' });
      assert.equal((await api.get(`/api/customers/${customer.id}`)).status, 200);
      assert.equal((await api.call('POST', '/api/customers', { body: {} })).status, 405);
      const stored = obj((await api.get(`/api/customers/${customer.id}`)).body);
      assert.equal(stored['name'], customer.name);
      assert.deepEqual(api.emulator.stats().faults, { reject: 1 });
    });
  });

  test('rejectValue refuses the PUT whose field holds it, in metadata too', async () => {
    await withPkApi({ rejectValue: 'NOPE' }, async (api) => {
      const [customer] = api.emulator.checkout(1);
      assert.ok(customer);
      const res = await api.put(customer.id, { metadata: { crm: 'NOPE-1' } });
      assert.deepEqual(
        [res.status, res.body],
        [400, { error: 'metadata.crm is not accepted: it holds "NOPE" (emulator: rejectValue)' }],
      );
      assert.equal((await api.put(customer.id, { metadata: { crm: 'C-1' } })).status, 200);
    });
  });

  test('the client takes the refusal as final: one PUT, a 400 with the message', async () => {
    await withPkApi({ faults: 'reject:1' }, async (api) => {
      const [customer] = api.emulator.checkout(1);
      assert.ok(customer);
      const client = new PaymentKitClient({
        baseUrl: api.emulator.url,
        accessKey: api.emulator.token,
        livemode: true,
      });
      try {
        const before = api.emulator.stats().totalRequests;
        await assert.rejects(client.update(customer.id, { name: 'X' }), (error: unknown) => {
          assert.ok(error instanceof RemoteError);
          assert.equal(error.code, 'ERR_REMOTE_HTTP');
          assert.equal(error.status, 400);
          assert.match(error.message, /name is not accepted/);
          return true;
        });
        assert.equal(api.emulator.stats().totalRequests - before, 1, 'not retried');
      } finally {
        await client.close();
      }
    });
  });
});
