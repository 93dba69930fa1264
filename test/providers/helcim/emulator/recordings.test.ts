/**
 * What the recorded traffic of April 2025 added to the contract (helcim-api.md): dates, budgets
 * spent by refusals, ids, cards, the token check, blank names and the remaining-budget headers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorOptions } from '../../../../src/emulator/index.js';
import { handClock } from '../../../support/hand-clock.js';
import { arr, num, obj, withApi } from './helpers.js';

const ZERO = '0000-00-00 00:00:00';
const MAIN = fileURLToPath(new URL('../../../../src/cli/main.js', import.meta.url));

function remaining(headers: Headers): [number, number] {
  return [
    Number(headers.get('minute-limit-remaining')),
    Number(headers.get('hour-limit-remaining')),
  ];
}

describe('dateUpdated as recorded', () => {
  test('a create answers dateUpdated 0000-00-00 00:00:00; GET and the list show dateCreated', async () => {
    await withApi({ now: () => new Date('2025-04-10T20:33:08Z') }, async (api) => {
      const created = obj((await api.post({ customerCode: 'D-1', contactName: 'Dated' })).body);
      assert.equal(created['dateCreated'], '2025-04-10 14:33:08');
      assert.equal(created['dateUpdated'], ZERO);
      const got = obj((await api.get(`/customers/${num(created['id'])}`)).body);
      assert.equal(got['dateUpdated'], '2025-04-10 14:33:08');
      const listed = arr((await api.get('/customers?customerCode=D-1')).body).map(obj);
      assert.equal(listed[0]?.['dateUpdated'], '2025-04-10 14:33:08');
    });
  });

  test("a PUT's answer, and a GET after it, keep dateUpdated where it was before the PUT", async () => {
    let wall = new Date('2025-04-10T20:33:08Z');
    await withApi({ now: () => wall }, async (api) => {
      const created = obj((await api.post({ contactName: 'Before' })).body);
      const id = num(created['id']);
      wall = new Date('2025-06-01T12:00:00Z');
      const put = obj((await api.put(id, { contactName: 'After' })).body);
      assert.equal(put['contactName'], 'After');
      assert.equal(put['dateUpdated'], '2025-04-10 14:33:08');
      const got = obj((await api.get(`/customers/${id}`)).body);
      assert.equal(got['contactName'], 'After');
      assert.equal(got['dateUpdated'], '2025-04-10 14:33:08');
    });
  });
});

describe('answers 400 and 404 count against the budgets', () => {
  test('a 400 and two 404s spend the minute budget: the next request is refused with 429', async () => {
    const clock = handClock(1_000);
    const rateLimit = { concurrent: 5, perMinute: 3, perHour: 100 };
    await withApi({ clock, rateLimit }, async (api) => {
      const bad = await api.post({ contactName: '' });
      assert.equal(bad.status, 400);
      assert.deepEqual(remaining(bad.headers), [2, 99]);
      const unknownId = await api.get('/customers/1');
      assert.equal(unknownId.status, 404);
      assert.deepEqual(remaining(unknownId.headers), [1, 98]);
      const notNumeric = await api.get('/customers/abc/cards');
      assert.equal(notNumeric.status, 404);
      assert.deepEqual(remaining(notNumeric.headers), [0, 97]);
      assert.equal((await api.get('/customers')).status, 429);
      assert.equal(api.emulator.stats().rateLimited, 1);
    });
  });

  test('400s and 404s spend the hour budget across minutes: the next request is refused with 429', async () => {
    const clock = handClock(1_000);
    const rateLimit = { concurrent: 5, perMinute: 2, perHour: 3 };
    await withApi({ clock, rateLimit }, async (api) => {
      assert.equal((await api.post({ businessName: '   ' })).status, 400);
      assert.equal((await api.get('/customers/28000001')).status, 404);
      clock.t += 60_001; // a fresh minute, the same hour
      const third = await api.put(999, { contactName: 'x' });
      assert.equal(third.status, 404);
      assert.deepEqual(remaining(third.headers), [1, 0]);
      clock.t += 60_001;
      const refused = await api.get('/customers');
      assert.equal(refused.status, 429);
      assert.deepEqual(remaining(refused.headers), [2, 0]);
    });
  });
});

describe('ids that are not numbers', () => {
  const ids = ['abc', 'CST1001', '28000001abc', '-28000001', '2.8e7', '28000001.0', '%20'];

  test('GET, PUT and the cards endpoint answer 404 Invalid customerId for each', async () => {
    // Customer 28000001 exists, so only the spelling of the id can make these fail.
    await withApi({ seed: 4 }, async (api) => {
      assert.equal((await api.get('/customers/28000001')).status, 200);
      for (const id of ids) {
        for (const [method, path, body] of [
          ['GET', `/customers/${id}`, undefined],
          ['PUT', `/customers/${id}`, { contactName: 'x' }],
          ['GET', `/customers/${id}/cards`, undefined],
        ] as const) {
          const res = await api.call(method, path, body);
          assert.equal(res.status, 404, `${method} ${path}`);
          assert.deepEqual(res.body, { errors: 'Invalid customerId' }, `${method} ${path}`);
        }
      }
    });
  });
});

describe('cards of a customer', () => {
  test('cardToken filters to the card with that token; an unknown or foreign token answers []', async () => {
    await withApi({ seed: 20 }, async (api) => {
      const all = arr((await api.get('/customers?includeCards=yes')).body).map(obj);
      const holders = all.filter((c) => arr(c['cards']).length > 1);
      const [holder, other] = [
        holders[0],
        all.find((c) => arr(c['cards']).length > 0 && c !== holders[0]),
      ];
      assert.ok(holder !== undefined && other !== undefined, 'the seed has customers with cards');
      const cards = arr(holder['cards']).map(obj);
      const second = cards[1];
      assert.ok(second !== undefined);
      const id = num(holder['id']);
      const token = String(second['cardToken']);
      const filtered = await api.get(
        `/customers/${id}/cards?cardToken=${encodeURIComponent(token)}`,
      );
      assert.equal(filtered.status, 200);
      assert.deepEqual(filtered.body, [second]);
      assert.deepEqual((await api.get(`/customers/${id}/cards?cardToken=nope`)).body, []);
      const foreign = String(obj(arr(other['cards'])[0])['cardToken']);
      assert.deepEqual(
        (await api.get(`/customers/${id}/cards?cardToken=${encodeURIComponent(foreign)}`)).body,
        [],
      );
      assert.deepEqual((await api.get(`/customers/${id}/cards?cardToken=`)).body, cards);
    });
  });
});

describe('GET /connection-test', () => {
  test('answers 200 {"message":"Connection Successful"} with the right token', async () => {
    await withApi({}, async (api) => {
      const res = await api.get('/connection-test');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { message: 'Connection Successful' });
    });
  });

  test('answers 401 without a token and 403 with a wrong one', async () => {
    const emulator = await startEmulator({ rateLimit: 'off' });
    try {
      const without = await fetch(`${emulator.url}/connection-test`);
      assert.equal(without.status, 401);
      assert.deepEqual(await without.json(), { errors: 'Unauthorized' });
      const wrong = await fetch(`${emulator.url}/connection-test`, {
        headers: { 'api-token': 'not-the-token' },
      });
      assert.equal(wrong.status, 403);
      assert.deepEqual(await wrong.json(), { errors: 'Forbidden' });
    } finally {
      await emulator.close();
    }
  });

  test('another method answers 405 with Allow: GET', async () => {
    await withApi({}, async (api) => {
      const res = await api.call('POST', '/connection-test', {});
      assert.equal(res.status, 405);
      assert.equal(res.headers.get('allow'), 'GET');
    });
  });

  test('is counted in the stats as GET /v2/connection-test and spends the budget', async () => {
    const rateLimit = { concurrent: 5, perMinute: 2, perHour: 100 };
    await withApi({ clock: handClock(1_000), rateLimit }, async (api) => {
      assert.deepEqual(remaining((await api.get('/connection-test')).headers), [1, 99]);
      assert.equal((await api.get('/connection-test')).status, 200);
      assert.equal((await api.get('/connection-test')).status, 429);
      assert.deepEqual(api.emulator.stats().requests['GET /v2/connection-test'], {
        '200': 2,
        '429': 1,
      });
    });
  });
});

describe('names of spaces only', () => {
  const NAME_REQUIRED = { errors: 'Contact name or business name should be filled' };

  test('a create whose names are spaces only is refused like an empty one', async () => {
    await withApi({}, async (api) => {
      for (const body of [
        { contactName: '   ' },
        { businessName: ' ' },
        { contactName: ' \t ', businessName: '  ' },
        { contactName: '', businessName: '\u00a0' },
      ]) {
        const res = await api.post(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.deepEqual(res.body, NAME_REQUIRED, JSON.stringify(body));
      }
      assert.equal(api.emulator.stats().customers, 0);
    });
  });

  test('an update whose names are spaces only is refused and changes nothing', async () => {
    await withApi({}, async (api) => {
      const created = obj((await api.post({ contactName: 'Kept', businessName: 'Kept Inc' })).body);
      const id = num(created['id']);
      const res = await api.put(id, { contactName: '  ', cellPhone: '4035550000' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, NAME_REQUIRED);
      const got = obj((await api.get(`/customers/${id}`)).body);
      assert.equal(got['contactName'], 'Kept');
      assert.equal(got['cellphone'], '');
    });
  });
});

describe('the remaining-budget headers', () => {
  const rateLimit = { concurrent: 5, perMinute: 3, perHour: 10 };

  test('after-call (the default): each answer reports the budget left once it is counted', async () => {
    await withApi({ clock: handClock(1_000), rateLimit }, async (api) => {
      const seen: [number, number][] = [];
      for (let i = 0; i < 4; i++) seen.push(remaining((await api.get('/customers')).headers));
      assert.deepEqual(seen, [
        [2, 9],
        [1, 8],
        [0, 7],
        [0, 7], // the 429: not counted (the default reading)
      ]);
    });
  });

  test('before-call: the first call of a fresh minute reports the whole budget, as recorded', async () => {
    const clock = handClock(1_000);
    await withApi({ clock, rateLimit, remainingHeaders: 'before-call' }, async (api) => {
      const seen: [number, number, number][] = [];
      const call = async (): Promise<void> => {
        const res = await api.get('/customers');
        seen.push([res.status, ...remaining(res.headers)]);
      };
      for (let i = 0; i < 4; i++) await call();
      clock.t += 60_001;
      await call();
      assert.deepEqual(seen, [
        [200, 3, 10],
        [200, 2, 9],
        [200, 1, 8],
        [429, 0, 7], // nothing left before it
        [200, 3, 7], // a fresh minute: the whole minute budget again
      ]);
    });
  });

  test('a remainingHeaders mode other than after-call or before-call is refused at start', async () => {
    // JavaScript callers get no type check: the value arrives as any string would.
    const options: EmulatorOptions = {};
    Reflect.set(options, 'remainingHeaders', 'during-call');
    await assert.rejects(
      startEmulator(options),
      /remainingHeaders must be "after-call" or "before-call", got "during-call"/,
    );
  });
});

describe('helcim-sync emulator --remaining-headers', () => {
  function run(args: string[]): {
    child: ReturnType<typeof spawn>;
    exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
    listening: Promise<string>;
  } {
    const child = spawn(process.execPath, [MAIN, 'emulator', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    let onUrl: (url: string) => void = () => undefined;
    const listening = new Promise<string>((resolve) => (onUrl = resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+\/v2)\n/.exec(stdout);
      if (match?.[1] !== undefined) onUrl(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.once('exit', (code) => resolve({ code, stdout, stderr })),
    );
    return { child, exited, listening };
  }

  test('before-call reaches the server: the first call reports 100 and 3000', async () => {
    const { child, exited, listening } = run(['--remaining-headers', 'before-call']);
    const url = await Promise.race([
      listening,
      exited.then(({ stderr }) => Promise.reject(new Error(`exited early: ${stderr}`))),
    ]);
    const res = await fetch(`${url}/customers`, {
      headers: { 'api-token': 'helcim-sync-dev-token' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(remaining(res.headers), [100, 3000]);
    child.kill('SIGINT');
    assert.equal((await exited).code, 0);
  });

  test('a value other than after-call or before-call is a usage error with exit 1', async () => {
    const { code, stderr } = await run(['--remaining-headers', 'sometimes']).exited;
    assert.equal(code, 1);
    assert.match(
      stderr,
      /--remaining-headers must be "after-call" or "before-call", got "sometimes"/,
    );
  });

  test('--help names the option and both values', async () => {
    const { code, stdout } = await run(['--help']).exited;
    assert.equal(code, 0);
    assert.match(stdout, /--remaining-headers after-call\|before-call +Helcim only\./);
    assert.match(stdout, /helcim-sync emulator --remaining-headers before-call/);
  });
});
