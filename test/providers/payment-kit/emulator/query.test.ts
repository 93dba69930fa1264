import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../../../../src/providers/payment-kit/emulator/query.js';
import { readLivemode, readPaging } from '../../../../src/providers/payment-kit/emulator/params.js';

describe('parseQuery reads what qs.stringify writes', () => {
  test('plain, nested, pushed, repeated', () => {
    assert.deepEqual(parseQuery('?page=2&pageSize=5&livemode=true'), {
      page: '2',
      pageSize: '5',
      livemode: 'true',
    });
    assert.deepEqual(parseQuery('order%5B0%5D%5B0%5D=updated_at&order%5B0%5D%5B1%5D=DESC'), {
      order: [['updated_at', 'DESC']],
    });
    assert.deepEqual(parseQuery('a[]=1&a[]=2&b=x&b=y'), { a: ['1', '2'], b: ['x', 'y'] });
    assert.deepEqual(parseQuery('f[name]=Ada&f[city]=Paris'), {
      f: { name: 'Ada', city: 'Paris' },
    });
    assert.deepEqual(parseQuery('q=a+b%20c&flag'), { q: 'a b c', flag: '' });
  });

  test('sparse indexes compact; big indexes make an object; depth is capped', () => {
    assert.deepEqual(parseQuery('a[5]=x&a[1]=y'), { a: ['y', 'x'] });
    assert.deepEqual(parseQuery('a[99]=x'), { a: { '99': 'x' } });
    const deep = parseQuery('a[1][2][3][4][5][6][7]=x');
    assert.ok(JSON.stringify(deep).includes('[6][7]'), JSON.stringify(deep));
  });

  test('never throws; prototype keys are dropped', () => {
    for (const text of ['%', '%E0%A4%A=1', '=x', '&&&', 'a[=1', 'a]=1', 'a[b=1', '[x]=1']) {
      assert.doesNotThrow(() => parseQuery(text), text);
    }
    assert.equal(parseQuery('%E0%A4%A=1')['%E0%A4%A'], '1');
    const polluted = parseQuery('__proto__[admin]=1&constructor[prototype][x]=1&toString=2');
    assert.deepEqual(Object.keys(polluted), []);
    assert.equal(Object.getPrototypeOf(polluted), Object.prototype);
    assert.equal('admin' in {}, false);
  });
});

describe('parameter readers', () => {
  test('paging clamps numbers and refuses junk', () => {
    assert.deepEqual(readPaging(parseQuery('')), { ok: true, value: { page: 1, pageSize: 20 } });
    assert.deepEqual(readPaging(parseQuery('pageSize=500&page=3')), {
      ok: true,
      value: { page: 3, pageSize: 100 },
    });
    assert.equal(readPaging(parseQuery('page=two')).ok, false);
    assert.equal(readPaging(parseQuery(`page=${'9'.repeat(30)}`)).ok, false);
  });

  test('livemode: "true" (or absent) and "false" only', () => {
    assert.deepEqual(readLivemode(parseQuery('')), { ok: true, value: true });
    assert.deepEqual(readLivemode(parseQuery('livemode=false')), { ok: true, value: false });
    assert.equal(readLivemode(parseQuery('livemode=0')).ok, false);
    assert.equal(readLivemode(parseQuery('livemode[]=true')).ok, false);
  });
});
