/**
 * `export --include-payment-details` through the CLI's dispatcher in process (the secrets test in
 * e2e/ spawns the built CLI) against the emulator: the comments a
 * reviewer sees for a seeded customer (cards, bank accounts, PAD agreements), read the cheaper
 * way and paced, the calls stated on stderr, and a file that still validates and plans back to
 * no changes. CSV and Payment Kit are usage errors; `--include-cards` is what it was.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorStats } from '../../src/emulator/index.js';
import { Sandbox } from '../e2e/helpers.js';
import { PaymentKitRig } from '../support/payment-kit.js';
import { startAccount, type Account } from './support.js';

let account: Account;

before(async () => {
  // Seeded customers CST1001..CST1012 (cards every 4th, bank accounts every 3rd from the
  // second), and one created over the API with nothing on file.
  account = await startAccount(
    [{ customerCode: 'ZZ-PLAIN', contactName: 'Plain Customer', cellPhone: '4035550100' }],
    12,
    'in-process',
  );
});
after(async () => account.close());

/** What the emulator holds, straight over HTTP. */
async function wire(path: string): Promise<unknown> {
  const res = await fetch(`${account.emulator.url}${path}`, {
    headers: { 'api-token': account.emulator.token },
  });
  assert.equal(res.status, 200, path);
  return res.json();
}

function records(value: unknown): Record<string, unknown>[] {
  assert.ok(Array.isArray(value));
  return value.map((item: unknown) => {
    assert.ok(typeof item === 'object' && item !== null && !Array.isArray(item));
    return Object.fromEntries(Object.entries(item));
  });
}

/** The comment lines right above `- customerCode: CODE`. */
function commentsOf(yaml: string, code: string): string[] {
  const lines = yaml.split('\n');
  const at = lines.indexOf(`  - customerCode: ${code}`);
  assert.ok(at > 0, `${code} is exported`);
  const out: string[] = [];
  for (let i = at - 1; i >= 0 && lines[i]?.startsWith('  #') === true; i--)
    out.unshift(lines[i] ?? '');
  return out;
}

/** Requests by route template since `before`. */
function spent(before: EmulatorStats, after: EmulatorStats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, byStatus] of Object.entries(after.requests)) {
    const was = before.requests[route] ?? {};
    let n = 0;
    for (const [status, count] of Object.entries(byStatus)) n += count - (was[status] ?? 0);
    if (n > 0) out[route] = n;
  }
  return out;
}

const READ_ONLY = '(read-only, not synced)';

