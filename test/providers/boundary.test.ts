/**
 * The provider boundary: the core asks the provider named in the config for its fields, rules,
 * normalisation and update payload, and a plan made for one provider is never applied to another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemoteCustomer } from '../../src/core/customer.js';
import { flatten, isFieldPath, withoutIgnored } from '../../src/core/fields.js';
import { loadDesiredState } from '../../src/desired/index.js';
import { parseConfigText } from '../../src/load/config.js';
import { loadYaml } from '../../src/load/yaml.js';
import { planChanges } from '../../src/plan/plan.js';
import { serializePlan } from '../../src/plan/saved.js';
import type { Plan } from '../../src/plan/types.js';
import { helcimFields } from '../../src/providers/helcim/fields.js';
import { providerInfo } from '../../src/providers/index.js';
import { paymentKitFields } from '../../src/providers/payment-kit/fields.js';
import { validateRecords } from '../../src/validate/index.js';
import { runInProcess } from '../support/cli.js';

const where = { file: '/proj/helcim-sync.yaml', shown: 'helcim-sync.yaml', cwd: '/proj' };

test('a Payment Kit config without livemode is refused with the fix in its hint', () => {
  const { problems } = parseConfigText('provider: payment-kit\n', where);
  assert.deepEqual(
    problems.map((p) => [p.code, p.message, p.hint]),
    [
      [
        'missing-livemode',
        'livemode: missing; Payment Kit keeps live and test customers apart',
        'add `livemode: true` for live customers, or `livemode: false` for test ones',
      ],
    ],
  );
});

test("the config's match key, ignore list and mapping columns are the provider's fields", () => {
  const pk = parseConfigText(
    [
      'provider: payment-kit',
      'livemode: false',
      'matchKey: metadata.crm_id',
      'ignore: [phone, address.line2]',
      'mappings:',
      '  crm:',
      '    columns:',
      '      email: E-mail',
      '      metadata.crm_id: CRM ID',
      '',
    ].join('\n'),
    where,
  );
  assert.deepEqual(pk.problems, []);
  assert.equal(pk.config.provider, 'payment-kit');
  assert.equal(pk.config.livemode, false);
  assert.equal(pk.config.matchKey, 'metadata.crm_id');

  const helcimKeyForPk = parseConfigText(
    'provider: payment-kit\nlivemode: true\nmatchKey: customerCode\n',
    where,
  );
  assert.deepEqual(
    helcimKeyForPk.problems.map((p) => p.path),
    ['matchKey'],
  );
  const pkKeyForHelcim = parseConfigText('matchKey: did\n', where);
  assert.deepEqual(
    pkKeyForHelcim.problems.map((p) => p.path),
    ['matchKey'],
  );
  assert.equal(parseConfigText('', where).config.matchKey, 'customerCode');
  assert.equal(
    parseConfigText('provider: payment-kit\nlivemode: true\n', where).config.matchKey,
    'did',
  );
});

test("Payment Kit records are validated and normalised by Payment Kit's rules", () => {
  const loaded = loadYaml(
    'pk.yaml',
    [
      'customers:',
      '  - did: z1ada',
      '    email: Ada@Example.COM',
      '    address: { country: Canada, city: Calgary }',
      '    metadata: { crm_id: C-1 }',
      '  - did: z1bob',
      '    email: not-an-email',
      '  - did: z1cy',
      '    customerCode: C1',
      '',
    ].join('\n'),
  );
  const result = validateRecords(loaded.records, { provider: 'payment-kit' });
  assert.deepEqual(
    result.customers.map((c) => c.data),
    [
      {
        did: 'z1ada',
        email: 'Ada@example.com',
        address: { country: 'CA', city: 'Calgary' },
        metadata: { crm_id: 'C-1' },
      },
    ],
  );
  assert.deepEqual(
    result.problems.map((p) => [p.code, p.path]),
    [
      ['invalid-email', 'email'],
      ['unknown-field', 'customerCode'],
      ['country-converted', 'address.country'],
    ],
  );
});

test('a Payment Kit update sends the whole metadata: the keys only Payment Kit holds are kept', () => {
  const remote: RemoteCustomer = {
    id: 'cus_1',
    did: 'z1ada',
    name: 'Ada',
    email: 'ada@example.com',
    address: { country: 'CA', city: 'Calgary', line1: '1 Main St' },
    metadata: { crm_id: 'C-1', source: 'checkout' },
  };
  const plan = planChanges(
    [
      {
        key: 'z1ada',
        source: 'pk.yaml:2',
        data: {
          did: 'z1ada',
          name: 'Ada Lovelace',
          address: { city: 'Edmonton' },
          metadata: { tier: 'gold' },
        },
      },
    ],
    [remote],
    { provider: 'payment-kit', fetch: { strategy: 'list', calls: 1, fetched: 1 } },
  );
  const update = plan.actions[0];
  assert.equal(update?.type, 'update');
  if (update?.type !== 'update') return;
  assert.deepEqual(update.payload, {
    name: 'Ada Lovelace',
    address: { country: 'CA', city: 'Edmonton', line1: '1 Main St' },
    metadata: { crm_id: 'C-1', source: 'checkout', tier: 'gold' },
  });
  assert.deepEqual(
    update.changes.map((c) => c.field),
    ['name', 'address.city', 'metadata.tier'],
  );
});

test('field paths and ignore handle open metadata keys', () => {
  assert.equal(isFieldPath(paymentKitFields, 'metadata.crm_id'), true);
  assert.equal(isFieldPath(paymentKitFields, 'address.postal_code'), true);
  assert.equal(isFieldPath(paymentKitFields, 'address.postalCode'), false);
  assert.equal(isFieldPath(helcimFields, 'metadata.crm_id'), false);
  const data = { did: 'z1', metadata: { zeta: '2', alpha: '1' } };
  assert.deepEqual(flatten(paymentKitFields, data), [
    ['did', 'z1'],
    ['metadata.alpha', '1'],
    ['metadata.zeta', '2'],
  ]);
  assert.deepEqual(withoutIgnored(data, new Set(['metadata.zeta'])), {
    did: 'z1',
    metadata: { alpha: '1' },
  });
});

test('a saved plan made for one provider is refused where the config names another', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-boundary-'));
  try {
    const target = providerInfo('payment-kit').target({
      PAYMENT_KIT_URL: 'http://127.0.0.1:1/payment',
    });
    const plan: Plan = planChanges([], [], {
      provider: 'payment-kit',
      fetch: { strategy: 'list', calls: 1, fetched: 0 },
    });
    writeFileSync(join(dir, 'plan.json'), serializePlan(plan, target));
    writeFileSync(join(dir, 'helcim-sync.yaml'), 'provider: helcim\n');
    const run = await runInProcess(['apply', 'plan.json', '--auto-approve'], {
      cwd: dir,
      env: { PAYMENT_KIT_URL: 'http://127.0.0.1:1/payment', PAYMENT_KIT_ACCESS_KEY: 'k' },
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /plan\.json: the plan was made for Payment Kit, but the config says provider: helcim; nothing was written/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Payment Kit record that matches nobody cannot be created: it is reported, never sent', () => {
  const plan = planChanges(
    [{ key: 'z1nobody', source: 'pk.yaml:2', data: { did: 'z1nobody', name: 'Nobody' } }],
    [],
    { provider: 'payment-kit', fetch: { strategy: 'list', calls: 1, fetched: 0 } },
  );
  assert.deepEqual(plan.summary, {
    create: 0,
    update: 0,
    unchanged: 0,
    remoteOnly: 0,
    conflict: 1,
  });
  assert.deepEqual(plan.actions, [
    {
      type: 'conflict',
      key: 'z1nobody',
      reason: 'cannot be created: Payment Kit creates customers at checkout',
      remoteIds: [],
      sources: ['pk.yaml:2'],
    },
  ]);
  assert.equal(plan.cost.calls, 0);
});

test('a Payment Kit record whose DID matches nobody, but whose email a listed customer has, names that customer', () => {
  const plan = planChanges(
    [
      {
        key: 'z1typo',
        source: 'pk.yaml:2',
        data: { did: 'z1typo', name: 'Ada', email: 'ada@example.com' },
      },
      { key: 'z1nobody', source: 'pk.yaml:5', data: { did: 'z1nobody', email: 'no@example.com' } },
    ],
    [
      { id: 'cus_1', did: 'z1real', name: 'Ada', email: 'ada@example.com' },
      { id: 'cus_2', did: 'z1other', email: 'other@example.com' },
    ],
    { provider: 'payment-kit', fetch: { strategy: 'list', calls: 1, fetched: 2 } },
  );
  assert.deepEqual(plan.summary, {
    create: 0,
    update: 0,
    unchanged: 0,
    remoteOnly: 1,
    conflict: 2,
  });
  assert.deepEqual(plan.actions.slice(0, 2), [
    {
      type: 'conflict',
      key: 'z1typo',
      reason:
        'cannot be created: Payment Kit creates customers at checkout; the customer with its email ada@example.com has DID z1real: correct the DID, or match by email',
      remoteIds: ['cus_1'],
      sources: ['pk.yaml:2'],
    },
    {
      type: 'conflict',
      key: 'z1nobody',
      reason: 'cannot be created: Payment Kit creates customers at checkout',
      remoteIds: [],
      sources: ['pk.yaml:5'],
    },
  ]);
});

test("a Payment Kit file's structural hints and CSV headers speak Payment Kit's fields", () => {
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-boundary-'));
  try {
    writeFileSync(join(dir, 'helcim-sync.yaml'), 'provider: payment-kit\nlivemode: false\n');
    writeFileSync(join(dir, 'empty.yaml'), 'customers: []\n');
    writeFileSync(join(dir, 'crm.csv'), 'did,Name,metadata.CRM_ID\nz1ada,Ada,C-1\n');
    const state = loadDesiredState(['empty.yaml', 'crm.csv'], { cwd: dir });
    assert.deepEqual(
      state.problems.map((p) => [p.code, p.hint]),
      [['no-customers', 'add items under `customers:`, each starting with `- did: ...`']],
    );
    assert.deepEqual(
      state.customers.map((c) => c.data),
      [{ did: 'z1ada', name: 'Ada', metadata: { CRM_ID: 'C-1' } }],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a metadata key with dots in it is named after the first dot, in CSV columns, the match key and ignore', () => {
  // Any key is a metadata key (`crm.id` is a common one); YAML writes it as a key of its own,
  // and `export` writes it as the column `metadata.crm.id`, which must load back.
  const dir = mkdtempSync(join(tmpdir(), 'helcim-sync-boundary-'));
  try {
    writeFileSync(
      join(dir, 'helcim-sync.yaml'),
      'provider: payment-kit\nlivemode: false\nmatchKey: metadata.crm.id\nignore: [metadata.old.ref]\n',
    );
    writeFileSync(
      join(dir, 'crm.csv'),
      'did,name,metadata.crm.id,metadata.old.ref\nz1ada,Ada,C-1,R-9\n',
    );
    writeFileSync(
      join(dir, 'more.yaml'),
      'customers:\n  - did: z1bob\n    metadata:\n      "crm.id": C-2\n',
    );
    const state = loadDesiredState(['crm.csv', 'more.yaml'], { cwd: dir });
    assert.deepEqual(state.problems, []);
    assert.deepEqual(
      state.customers.map((c) => [c.key, c.data]),
      [
        // metadata.old.ref is ignored: neither read nor sent.
        ['C-1', { did: 'z1ada', name: 'Ada', metadata: { 'crm.id': 'C-1' } }],
        ['C-2', { did: 'z1bob', metadata: { 'crm.id': 'C-2' } }],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a metadata key written as null is removed; the keys only Payment Kit holds are kept', async () => {
  const loaded = loadYaml(
    'pk.yaml',
    'customers:\n  - did: z1ada\n    metadata:\n      source: null\n      tier: gold\n',
  );
  const [desired] = validateRecords(loaded.records, { provider: 'payment-kit' }).customers;
  assert.ok(desired);
  const plan = planChanges(
    [{ key: desired.key, source: 'pk.yaml:2', data: desired.data, clear: desired.clear ?? [] }],
    [{ id: 'cus_1', did: 'z1ada', metadata: { source: 'checkout', crm_id: 'C-1' } }],
    { provider: 'payment-kit', fetch: { strategy: 'list', calls: 1, fetched: 1 } },
  );
  const update = plan.actions[0];
  assert.ok(update?.type === 'update');
  assert.deepEqual(update.payload, { metadata: { crm_id: 'C-1', tier: 'gold' } });
  assert.deepEqual(update.changes, [
    { field: 'metadata.tier', new: 'gold' },
    { field: 'metadata.source', old: 'checkout' },
  ]);
});

test("Payment Kit customers can be matched by Payment Kit's id", () => {
  const loaded = loadYaml('pk.yaml', 'customers:\n  - id: cus_1\n    name: Ada L\n');
  const result = validateRecords(loaded.records, { provider: 'payment-kit', matchKey: 'id' });
  assert.deepEqual(result.problems, []);
  const plan = planChanges(
    result.customers.map((c) => ({ key: c.key, source: 'pk.yaml:2', data: c.data })),
    [{ id: 'cus_1', did: 'z1ada', name: 'Ada' }],
    { provider: 'payment-kit', matchKey: 'id', fetch: { strategy: 'list', calls: 1, fetched: 1 } },
  );
  const update = plan.actions[0];
  assert.ok(update?.type === 'update');
  assert.deepEqual(update.payload, { name: 'Ada L' });
});

test("an id in the file that is not the matched customer's is a conflict, never an empty update", () => {
  const plan = planChanges(
    [{ key: 'z1ada', source: 'pk.yaml:2', data: { did: 'z1ada', id: 'cus_X', name: 'Ada' } }],
    [{ id: 'cus_Y', did: 'z1ada', name: 'Ada' }],
    { provider: 'payment-kit', fetch: { strategy: 'list', calls: 1, fetched: 1 } },
  );
  assert.deepEqual(plan.actions, [
    {
      type: 'conflict',
      key: 'z1ada',
      reason: 'id: the file says "cus_X", but the customer it matches in Payment Kit has "cus_Y"',
      remoteIds: ['cus_Y'],
      sources: ['pk.yaml:2'],
    },
  ]);
  assert.equal(plan.cost.calls, 0);
});

test("each provider's identity normaliser gives the identity its whole-record normaliser gives", () => {
  // Listed customers are matched by the identity alone; a difference would leave a customer
  // unmatched (a duplicate create for Helcim) or matched to another record.
  const identities = ['C-1', '  C-1 ', 'C\u00a0-  1', 'Cafe\u0301-9', 'z1Ab\tcD', ' ', '12'];
  for (const name of ['helcim', 'payment-kit']) {
    const provider = providerInfo(name);
    const field = provider.fields.identity;
    for (const identity of identities) {
      const whole = provider.normalize({ [field]: identity })[field];
      assert.equal(
        provider.normalizeIdentity(identity),
        typeof whole === 'string' ? whole : '',
        `${name}: ${JSON.stringify(identity)}`,
      );
    }
  }
});
