import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, obj, startApi, type Api } from './helpers.js';

let api: Api;
before(async () => {
  api = await startApi();
});
after(() => api.emulator.close());

/** POSTs `body` and returns its field-keyed errors, failing unless the answer is such a 400. */
async function fieldErrors(body: unknown): Promise<Record<string, unknown>> {
  const res = await api.post(body);
  assert.equal(res.status, 400, res.text);
  return obj(obj(res.body)['errors']);
}

const withBilling = (patch: Record<string, unknown>) => ({
  contactName: 'V',
  billingAddress: { ...ADDRESS, ...patch },
});

describe('field rules answer 400 with errors keyed by dotted field path', () => {
  test('cellPhone is 10 to 16 characters', async () => {
    assert.ok('cellPhone' in (await fieldErrors({ contactName: 'V', cellPhone: '123456789' })));
    assert.ok(
      'cellPhone' in (await fieldErrors({ contactName: 'V', cellPhone: '12345678901234567' })),
    );
    assert.equal((await api.post({ contactName: 'V', cellPhone: '1234567890' })).status, 200);
    assert.equal((await api.post({ contactName: 'V', cellPhone: '+1 403-555-1234' })).status, 200);
  });

  test('address name, street1 and postalCode are required', async () => {
    for (const key of ['name', 'street1', 'postalCode']) {
      const errors = await fieldErrors(withBilling({ [key]: '' }));
      assert.deepEqual(Object.keys(errors), [`billingAddress.${key}`]);
    }
    const errors = await fieldErrors({ contactName: 'V', shippingAddress: { city: 'Calgary' } });
    assert.deepEqual(Object.keys(errors).sort(), [
      'shippingAddress.name',
      'shippingAddress.postalCode',
      'shippingAddress.street1',
    ]);
  });

  test('address phone is 10 to 15 digits', async () => {
    for (const phone of ['123456789', '1234567890123456', '403-555-1234', 'abcdefghij']) {
      assert.ok('billingAddress.phone' in (await fieldErrors(withBilling({ phone }))), phone);
    }
    assert.equal((await api.post(withBilling({ phone: '123456789012345' }))).status, 200);
  });

  test('country must be a known ISO alpha-3 code', async () => {
    for (const country of ['CA', 'Canada', 'XYZ', 'can']) {
      const errors = await fieldErrors(withBilling({ country, province: '' }));
      assert.ok('billingAddress.country' in errors, country);
    }
    assert.equal((await api.post(withBilling({ country: 'FRA', province: '' }))).status, 200);
  });

  test('province and country come as a pair for CAN and USA', async () => {
    assert.ok(
      'billingAddress.province' in
        (await fieldErrors(withBilling({ province: '', country: 'USA' }))),
    );
    assert.ok(
      'billingAddress.country' in (await fieldErrors(withBilling({ province: 'AB', country: '' }))),
    );
    assert.ok(
      'billingAddress.province' in (await fieldErrors(withBilling({ province: 'Alberta' }))),
    );
    assert.equal((await api.post(withBilling({ province: 'NY', country: 'USA' }))).status, 200);
    assert.equal((await api.post(withBilling({ province: '', country: '' }))).status, 200);
  });

  test('rules apply on PUT too, and a rejected PUT changes nothing', async () => {
    const created = obj((await api.post({ contactName: 'P', cellPhone: '4035550000' })).body);
    const res = await api.put(Number(created['id']), { contactName: 'P2', cellPhone: '1' });
    assert.equal(res.status, 400);
    assert.ok('cellPhone' in obj(obj(res.body)['errors']));
    const now = obj((await api.get(`/customers/${String(created['id'])}`)).body);
    assert.equal(now['contactName'], 'P');
  });
});

