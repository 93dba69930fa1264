import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADDRESS,
  arr,
  EXAMPLE_ADDRESS_KEYS,
  EXAMPLE_CUSTOMER_KEYS,
  HELCIM_DATE,
  num,
  obj,
  startApi,
  type Api,
} from './helpers.js';

// 2025-04-10 20:33:08 UTC is 14:33:08 in Calgary (MDT, UTC-6).
let wall = new Date('2025-04-10T20:33:08Z');
let api: Api;
before(async () => {
  api = await startApi({ now: () => wall });
});
after(() => api.emulator.close());

describe('create', () => {
  test('answers 200 with the customer object shaped like the recorded one', async () => {
    const res = await api.post({
      customerCode: 'SHAPE-1',
      contactName: 'John Doe',
      businessName: 'Helcim',
      cellPhone: '1234567899',
      billingAddress: ADDRESS,
      shippingAddress: ADDRESS,
    });
    assert.equal(res.status, 200);
    const body = obj(res.body);
    assert.deepEqual(Object.keys(body), EXAMPLE_CUSTOMER_KEYS);
    assert.deepEqual(Object.keys(obj(body['billingAddress'])), EXAMPLE_ADDRESS_KEYS);
    assert.equal(typeof body['id'], 'number');
    assert.equal(body['customerCode'], 'SHAPE-1');
    assert.deepEqual(body['cards'], []);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  });

  test('answers the phone as lowercase cellphone', async () => {
    const body = obj(
      (await api.post({ contactName: 'Phone Person', cellPhone: '4035550000' })).body,
    );
    assert.equal(body['cellphone'], '4035550000');
    assert.equal('cellPhone' in body, false);
  });

  test('unset names, phone and addresses come back as ""; a set address echoes all 9 keys', async () => {
    const body = obj(
      (
        await api.post({
          contactName: 'Only Contact',
          billingAddress: { name: 'A', street1: '1 St', postalCode: 'T2P' },
        })
      ).body,
    );
    assert.equal(body['businessName'], '');
    assert.equal(body['cellphone'], '');
    assert.equal(body['shippingAddress'], '');
    assert.deepEqual(body['billingAddress'], {
      name: 'A',
      street1: '1 St',
      street2: '',
      city: '',
      province: '',
      country: '',
      postalCode: 'T2P',
      phone: '',
      email: '',
    });
    const business = obj((await api.post({ businessName: 'Biz Only' })).body);
    assert.equal(business['contactName'], '');
    assert.equal(business['billingAddress'], '');
  });

  test('dates are Mountain Time YYYY-MM-DD HH:MM:SS; a fresh customer has a zeroed dateUpdated', async () => {
    const body = obj((await api.post({ contactName: 'Dated' })).body);
    assert.match(String(body['dateCreated']), HELCIM_DATE);
    assert.equal(body['dateCreated'], '2025-04-10 14:33:08');
    assert.equal(body['dateUpdated'], '0000-00-00 00:00:00');
  });

  test('a customer without customerCode gets CST + number, never an existing code', async () => {
    const first = obj((await api.post({ contactName: 'Gen 1' })).body);
    const code = String(first['customerCode']);
    assert.match(code, /^CST\d+$/);
    const next = Number(code.slice(3)) + 1;
    // Someone took the next generated code by hand: the generator must skip it.
    assert.equal(
      (await api.post({ contactName: 'Squatter', customerCode: `CST${next}` })).status,
      200,
    );
    const second = obj((await api.post({ contactName: 'Gen 2' })).body);
    assert.match(String(second['customerCode']), /^CST\d+$/);
    assert.notEqual(second['customerCode'], `CST${next}`);
    assert.notEqual(second['customerCode'], code);
  });

  test('ids are numbers and increase', async () => {
    const a = num(obj((await api.post({ contactName: 'Id A' })).body)['id']);
    const b = num(obj((await api.post({ contactName: 'Id B' })).body)['id']);
    assert.ok(Number.isInteger(a) && b > a);
  });

  test('a duplicate customerCode is a 400 naming the code', async () => {
    assert.equal((await api.post({ contactName: 'D', customerCode: 'DUP-1' })).status, 200);
    const res = await api.post({ contactName: 'D2', customerCode: 'DUP-1' });
    assert.equal(res.status, 400);
    const errors = obj(res.body)['errors'];
    assert.equal(typeof errors, 'string');
    assert.match(String(errors), /DUP-1/);
  });

  test('no name, or empty names, is the string error', async () => {
    for (const body of [
      {},
      { contactName: '' },
      { contactName: '', businessName: '' },
      { cellPhone: '1234567890' },
    ]) {
      const res = await api.post(body);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { errors: 'Contact name or business name should be filled' });
    }
  });
});

