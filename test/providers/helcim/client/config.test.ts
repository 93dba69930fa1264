import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SyncError } from '../../../../src/core/errors.js';
import {
  HelcimClient,
  helcimClientFromEnv,
} from '../../../../src/providers/helcim/client/client.js';
import { resolveBaseUrl } from '../../../../src/providers/helcim/client/config.js';
import { isLoopbackHost } from '../../../../src/remote/http/loopback.js';

const TOKEN = 'tok_secret_value_123';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SyncError);
    assert.equal(error.message.includes(TOKEN), false);
    return error.code;
  }
  return undefined;
}

describe('config', () => {
  it('accepts HTTPS anywhere and HTTP on loopback only', () => {
    assert.deepEqual(resolveBaseUrl('https://api.helcim.com/v2'), {
      origin: 'https://api.helcim.com',
      basePath: '/v2',
    });
    assert.deepEqual(resolveBaseUrl('http://127.0.0.1:8080/v2/'), {
      origin: 'http://127.0.0.1:8080',
      basePath: '/v2',
    });
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'api.localhost']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['128.0.0.1', '10.0.0.1', 'example.com', '127.0.0.1.nip.io', '[::2]']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
    assert.equal(
      code(() => resolveBaseUrl('http://api.helcim.com/v2')),
      'ERR_INSECURE_URL',
    );
    assert.equal(
      code(() => resolveBaseUrl('ftp://127.0.0.1/v2')),
      'ERR_INSECURE_URL',
    );
    assert.equal(
      code(() => resolveBaseUrl('not a url')),
      'ERR_CONFIG',
    );
    assert.equal(
      code(() => resolveBaseUrl('https://u:p@api.helcim.com/v2')),
      'ERR_CONFIG',
    );
  });

  it('gives the insecure-URL error a hint', () => {
    try {
      resolveBaseUrl('http://10.1.1.1/v2');
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof SyncError);
      assert.match(error.hint ?? '', /https/);
    }
  });

  it('reads the token and URL from the environment', async () => {
    assert.equal(
      code(() => helcimClientFromEnv({})),
      'ERR_MISSING_TOKEN',
    );
    assert.equal(
      code(() => helcimClientFromEnv({ HELCIM_API_TOKEN: '  ' })),
      'ERR_MISSING_TOKEN',
    );
    try {
      helcimClientFromEnv({});
    } catch (error) {
      assert.ok(error instanceof SyncError);
      assert.match(error.hint ?? '', /HELCIM_API_TOKEN/);
    }
    assert.equal(
      code(() => helcimClientFromEnv({ HELCIM_API_TOKEN: `${TOKEN}\nx` })),
      'ERR_CONFIG',
    );
    assert.equal(
      code(() =>
        helcimClientFromEnv({ HELCIM_API_TOKEN: TOKEN, HELCIM_API_URL: 'http://example.com/v2' }),
      ),
      'ERR_INSECURE_URL',
    );
    const client = helcimClientFromEnv({ HELCIM_API_TOKEN: TOKEN });
    assert.equal(client.provider, 'helcim');
    await client.close();
  });

  it('keeps the token out of inspection and serialisation', async () => {
    const client = new HelcimClient({ token: TOKEN, baseUrl: 'http://127.0.0.1:1/v2' });
    const { inspect } = await import('node:util');
    assert.equal(inspect(client, { depth: 10, showHidden: true }).includes(TOKEN), false);
    assert.equal(JSON.stringify(client).includes(TOKEN), false);
    await client.close();
  });

  it('has the documented cost model', () => {
    const client = new HelcimClient({ token: TOKEN });
    assert.deepEqual(
      [0, 1, 99, 100, 199, 200, 250, 10_000].map((n) => client.cost.list(n)),
      [1, 1, 1, 2, 2, 3, 3, 101],
    );
    assert.equal(client.cost.lookup(7), 7);
    return client.close();
  });
});
