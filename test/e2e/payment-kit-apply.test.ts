/**
 * Payment Kit's apply through the built CLI, against its emulator over real HTTP: what the
 * Helcim end-to-end tests check of saved plans, stale records, guards, journals, rejects files,
 * progress, JSON and Markdown, and records that match nobody (Payment Kit cannot create them).
 * The account is read back over plain HTTP, never through the client under test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PaymentKitRig,
  pkYaml,
  settled,
  updatesDone,
  type PkDesired,
  type PkWire,
} from '../support/payment-kit.js';
import { PassThrough } from 'node:stream';
import { run as runInProcess } from '../../src/cli/run.js';
import { answered, isRecord, jsonOut, show } from './helpers.js';

const PUT = 'PUT /api/customers/{id}';
const LIST = 'GET /api/customers';
const GET_ONE = 'GET /api/customers/{id}';
/** An access key no output or file may hold. */
const SECRET = 'blocklet-SECRET-e2e-access-key';
/** DIDs nobody has: Payment Kit creates customers only at checkout. */
const GHOSTS = ['z1GhostCustomerNumberOne', 'z1GhostCustomerNumberTwo'];

function renamed(c: PkWire, suffix = 'Renamed'): PkDesired {
  return { did: c.did, name: `${c.name ?? 'Someone'} ${suffix}` };
}

function asIs(c: PkWire): PkDesired {
  return c.name === null ? { did: c.did } : { did: c.did, name: c.name };
}

/** The 1-based line of a record in a file written by pkYaml. */
function lineOf(yaml: string, did: string): number {
  return yaml.split('\n').findIndex((l) => l === `  - did: ${JSON.stringify(did)}`) + 1;
}

/** The test customers of a freshly seeded account, at least `count` of them. */
async function seeded(rig: PaymentKitRig, count: number): Promise<PkWire[]> {
  const customers = await rig.customers();
  assert.ok(customers.length >= count, `the seed made ${customers.length} test customers`);
  return customers;
}

function byId(customers: readonly PkWire[], id: string): PkWire {
  const found = customers.find((c) => c.id === id);
  assert.ok(found !== undefined, `customer ${id} is gone`);
  return found;
}

