/**
 * `export --include-payment-details` never lets a payment secret out: an account whose cards,
 * bank accounts and PADs hold known tokens, full card and account numbers (also where only four
 * digits belong), institution, transit and routing numbers, is exported every way the option
 * allows, refused and failed part-way; stdout, stderr and every file written (the cache
 * included) are scanned for each value and for the API token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliRun } from '../support/cli.js';
import { Sandbox, show } from './helpers.js';

const TOKEN = 'tok_SECRET_api_payments_1';
const DATE = '2025-04-10 14:33:08';
const ZERO = '0000-00-00 00:00:00';

/** Every value that must stay in the process; each holds SECRET or a digit run found nowhere else. */
const SECRETS = {
  cardToken: 'ctokSECRETa1b2c3d4e5f6',
  otherCardToken: 'ctokSECRETzz99',
  cardF6L4: '4719239876',
  cardFirstSix: '471923',
  fullCardNumber: '4719230000009876',
  otherF6L4: '5490871111',
  bankToken: 'btokSECRET5f5f5f5f',
  usBankToken: 'btokSECRET7e7e7e7e',
  otherBankToken: 'btokSECRET3c3c3c3c',
  institution: 'INSTSECRET003',
  transit: 'TRANSITSECRET23456',
  otherTransit: 'TRANSITSECRET77777',
  routing: 'ROUTINGSECRET021000021',
  fullAccountInL4: '000123454321',
  fullAccountNumber: 'ACCTSECRET000987654321',
  bankAddress: 'ADDRSECRET 1 Bank St',
  padIp: 'IPSECRET10.1.2.3',
  injectedType: 'SECRETTYPE',
  proxyToken: 'btokSECRETproxy',
  proxyTransit: 'TRANSITSECRETproxy',
};

function customer(id: number, code: string, name: string, cards: unknown[]): unknown {
  return {
    id,
    customerCode: code,
    businessName: '',
    contactName: name,
    dateCreated: DATE,
    dateUpdated: DATE,
    cellphone: '',
    billingAddress: '',
    shippingAddress: '',
    cards,
  };
}

function card(
  id: number,
  f6l4: string,
  token: string,
  isDefault: boolean,
): Record<string, unknown> {
  return {
    id,
    cardHolderName: 'Pat Payer',
    cardF6L4: f6l4,
    cardToken: token,
    cardExpiry: '0828',
    dateCreated: DATE,
    dateUpdated: DATE,
    default: isDefault,
  };
}

function bank(
  id: number,
  customerId: number,
  fields: Record<string, string>,
  address: unknown = '',
): Record<string, unknown> {
  return {
    id,
    customerId,
    dateCreated: DATE,
    dateUpdated: DATE,
    dateLastUsed: ZERO,
    dateVerified: DATE,
    bankToken: '',
    accountType: 'CHECKING',
    accountCorporate: 'PERSONAL',
    verified: 1,
    ready: 1,
    bankIdNumber: '',
    transitNumber: '',
    routingNumber: '',
    bankAccountNumberL4: '',
    address,
    ...fields,
  };
}

/** The emulator's state: what the account holds, extra keys a careless API might send included. */
function state(): unknown {
  return {
    version: 1,
    nextId: 28000003,
    nextCode: 1001,
    nextCardId: 5100003,
    customers: [
      customer(28000001, 'SEC-1', 'Pat Payer', [
        {
          ...card(5100001, SECRETS.cardF6L4, SECRETS.cardToken, true),
          cardNumber: SECRETS.fullCardNumber,
        },
        card(5100002, SECRETS.otherF6L4, SECRETS.otherCardToken, false),
      ]),
      customer(28000002, 'SEC-2', 'Robin Banks', []),
    ],
    bankAccounts: [
      {
        ...bank(
          6100001,
          28000001,
          {
            bankToken: SECRETS.bankToken,
            bankIdNumber: SECRETS.institution,
            transitNumber: SECRETS.transit,
            bankAccountNumberL4: SECRETS.fullAccountInL4,
          },
          {
            name: 'Pat Payer',
            street1: SECRETS.bankAddress,
            street2: '',
            city: 'Calgary',
            province: 'AB',
            country: 'CAN',
            postalCode: 'T2P 1J9',
            phone: '',
            email: '',
          },
        ),
        bankAccountNumber: SECRETS.fullAccountNumber,
      },
      bank(6100002, 28000001, {
        bankToken: SECRETS.usBankToken,
        routingNumber: SECRETS.routing,
        bankAccountNumberL4: '6789',
        accountType: `SAVINGS\n  - injected: ${SECRETS.injectedType}`,
      }),
      bank(6100003, 28000002, {
        bankToken: SECRETS.otherBankToken,
        bankIdNumber: SECRETS.institution,
        transitNumber: SECRETS.otherTransit,
        bankAccountNumberL4: '1357',
      }),
    ],
    pads: [
      {
        id: 6600001,
        accepted: 1,
        bankAccountId: 6100001,
        customerId: 28000001,
        dateAccepted: DATE,
        dateCreated: DATE,
        dateEarliestDebit: DATE,
        dateRevoked: ZERO,
        dateUpdated: DATE,
        ipAddress: SECRETS.padIp,
        merchantId: 200001,
        merchantAuthorized: 0,
        type: 1,
        status: 1,
      },
    ],
  };
}