describe('get and update', () => {
  test('GET /customers/{id} returns the created object with cards, dateUpdated equal to dateCreated', async () => {
    const created = obj((await api.post({ contactName: 'Getter' })).body);
    const res = await api.get(`/customers/${num(created['id'])}`);
    assert.equal(res.status, 200);
    // Recorded: the create answer's zeroed dateUpdated reads back as dateCreated.
    assert.deepEqual(res.body, { ...created, dateUpdated: created['dateCreated'] });
  });

  test('unknown or non-numeric id: 404 Invalid customerId', async () => {
    for (const path of ['/customers/1', '/customers/CST1001', '/customers/1/cards']) {
      const res = await api.get(path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(res.body, { errors: 'Invalid customerId' });
    }
    const put = await api.put(999, { contactName: 'x' });
    assert.equal(put.status, 404);
    assert.deepEqual(put.body, { errors: 'Invalid customerId' });
  });

  test('PUT is partial, replaces a sent address, and its answer keeps dateUpdated where it was', async () => {
    const created = obj(
      (
        await api.post({
          contactName: 'Before',
          businessName: 'Keep Me',
          cellPhone: '4035551111',
          billingAddress: ADDRESS,
        })
      ).body,
    );
    const id = num(created['id']);
    wall = new Date('2025-12-01T18:00:00Z'); // 11:00 MST (UTC-7) in winter
    const res = await api.put(id, {
      contactName: 'After',
      billingAddress: { name: 'New', street1: '9 Ave', postalCode: '90210' },
    });
    assert.equal(res.status, 200);
    const body = obj(res.body);
    assert.equal(body['contactName'], 'After');
    assert.equal(body['businessName'], 'Keep Me');
    assert.equal(body['cellphone'], '4035551111');
    assert.equal(body['customerCode'], created['customerCode']);
    assert.equal(body['dateCreated'], created['dateCreated']);
    // Recorded: a PUT's answer does not move dateUpdated to the time of the PUT.
    assert.equal(body['dateUpdated'], created['dateCreated']);
    // Whole replacement: fields of the old address not sent are gone.
    assert.deepEqual(obj(body['billingAddress'])['city'], '');
    assert.deepEqual(obj(body['billingAddress'])['name'], 'New');
    assert.deepEqual((await api.get(`/customers/${id}`)).body, body);
  });

  test('PUT with "" as an address clears it', async () => {
    const id = num(
      obj((await api.post({ contactName: 'Addr', billingAddress: ADDRESS })).body)['id'],
    );
    const body = obj((await api.put(id, { contactName: 'Addr', billingAddress: '' })).body);
    assert.equal(body['billingAddress'], '');
  });

  test('PUT without a name in the body is rejected even though the stored customer has one', async () => {
    const id = num(obj((await api.post({ contactName: 'Named', businessName: 'Biz' })).body)['id']);
    const res = await api.put(id, { cellPhone: '4035552222' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { errors: 'Contact name or business name should be filled' });
    assert.equal(obj((await api.get(`/customers/${id}`)).body)['cellphone'], '');
  });

  test("PUT changing the code to another customer's is a 400; to its own or a free one is fine", async () => {
    await api.post({ contactName: 'Owner', customerCode: 'TAKEN-1' });
    const id = num(
      obj((await api.post({ contactName: 'Mover', customerCode: 'MOVER-1' })).body)['id'],
    );
    const res = await api.put(id, { contactName: 'Mover', customerCode: 'TAKEN-1' });
    assert.equal(res.status, 400);
    assert.match(String(obj(res.body)['errors']), /TAKEN-1/);
    assert.equal(
      (await api.put(id, { contactName: 'Mover', customerCode: 'MOVER-1' })).status,
      200,
    );
    assert.equal(
      (await api.put(id, { contactName: 'Mover', customerCode: 'MOVER-2' })).status,
      200,
    );
    const found = arr((await api.get('/customers?customerCode=MOVER-2')).body);
    assert.equal(found.length, 1);
    assert.deepEqual(arr((await api.get('/customers?customerCode=MOVER-1')).body), []);
    // The old code is free again.
    assert.equal((await api.post({ contactName: 'Reuser', customerCode: 'MOVER-1' })).status, 200);
  });
});