describe('export --include-payment-details', () => {
  test('comments a reviewer needs on each customer; the file validates and plans back to no changes', async () => {
    const statsBefore = account.emulator.stats();
    const run = await account.run(['export', '--include-payment-details', '--out', 'c.yaml']);
    assert.equal(run.code, 0, run.stderr);
    const calls = spent(statsBefore, account.emulator.stats());
    const text = readFileSync(join(account.dir, 'c.yaml'), 'utf8');

    // CST1002 (seed index 1): no card, two bank accounts, an accepted and a pending PAD.
    const [holder] = records(await wire('/customers?customerCode=CST1002'));
    assert.ok(holder !== undefined);
    const accounts = records(await wire(`/customers/${String(holder['id'])}/bank-accounts`));
    assert.equal(accounts.length, 2);
    const line = (a: Record<string, unknown>, pad: string): string =>
      `  # ${String(a['accountType']).toLowerCase()} account, ends in ${String(a['bankAccountNumberL4'])}, ${a['verified'] === 1 ? 'verified' : 'not verified'}, ${pad} ${READ_ONLY}`;
    assert.deepEqual(commentsOf(text, 'CST1002'), [
      `  # no cards on file ${READ_ONLY}`,
      line(accounts[0] ?? {}, 'PAD accepted'),
      line(accounts[1] ?? {}, 'PAD pending'),
    ]);
    assert.match(commentsOf(text, 'CST1002')[1] ?? '', /verified, PAD accepted/);

    // CST1005 (index 4): one card, one bank account whose PAD was revoked.
    const [five] = records(await wire('/customers?customerCode=CST1005&includeCards=yes'));
    assert.ok(five !== undefined);
    const [card] = records(five['cards']);
    assert.ok(card !== undefined);
    const expiry = String(card['cardExpiry']);
    const [bank] = records(await wire(`/customers/${String(five['id'])}/bank-accounts`));
    assert.ok(bank !== undefined);
    assert.deepEqual(commentsOf(text, 'CST1005'), [
      `  # 1 card on file, default ends in ${String(card['cardF6L4']).slice(-4)}, expires ${expiry.slice(0, 2)}/${expiry.slice(2)} ${READ_ONLY}`,
      line(bank, 'PAD revoked'),
    ]);

    // CST1008 (index 7): a bank account and no PAD; CST1001: two cards and no bank account.
    assert.match(commentsOf(text, 'CST1008')[1] ?? '', /, no PAD agreement \(read-only/);
    assert.match(
      commentsOf(text, 'CST1001')[0] ?? '',
      /^ {2}# 2 cards on file, default ends in \d{4}, expires \d\d\/\d\d /,
    );
    assert.deepEqual(commentsOf(text, 'CST1001').slice(1), [
      `  # no bank accounts on file ${READ_ONLY}`,
    ]);
    assert.deepEqual(commentsOf(text, 'ZZ-PLAIN'), [
      `  # no cards or bank accounts on file ${READ_ONLY}`,
    ]);
    // Every exported customer has its notes.
    assert.equal(text.match(/^ {2}- customerCode: /gm)?.length, 13);

    // What the reads cost, stated on stderr, is what the emulator counted.
    assert.deepEqual(calls, {
      'GET /v2/customers': 2, // the export's own listing, then the listing with cards
      'GET /v2/customers/{id}/bank-accounts': 13,
      'GET /v2/customers/{id}/pads': 4,
    });
    assert.equal(
      run.stderr,
      [
        'reading payment details of 13 customers: up to 27 more calls (1 to list the cards, 13 for bank accounts, up to 13 for PAD agreements)',
        'payment details: 18 calls (1 for cards, 13 for bank accounts, 4 for PAD agreements)',
        'exported 13 customers to c.yaml',
        '',
      ].join('\n'),
    );

    const validated = await account.run(['validate', 'c.yaml']);
    assert.equal(validated.code, 0, validated.stdout + validated.stderr);
    const planned = await account.run(['plan', 'c.yaml', '--detailed-exitcode', '--json']);
    assert.equal(planned.code, 0, planned.stdout + planned.stderr);
    const plan: unknown = JSON.parse(planned.stdout);
    assert.ok(typeof plan === 'object' && plan !== null && 'summary' in plan);
    assert.deepEqual(plan.summary, {
      create: 0,
      update: 0,
      unchanged: 13,
      remoteOnly: 0,
      conflict: 0,
    });
    // The same customers as a plain export: only comment lines differ.
    const plain = await account.run(['export']);
    assert.equal(
      text
        .split('\n')
        .filter((l) => !l.startsWith('  #'))
        .join('\n'),
      plain.stdout,
    );
  });

  test('one code: its cards are read on their own, not by a listing of the account', async () => {
    const statsBefore = account.emulator.stats();
    const run = await account.run(['export', '--include-payment-details', '--code', 'CST1005']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {2}# 1 card on file, default ends in \d{4}, expires /m);
    assert.deepEqual(spent(statsBefore, account.emulator.stats()), {
      'GET /v2/customers': 1, // the code's lookup (or a one-page listing): never a second one
      'GET /v2/customers/{id}/cards': 1,
      'GET /v2/customers/{id}/bank-accounts': 1,
      'GET /v2/customers/{id}/pads': 1,
    });
    assert.match(
      run.stderr,
      /^reading payment details of 1 customer: up to 3 more calls \(1 for cards, 1 for bank accounts, up to 1 for PAD agreements\)\npayment details: 3 calls \(1 for cards, 1 for bank accounts, 1 for PAD agreements\)\n/,
    );
  });

  test('CSV is a usage error with a hint, before any call', async () => {
    const statsBefore = account.emulator.stats();
    const run = await account.run(['export', '--format', 'csv', '--include-payment-details']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^error: --include-payment-details is for YAML only/);
    assert.match(run.stderr, /--format yaml, or --out FILE\.yaml/);
    assert.deepEqual(spent(statsBefore, account.emulator.stats()), {});
  });

  test('--include-cards is as it was; with --include-payment-details the card notes are not doubled', async () => {
    const cards = await account.run(['export', '--include-cards']);
    assert.equal(cards.code, 0, cards.stderr);
    const notes = cards.stdout.split('\n').filter((l) => l.startsWith('  #'));
    assert.ok(notes.length > 0);
    for (const note of notes)
      assert.match(
        note,
        /^ {2}# \d cards? on file(, default ends in \d{4})? \(read-only, not synced\)$/,
      );
    assert.equal(cards.stderr, 'exported 13 customers to standard output\n');
    const both = await account.run(['export', '--include-cards', '--include-payment-details']);
    assert.equal(both.code, 0, both.stderr);
    const alone = await account.run(['export', '--include-payment-details']);
    assert.equal(both.stdout, alone.stdout);
    // One line about cards for each customer, never a second one from --include-cards.
    assert.equal(
      (both.stdout.match(/^ {2}# (\d+|no) cards? (on file|or bank)/gm) ?? []).length,
      13,
    );
  });

  test('--help documents the option', async () => {
    const help = await account.run(['export', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--include-payment-details/);
    assert.match(help.stdout, /PAD/);
  });
});

test('Payment Kit: a usage error that names the provider', async () => {
  const rig = await PaymentKitRig.start({ seed: 2 });
  try {
    const run = await rig.run(['export', '--include-payment-details']);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^error: --include-payment-details is not available for Payment Kit/);
  } finally {
    await rig.close();
  }
});

test('the reads are paced: 18 calls under 10 a minute wait for the window, and none is refused', async () => {
  const limits = { concurrent: 5, perMinute: 10, perHour: 3000 };
  // A minute lasts a second on both sides.
  const box = await Sandbox.start({ seed: 12, rateLimit: limits, timeScale: 60 });
  try {
    const run = await box.run([
      'export',
      '--include-payment-details',
      '--rate-limit',
      '5/10/3000',
      '--time-scale',
      '60',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const stats = box.stats();
    assert.equal(stats.totalRequests, 18, JSON.stringify(stats.requests));
    assert.equal(stats.rateLimited, 0, 'the client waited for the window instead');
    assert.ok(stats.peakInFlight <= 5);
    assert.match(
      run.stderr,
      /^reading payment details of 12 customers: up to 25 more calls \([^)]*\)\n/,
    );
    assert.match(
      run.stderr,
      /\npayment details: 17 calls \(1 for cards, 12 for bank accounts, 4 for PAD agreements\)\n/,
    );
  } finally {
    await box.close();
  }
});