test('a saved plan: a customer changed in Payment Kit since is stale and keeps that edit, the rest is updated after one listing, the journal has a line each, progress goes to stderr only, the access key nowhere; applied again, all is stale', async () => {
  const rig = await PaymentKitRig.start({ seed: 4, token: SECRET });
  try {
    const [a, b, c, d] = await seeded(rig, 4);
    assert.ok(a && b && c && d);
    const yaml = pkYaml([renamed(a), renamed(b), renamed(c), asIs(d)]);
    rig.write('c.yaml', yaml);
    const plan = await rig.run(['plan', 'c.yaml', '--out', 'plan.json']);
    assert.equal(plan.code, 0, show(plan));
    assert.match(plan.stdout, /^Plan: 0 to create, 3 to update, 1 unchanged, 0 remote only\.$/m);
    assert.match(
      plan.stdout,
      /re-reads what it touches: 1 more call \(one listing of the account\)/,
    );

    // Someone edits `a` in Payment Kit's dashboard after the plan was saved.
    await rig.update(a.id, { name: 'Edited In Payment Kit', phone: '+15550001111' });
    const untouched = await rig.customer(d.id);
    const before = rig.stats();

    const apply = await rig.run(['apply', 'plan.json', '--auto-approve', '--journal', 'j.jsonl']);
    const after = rig.stats();
    assert.equal(apply.code, 1, show(apply));
    assert.match(
      apply.stdout,
      new RegExp(
        `^  \\? ${a.did} \\(c\\.yaml:${lineOf(yaml, a.did)}\\): skipped as stale: changed in Payment Kit since the plan was made`,
        'm',
      ),
    );
    assert.match(
      apply.stdout,
      /Apply finished with problems: 0 created, 2 updated, 1 stale, 0 failed\./,
    );

    const edited = await rig.customer(a.id);
    assert.equal(edited.name, 'Edited In Payment Kit', 'the edit made in Payment Kit survives');
    assert.equal(edited['phone'], '+15550001111');
    assert.equal((await rig.customer(b.id)).name, `${b.name ?? ''} Renamed`);
    assert.equal((await rig.customer(c.id)).name, `${c.name ?? ''} Renamed`);
    assert.deepEqual(await rig.customer(d.id), untouched, 'an unchanged record is not written');

    const route = (name: string): number => answered(after, name) - answered(before, name);
    assert.equal(route(LIST), 1, 'one listing re-checks the plan');
    assert.equal(route(GET_ONE), 0);
    assert.equal(route(PUT), 2, 'one write per update that still holds');

    const journal = rig
      .read('j.jsonl')
      .trim()
      .split('\n')
      .map((line): unknown => JSON.parse(line));
    const lines = journal
      .map((e) => {
        assert.ok(isRecord(e) && e['v'] === 1 && typeof e['time'] === 'string', String(e));
        return [e['key'], e['action'], e['status'], e['id']];
      })
      .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    assert.deepEqual(
      lines,
      [
        [a.did, 'update', 'stale', a.id],
        [b.did, 'update', 'updated', b.id],
        [c.did, 'update', 'updated', c.id],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    assert.equal(rig.mode('j.jsonl').toString(8), '600', 'the journal is private');

    // Progress is for the person watching: on stderr, never in what a script reads.
    assert.match(apply.stderr, /^applied 3\/3, 0 failed(, \d+\/min)?$/m);
    assert.doesNotMatch(apply.stdout, /applied \d/);

    // The same plan again (a CI job re-run): every record changed since it was made, by this
    // very plan or by someone; nothing is written twice.
    const again = await rig.run(['apply', 'plan.json', '--auto-approve']);
    assert.equal(again.code, 1, show(again));
    assert.match(again.stdout, /0 created, 0 updated, 3 stale, 0 failed/);
    assert.equal(updatesDone(rig.stats()), 3, 'the edit in the dashboard and the two updates');

    for (const text of [plan, apply, again].flatMap((r) => [r.stdout, r.stderr]))
      assert.ok(!text.includes(SECRET), `the access key is in an output:\n${text}`);
    for (const [name, text] of rig.files())
      assert.ok(!text.includes(SECRET), `the access key is in ${name}`);
  } finally {
    await rig.close();
  }
});

test('a saved plan of one update re-reads that customer alone before writing, and finds it changed in Payment Kit since: stale, nothing written', async () => {
  const rig = await PaymentKitRig.start({ seed: 4 });
  try {
    const [a] = await seeded(rig, 4);
    assert.ok(a);
    rig.write('c.yaml', pkYaml([renamed(a)]));
    const plan = await rig.run(['plan', 'c.yaml', '--out', 'plan.json']);
    assert.equal(plan.code, 0, show(plan));
    assert.match(plan.stdout, /re-reads what it touches: 1 more call \(one read per record\)/);
    await rig.update(a.id, { metadata: { note: 'set in the dashboard' } });
    const before = rig.stats();

    const apply = await rig.run(['apply', 'plan.json', '--auto-approve']);
    const after = rig.stats();
    assert.equal(apply.code, 1, show(apply));
    assert.match(apply.stdout, /skipped as stale: changed in Payment Kit since the plan was made/);
    const route = (name: string): number => answered(after, name) - answered(before, name);
    assert.deepEqual(
      [route(GET_ONE), route(LIST), route(PUT)],
      [1, 0, 0],
      'one read of the customer by id, no listing, no write',
    );
    const now = await rig.customer(a.id);
    assert.equal(now.name, a.name);
    assert.deepEqual(now.metadata, { note: 'set in the dashboard' });
  } finally {
    await rig.close();
  }
});

test('--max-updates refuses a bigger plan and a saved plan is refused against another PAYMENT_KIT_URL, with no write; at the limit, --json reports each update', async () => {
  const rig = await PaymentKitRig.start({ seed: 3 });
  try {
    const customers = await seeded(rig, 3);
    const yaml = pkYaml(customers.map((c) => renamed(c)));
    rig.write('c.yaml', yaml);

    const refused = await rig.run(['apply', 'c.yaml', '--auto-approve', '--max-updates', '2']);
    assert.equal(refused.code, 1, show(refused));
    assert.match(
      refused.stderr,
      /the plan updates 3 customers, more than --max-updates 2; nothing was written/,
    );
    const saved = await rig.run(['plan', 'c.yaml', '--out', 'plan.json']);
    assert.equal(saved.code, 0, show(saved));
    assert.equal(rig.mode('plan.json').toString(8), '600', 'a saved plan is private');
    const elsewhere = await rig.run(['apply', 'plan.json', '--auto-approve'], {
      env: { PAYMENT_KIT_URL: 'http://127.0.0.1:9/payment' },
    });
    assert.equal(elsewhere.code, 1, show(elsewhere));
    assert.match(
      elsewhere.stderr,
      /plan\.json: the plan was made against http:\/\/127\.0\.0\.1:\d+\/payment, but PAYMENT_KIT_URL points at http:\/\/127\.0\.0\.1:9\/payment; nothing was written/,
    );
    assert.equal(updatesDone(rig.stats()), 0);
    assert.deepEqual(await rig.customers(), customers, 'nothing changed');

    // --max-creates 0 holds for any Payment Kit plan: it never creates.
    const allowed = await rig.run([
      'apply',
      'plan.json',
      '--auto-approve',
      '--max-updates',
      '3',
      '--max-creates',
      '0',
      '--json',
    ]);
    assert.equal(allowed.code, 0, show(allowed));
    const report = jsonOut(allowed);
    assert.ok(isRecord(report) && Array.isArray(report['results']));
    assert.equal(report['version'], 1);
    // Which account the writes went to, as the plan's JSON says it.
    assert.equal(report['provider'], 'payment-kit');
    assert.equal(report['livemode'], false);
    assert.equal(report['interrupted'], false);
    assert.deepEqual(report['summary'], {
      created: 0,
      updated: 3,
      stale: 0,
      failed: 0,
      conflicts: 0,
      skipped: 0,
    });
    const results = report['results'].map((r: unknown) => {
      assert.ok(isRecord(r));
      return [r['key'], r['action'], r['status'], r['id'], r['source']];
    });
    assert.deepEqual(
      results.sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      customers
        .map((c) => [c.did, 'update', 'updated', c.id, `c.yaml:${lineOf(yaml, c.did)}`])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    assert.match(allowed.stderr, /^applied 3\/3, 0 failed/m);
    assert.equal(updatesDone(rig.stats()), 3);
  } finally {
    await rig.close();
  }
});

test('--skip-invalid writes invalid Payment Kit records to a private rejects file and applies the valid ones; without it nothing is read', async () => {
  const rig = await PaymentKitRig.start({ seed: 3 });
  try {
    const [valid, badEmail, badCountry] = await seeded(rig, 3);
    assert.ok(valid && badEmail && badCountry);
    const requestsBefore = rig.stats().totalRequests;
    rig.write(
      'c.yaml',
      pkYaml([
        renamed(valid),
        { did: badEmail.did, email: 'not-an-email' },
        { did: badCountry.did, address: { country: 'Atlantis' } },
      ]) + '  - name: "No DID At All"\n',
    );
    const strict = await rig.run(['apply', 'c.yaml', '--auto-approve']);
    assert.equal(strict.code, 1, show(strict));
    assert.match(strict.stderr, /the desired state has 3 errors; nothing was fetched or written/);
    assert.equal(
      rig.stats().totalRequests,
      requestsBefore,
      'invalid files stop the run before any request',
    );

    const run = await rig.run(['apply', 'c.yaml', '--auto-approve', '--skip-invalid']);
    assert.equal(run.code, 0, show(run));
    assert.match(run.stderr, /wrote 3 invalid records to .*c\.rejects\.csv/);
    const rejects = rig.read('c.rejects.csv');
    for (const expected of [
      badEmail.did,
      'is not an email address',
      badCountry.did,
      'unknown country ""Atlantis""',
      'No DID At All',
      'did: missing',
    ])
      assert.ok(rejects.includes(expected), `the rejects file names ${expected}:\n${rejects}`);
    assert.ok(!rejects.includes(valid.did), 'the valid record is not rejected');
    assert.equal(rig.mode('c.rejects.csv').toString(8), '600', 'the rejects file is private');

    const after = await rig.customers();
    assert.equal(byId(after, valid.id).name, `${valid.name ?? ''} Renamed`);
    assert.deepEqual(byId(after, badEmail.id), badEmail, 'a rejected record is not written');
    assert.deepEqual(byId(after, badCountry.id), badCountry, 'a rejected record is not written');
    assert.equal(updatesDone(rig.stats()), 1);
  } finally {
    await rig.close();
  }
});

test('desired customers that match nobody: plan and apply show each one and exit 1 while any remains, the others are updated; --detailed-exitcode keeps 0 and 2 once none remains', async () => {
  const rig = await PaymentKitRig.start({ seed: 3 });
  try {
    const [first, second] = await seeded(rig, 3);
    assert.ok(first && second);
    const ghosts: PkDesired[] = GHOSTS.map((did, i) => ({ did, name: `Ghost ${i}` }));
    const yaml = pkYaml([renamed(first), ...ghosts]);
    rig.write('c.yaml', yaml);
    const reason = 'cannot be created: Payment Kit creates customers at checkout';

    const plan = await rig.run(['plan', 'c.yaml', '--detailed-exitcode']);
    assert.equal(plan.code, 1, show(plan));
    for (const did of GHOSTS)
      assert.match(
        plan.stdout,
        new RegExp(`^  ! ${did}: ${reason} \\(c\\.yaml:${lineOf(yaml, did)}\\)$`, 'm'),
      );
    assert.match(
      plan.stdout,
      /^Plan: 0 to create, 1 to update, 0 unchanged, 2 remote only, 2 conflicts\.$/m,
    );
    assert.match(plan.stderr, /the plan has 2 conflicts/);

    const apply = await rig.run(['apply', 'c.yaml', '--auto-approve', '--json']);
    assert.equal(apply.code, 1, show(apply));
    const report = jsonOut(apply);
    assert.ok(isRecord(report) && Array.isArray(report['results']));
    const results: unknown[] = report['results'];
    const outcome = (key: string): unknown[] => {
      const r = results.find((x) => isRecord(x) && x['key'] === key);
      assert.ok(isRecord(r), `no result for ${key}`);
      return [r['action'], r['status'], isRecord(r['error']) ? r['error']['message'] : undefined];
    };
    assert.deepEqual(outcome(first.did), ['update', 'updated', undefined]);
    for (const did of GHOSTS) assert.deepEqual(outcome(did), ['conflict', 'failed', reason]);
    assert.equal(updatesDone(rig.stats()), 1, 'one write: nothing is sent for a ghost');
    assert.equal(rig.stats().customers, 6, 'nobody was created (3 live, 3 test)');
    assert.equal((await rig.customer(first.id)).name, `${first.name ?? ''} Renamed`);

    // With nothing else to do, a ghost still makes apply fail and is still reported.
    rig.write('ghosts.yaml', pkYaml(ghosts));
    const alone = await rig.run(['apply', 'ghosts.yaml', '--auto-approve', '--json']);
    assert.equal(alone.code, 1, show(alone));
    const aloneReport = jsonOut(alone);
    assert.ok(isRecord(aloneReport) && Array.isArray(aloneReport['results']));
    assert.deepEqual(
      aloneReport['results'].map((r: unknown) => (isRecord(r) ? [r['key'], r['status']] : r)),
      GHOSTS.map((did) => [did, 'failed']),
    );
    assert.ok(isRecord(aloneReport['summary']));
    assert.equal(aloneReport['summary']['failed'], 2);

    // Once no ghost remains, --detailed-exitcode means what it always meant.
    rig.write('c.yaml', pkYaml([renamed(first)]));
    const settledPlan = await rig.run(['plan', 'c.yaml', '--detailed-exitcode']);
    assert.equal(settledPlan.code, 0, show(settledPlan));
    rig.write('c.yaml', pkYaml([renamed(first), renamed(second)]));
    const changes = await rig.run(['plan', 'c.yaml', '--detailed-exitcode']);
    assert.equal(changes.code, 2, show(changes));
    assert.equal(updatesDone(rig.stats()), 1, 'plans never write');
  } finally {
    await rig.close();
  }
});

test('plan --json and --markdown name Payment Kit and the mode (test, then live); an update sends only what changed', async () => {
  const rig = await PaymentKitRig.start({ seed: 2 });
  try {
    const [target] = await seeded(rig, 1);
    assert.ok(target);
    const yaml = pkYaml([renamed(target), { did: GHOSTS[0] ?? '', name: 'Ghost' }]);
    rig.write('c.yaml', yaml);
    const json = await rig.run(['plan', 'c.yaml', '--json']);
    assert.equal(
      json.code,
      1,
      'a record that matches nobody fails a plan without --detailed-exitcode',
    );
    const plan = jsonOut(json);
    assert.ok(isRecord(plan) && Array.isArray(plan['actions']));
    assert.equal(plan['version'], 1);
    assert.equal(plan['provider'], 'payment-kit');
    assert.equal(plan['livemode'], false);
    assert.equal(plan['matchKey'], 'did');
    const update = plan['actions'].find((a) => isRecord(a) && a['type'] === 'update');
    assert.ok(isRecord(update));
    assert.equal(update['key'], target.did);
    assert.equal(update['remoteId'], target.id);
    assert.deepEqual(update['changes'], [
      { field: 'name', old: target.name, new: `${target.name ?? ''} Renamed` },
    ]);
    assert.deepEqual(update['payload'], { name: `${target.name ?? ''} Renamed` });
    const conflict = plan['actions'].find((a) => isRecord(a) && a['type'] === 'conflict');
    assert.ok(isRecord(conflict));
    assert.deepEqual(
      [conflict['key'], conflict['reason'], conflict['sources']],
      [GHOSTS[0], 'cannot be created: Payment Kit creates customers at checkout', ['c.yaml:4']],
    );

    const md = await rig.run(['plan', 'c.yaml', '--markdown']);
    assert.equal(md.code, 1, 'the ghost is a conflict');
    assert.match(md.stdout, /^### helcim-sync plan$/m);
    assert.match(md.stdout, /^Against Payment Kit \(test mode\)\.$/m);
    assert.match(
      md.stdout,
      /^\*\*Plan: 0 to create, 1 to update, 0 unchanged, 1 remote only, 1 conflict\.\*\*$/m,
    );
    assert.ok(
      md.stdout.includes(
        `| ✏️ update | \`${target.did}\` | c.yaml:2 | name: \`${target.name ?? ''}\` → \`${target.name ?? ''} Renamed\` |`,
      ),
      md.stdout,
    );
    assert.ok(
      md.stdout.includes(
        `| ⚠️ conflict | \`${GHOSTS[0] ?? ''}\` | c.yaml:4 | cannot be created: Payment Kit creates customers at checkout |`,
      ),
      md.stdout,
    );
    assert.doesNotMatch(md.stdout, /Helcim|rate limits/, 'no word of Helcim or its limits');

    const [live] = await rig.customers(true);
    assert.ok(live);
    rig.configure(true);
    rig.write('live.yaml', pkYaml([renamed(live)]));
    const liveMd = await rig.run(['plan', 'live.yaml', '--markdown']);
    assert.equal(liveMd.code, 0, show(liveMd));
    assert.match(liveMd.stdout, /^Against Payment Kit \(live mode\)\.$/m);
    assert.ok(liveMd.stdout.includes(`| ✏️ update | \`${live.did}\` |`), liveMd.stdout);
    assert.deepEqual(
      settled(await rig.customer(live.id, true)),
      settled(live),
      'plans never write',
    );
  } finally {
    await rig.close();
  }
});

test('on a terminal, apply asks before writing in Payment Kit\'s words (no Helcim, no word of customers created), and anything but "yes" writes nothing', async () => {
  const rig = await PaymentKitRig.start({ seed: 2 });
  try {
    const customers = await seeded(rig, 2);
    rig.write('c.yaml', pkYaml(customers.map((c) => renamed(c))));
    // A spawned CLI has no terminal: the question is asked in process, on a stdin that is one.
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let stdout = '';
    let stderr = '';
    const sink = (write: (text: string) => void): PassThrough =>
      new PassThrough().on('data', (chunk: Buffer) => write(chunk.toString('utf8')));
    const out = sink((text) => (stdout += text));
    const err = sink((text) => {
      stderr += text;
      if (text.includes('Enter a value:')) stdin.end('no\n');
    });
    const code = await runInProcess(['apply', 'c.yaml'], {
      stdin,
      stdout: out,
      stderr: err,
      // The tool's memory of the account goes in the rig's folder, never the developer's cache.
      env: { ...rig.env, NO_COLOR: '1', HELCIM_SYNC_CACHE_DIR: rig.path('cache') },
      cwd: rig.dir,
      signal: new AbortController().signal,
    });
    assert.equal(code, 1, `${stdout}\n${stderr}`);
    assert.match(stdout, /^Plan: 0 to create, 2 to update/m);
    assert.match(stderr, /Do you want to perform these actions\?/);
    assert.doesNotMatch(stderr, /Helcim|created stay/, stderr);
    assert.match(stderr, /Apply cancelled; nothing was written\./);
    assert.equal(updatesDone(rig.stats()), 0);
    assert.deepEqual(await rig.customers(), customers);
  } finally {
    await rig.close();
  }
});