/**
 * Forwards to the emulator, but answers the second customer's bank accounts with a body that is
 * not what the contract says and carries secrets: the error it causes must not quote them.
 */
async function startProxy(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      if (path.endsWith('/customers/28000002/bank-accounts')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify([
            {
              id: 1,
              bankToken: SECRETS.proxyToken,
              accountType: { transitNumber: SECRETS.proxyTransit },
            },
          ]),
        );
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
      const answer = await fetch(`${new URL(target).origin}${path}`, {
        method: req.method ?? 'GET',
        headers,
      });
      const outHeaders: Record<string, string> = { 'content-type': 'application/json' };
      for (const name of ['minute-limit-remaining', 'hour-limit-remaining']) {
        const value = answer.headers.get(name);
        if (value !== null) outHeaders[name] = value;
      }
      res.writeHead(answer.status, outHeaders);
      res.end(await answer.text());
    })().catch(() => {
      res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(typeof address === 'object' && address !== null);
  return { url: `http://127.0.0.1:${address.port}/v2`, server };
}

function assertNoSecret(where: string, text: string): void {
  for (const [name, secret] of Object.entries({ ...SECRETS, apiToken: TOKEN, word: 'SECRET' }))
    assert.ok(!text.includes(secret), `${where} contains ${name} (${secret}):\n${text}`);
}

test('no token, card or account number, institution, transit or routing number leaves the process', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'helcim-sync-payments-state-'));
  const statePath = join(stateDir, 'state.json');
  writeFileSync(statePath, JSON.stringify(state()));
  const box = await Sandbox.start({ token: TOKEN, statePath });
  const proxy = await startProxy(box.emulator.url);
  try {
    // The tool's memory of the account is written inside the folder, to be scanned too.
    const cache = { HELCIM_SYNC_CACHE_DIR: box.path('cache') };
    const runs: [string, CliRun][] = [];
    const run = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => {
      const r = await box.run(args, { env: { ...cache, ...env } });
      runs.push([args.join(' '), r]);
      return r;
    };

    // Every way the option runs, then refused and failed runs: CSV, a wrong token, and a
    // malformed answer part-way. Each is scanned before anything else is checked, so that a
    // leak is reported as one.
    const toFile = await run(['export', '--include-payment-details', '--out', 'customers.yaml']);
    const toStdout = await run(['export', '--include-payment-details']);
    const oneCode = await run(['export', '--include-payment-details', '--code', 'SEC-1']);
    const cards = await run(['export', '--include-cards', '--out', 'cards.yaml']);
    const planned = await run(['plan', 'customers.yaml', '--detailed-exitcode']);
    const csv = await run(['export', '--include-payment-details', '--format', 'csv']);
    const denied = await run(['export', '--include-payment-details'], {
      HELCIM_API_TOKEN: 'tok_wrong',
    });
    const broken = await run(['export', '--include-payment-details', '--out', 'broken.yaml'], {
      HELCIM_API_URL: proxy.url,
    });

    for (const [args, r] of runs) {
      assertNoSecret(`${args}: stdout`, r.stdout);
      assertNoSecret(`${args}: stderr`, r.stderr);
    }
    const files = box.files();
    for (const [name, content] of files) assertNoSecret(name, content);
    assert.ok(files.has('customers.yaml') && files.has('cards.yaml'));
    assert.ok(!files.has('broken.yaml'), 'a failed export writes nothing');
    assert.ok(
      [...files.keys()].some((name) => name.startsWith('cache')),
      'the cache was written',
    );

    for (const ok of [toFile, toStdout, oneCode, cards, planned])
      assert.equal(ok.code, 0, show(ok));
    for (const refused of [csv, denied, broken]) assert.equal(refused.code, 1, show(refused));
    assert.match(denied.stderr, /401/);
    assert.match(broken.stderr, /bank-accounts/);
    // The details are there (the scan is not vacuous): last fours, expiry, statuses.
    const text = box.read('customers.yaml');
    assert.match(text, /# 2 cards on file, default ends in 9876, expires 08\/28 /);
    assert.match(text, /# checking account, ends in 4321, verified, PAD accepted /);
    assert.match(text, /# bank account, ends in 6789, verified, no PAD agreement /);
    assert.match(text, /# checking account, ends in 1357, verified, no PAD agreement /);
    assert.equal(toStdout.stdout, text);
  } finally {
    await new Promise((resolve) => proxy.server.close(resolve));
    await box.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