describe('wrong types and malformed bodies', () => {
  test('a number for a name, an array or number for an address: 400 keyed by field', async () => {
    assert.ok('contactName' in (await fieldErrors({ contactName: 42 })));
    assert.ok('businessName' in (await fieldErrors({ contactName: 'V', businessName: null })));
    assert.ok(
      'billingAddress' in (await fieldErrors({ contactName: 'V', billingAddress: [ADDRESS] })),
    );
    assert.ok('shippingAddress' in (await fieldErrors({ contactName: 'V', shippingAddress: 7 })));
    assert.ok('billingAddress.phone' in (await fieldErrors(withBilling({ phone: 4035551234 }))));
    assert.ok('customerCode' in (await fieldErrors({ contactName: 'V', customerCode: 12 })));
  });

  test('invalid JSON and non-object bodies: 400 with an array of messages', async () => {
    for (const raw of ['{"contactName":', 'not json', '[]', '"text"', 'null', '42']) {
      const res = await api.call('POST', '/customers', raw);
      assert.equal(res.status, 400, raw);
      const errors = obj(res.body)['errors'];
      assert.ok(Array.isArray(errors) && errors.length === 1, raw);
    }
  });

  test('unknown top-level fields are ignored', async () => {
    const res = await api.post({ contactName: 'Extra', notAField: 1, id: 5, cellphone: 'x' });
    assert.equal(res.status, 200);
    const body = obj(res.body);
    assert.equal('notAField' in body, false);
    assert.notEqual(body['id'], 5);
    assert.equal(body['cellphone'], '');
  });

  test('a body over 1 MB is refused with 413 and the connection still answers', async () => {
    const huge = JSON.stringify({ contactName: 'x'.repeat(2 * 1024 * 1024) });
    const res = await api.call('POST', '/customers', huge);
    assert.equal(res.status, 413);
    assert.ok(Array.isArray(obj(res.body)['errors']));
    assert.equal((await api.get('/customers?limit=1')).status, 200);
  });

  test('a chunked body over 1 MB (no content-length) is refused too', async () => {
    const chunk = 'x'.repeat(256 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const encoder = new TextEncoder();
        controller.enqueue(encoder.encode('{"contactName":"'));
        for (let i = 0; i < 6; i++) controller.enqueue(encoder.encode(chunk));
        controller.enqueue(encoder.encode('"}'));
        controller.close();
      },
    });
    const res = await fetch(`${api.emulator.url}/customers`, {
      method: 'POST',
      headers: { 'api-token': api.emulator.token, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    assert.equal(res.status, 413);
    await res.text();
  });
});

describe('auth and routing', () => {
  test('missing or wrong api-token: 401 Unauthorized, with the limit headers', async () => {
    for (const headers of [{ 'api-token': 'wrong' }, { 'api-token': '' }]) {
      const res = await api.call('GET', '/customers', undefined, headers);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { errors: 'Unauthorized' });
      assert.ok(res.headers.has('minute-limit-remaining'));
      assert.ok(res.headers.has('hour-limit-remaining'));
    }
    const bare = await fetch(`${api.emulator.url}/customers`);
    assert.equal(bare.status, 401);
    assert.deepEqual(await bare.json(), { errors: 'Unauthorized' });
  });

  test('unknown route: 404; wrong method: 405 with Allow', async () => {
    const missing = await api.get('/invoices');
    assert.equal(missing.status, 404);
    assert.ok('errors' in obj(missing.body));
    assert.ok(missing.headers.has('minute-limit-remaining'));
    assert.ok(missing.headers.has('hour-limit-remaining'));
    const unknownId = await api.get('/customers/1');
    assert.equal(unknownId.status, 404);
    assert.ok(unknownId.headers.has('minute-limit-remaining'));
    const wrong = await api.call('DELETE', '/customers/1');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, PUT');
    assert.ok(wrong.headers.has('minute-limit-remaining'));
    const patch = await api.call('PATCH', '/customers');
    assert.equal(patch.status, 405);
    const outside = await fetch(api.emulator.url.replace('/v2', '/v1/customers'));
    assert.equal(outside.status, 404);
  });
});
