import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The first ```sh block after a heading. */
function shellBlock(heading: string): string {
  const at = README.indexOf(heading);
  assert.ok(at >= 0, `README has no heading "${heading}"`);
  const match = /```sh\n([\s\S]*?)```/.exec(README.slice(at));
  assert.ok(match?.[1] !== undefined, `no sh block under "${heading}"`);
  return match[1];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

// `script` (util-linux, on every Debian machine) gives the commands a terminal.
test('the README quickstart against the emulator runs as written, on a terminal', async () => {
  const port = await freePort();
  const block = shellBlock('### Against the emulator')
    .split('\n')
    // Installing is what the reader did already; the port is made free for a shared machine.
    .filter((line) => !line.startsWith('npm install'))
    .join('\n')
    .replaceAll('8080', String(port));
  const dir = mkdtempSync(join(tmpdir(), 'hs-readme-'));
  const script = join(dir, 'quickstart.sh');
  writeFileSync(
    script,
    [
      'set -e',
      // `npx helcim-sync` is the built CLI of this checkout.
      `npx() { shift; node ${JSON.stringify(CLI)} "$@"; }`,
      "trap 'kill $(jobs -p) 2>/dev/null' EXIT",
      block,
      'echo "QUICKSTART-DONE"',
    ].join('\n'),
  );
  // `script` gives the commands a terminal, so apply asks for "yes" as it does for a reader.
  const child = spawn('script', ['-qec', `bash ${script}`, '/dev/null'], {
    cwd: ROOT,
    env: { ...withoutHelcim(process.env), NO_COLOR: '1', TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stdin.write('yes\n');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, out);
  assert.match(out, /listening on http:\/\/127\.0\.0\.1:\d+\/v2/);
  assert.match(out, /0 errors, 0 warnings: 6 of 6 records valid/);
  assert.match(out, /Do you want to perform these actions\?/);
  assert.match(out, /Apply complete: 6 created, 0 updated, 0 stale, 0 failed\./);
  assert.match(out, /No changes\. The customers in Helcim match the files\./);
  assert.match(out, /QUICKSTART-DONE/);
});

function withoutHelcim(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('HELCIM_')));
}

test('the README has each section heading once and no leftover editing notes', () => {
  // A pasted draft once left its "replaces the section ..." comments and a second copy of a
  // section in the README.
  assert.doesNotMatch(README, /<!--/);
  const headings = README.split('\n').filter((line) => /^#{2,3} /.test(line));
  const repeated = headings.filter((h, i) => headings.indexOf(h) !== i);
  // Provider sub-sections (### Helcim, ### Payment Kit) may repeat under different sections.
  assert.deepEqual(
    repeated.filter((h) => !/^### (Helcim|Payment Kit)$/.test(h)),
    [],
  );
});
