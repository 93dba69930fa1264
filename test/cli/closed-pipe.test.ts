import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startEmulator } from '../../src/emulator/index.js';
import { CLI } from '../support/cli.js';

test('export | head: a reader that stops early ends the output quietly, with no EPIPE stack', async () => {
  const emulator = await startEmulator({ port: 0, seed: 3000, rateLimit: 'off' });
  try {
    const child = spawn(process.execPath, [CLI, 'export', '--rate-limit', 'off'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        NO_COLOR: '1',
        HELCIM_SYNC_CACHE_DIR: 'off',
        HELCIM_API_URL: emulator.url,
        HELCIM_API_TOKEN: emulator.token,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    // Like `head -1`: read the first chunk, then close the pipe while the export still writes.
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = await once(child, 'exit');
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|at .*\(node:/);
    assert.equal(code, 0, stderr);
  } finally {
    await emulator.close();
  }
});
