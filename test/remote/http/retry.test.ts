import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exponentialRetryPolicy, isAmbiguous } from '../../../src/remote/http/retry.js';

describe('retry policy', () => {
  it('backs off exponentially with jitter, capped', () => {
    const low = exponentialRetryPolicy({ random: () => 0, baseMs: 100, capMs: 1000 });
    const high = exponentialRetryPolicy({ random: () => 0.999999, baseMs: 100, capMs: 1000 });
    const status500 = { kind: 'status', status: 500 } as const;
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => low(n, status500, 'GET')),
      [50, 100, 200, 400, 500],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => high(n, status500, 'GET')),
      [100, 200, 400, 800, 1000],
    );
  });

  it('gives up after maxAttempts, later for 429', () => {
    const policy = exponentialRetryPolicy({ random: () => 0.5, maxAttempts: 6 });
    assert.notEqual(policy(5, { kind: 'timeout' }, 'GET'), undefined);
    assert.equal(policy(6, { kind: 'timeout' }, 'GET'), undefined);
    assert.notEqual(policy(9, { kind: 'status', status: 429 }, 'PUT'), undefined);
    assert.equal(policy(10, { kind: 'status', status: 429 }, 'PUT'), undefined);
  });

  it('retries 429, 500, 522, network failures and timeouts; not other 4xx', () => {
    const policy = exponentialRetryPolicy({ random: () => 0.5 });
    for (const status of [429, 500, 502, 503, 504, 522]) {
      assert.notEqual(policy(1, { kind: 'status', status }, 'GET'), undefined, String(status));
    }
    for (const status of [400, 401, 403, 404, 405, 409]) {
      assert.equal(policy(1, { kind: 'status', status }, 'GET'), undefined, String(status));
    }
    assert.notEqual(policy(1, { kind: 'network', sent: true }, 'PUT'), undefined);
    assert.notEqual(policy(1, { kind: 'timeout' }, 'PUT'), undefined);
    assert.equal(policy(1, { kind: 'timeout' }, 'DELETE'), undefined);
  });

  it('tells which POST failures may have been carried out', () => {
    assert.equal(isAmbiguous({ kind: 'status', status: 429 }), false);
    assert.equal(isAmbiguous({ kind: 'status', status: 400 }), false);
    assert.equal(isAmbiguous({ kind: 'status', status: 500 }), true);
    assert.equal(isAmbiguous({ kind: 'status', status: 522 }), true);
    assert.equal(isAmbiguous({ kind: 'timeout' }), true);
    assert.equal(isAmbiguous({ kind: 'network', sent: true }), true);
    assert.equal(isAmbiguous({ kind: 'network', sent: false }), false);
  });
});
