import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RemoteCustomer } from '../../src/core/customer.js';
import { planChanges, fingerprint, Planner } from '../../src/plan/plan.js';
import { deriveCode } from '../../src/providers/helcim/update.js';
import { helcimFields } from '../../src/providers/helcim/fields.js';
import { getField } from '../../src/core/fields.js';
import { leastSeconds, formatDuration } from '../../src/plan/cost.js';
import type { DesiredInput, FetchInfo } from '../../src/plan/types.js';

const listed: FetchInfo = { strategy: 'list', calls: 1, fetched: 0 };
const ada: RemoteCustomer = {
  id: '101',
  customerCode: 'C1',
  contactName: 'Ada Lovelace',
  cellPhone: '4035550101',
  billingAddress: {
    name: 'Ada Lovelace',
    street1: '1 Main St',
    postalCode: 'T2P1J9',
    city: 'Calgary',
    province: 'AB',
    country: 'CAN',
  },
};
const desired = (data: DesiredInput['data'], source = 'customers.yaml:3'): DesiredInput => ({
  key: getField(data, 'customerCode') ?? '',
  data,
  source,
});

test('a record missing remotely is created with exactly its managed fields', () => {
  const plan = planChanges([desired({ customerCode: 'N1', contactName: 'New Person' })], [], {
    provider: 'helcim',
    fetch: listed,
  });
  assert.deepEqual(plan.summary, {
    create: 1,
    update: 0,
    unchanged: 0,
    remoteOnly: 0,
    conflict: 0,
  });
  assert.deepEqual(plan.actions[0], {
    type: 'create',
    key: 'N1',
    source: 'customers.yaml:3',
    payload: { customerCode: 'N1', contactName: 'New Person' },
  });
  assert.equal(plan.cost.calls, 1);
});

test('an identical record is unchanged and fields the file does not set are not managed', () => {
  const plan = planChanges([desired({ customerCode: 'C1', contactName: 'Ada Lovelace' })], [ada], {
    provider: 'helcim',
    fetch: listed,
  });
  assert.deepEqual(plan.summary, {
    create: 0,
    update: 0,
    unchanged: 1,
    remoteOnly: 0,
    conflict: 0,
  });
  assert.equal(plan.actions.length, 0, 'unchanged records are counted, not listed');
  const verbose = planChanges(
    [desired({ customerCode: 'C1', contactName: 'Ada Lovelace' })],
    [ada],
    {
      provider: 'helcim',
      fetch: listed,
      includeUnchanged: true,
    },
  );
  assert.equal(verbose.actions[0]?.type, 'unchanged');
});

test('an edited field shows up as exactly that field, and the update carries a name and whole addresses', () => {
  const plan = planChanges(
    [
      desired({
        customerCode: 'C1',
        contactName: 'Ada Lovelace',
        billingAddress: {
          name: 'Ada Lovelace',
          street1: '1 Main St',
          postalCode: 'T2P1J9',
          city: 'Edmonton',
        },
      }),
    ],
    [ada],
    { provider: 'helcim', fetch: listed },
  );
  const action = plan.actions[0];
  assert.equal(action?.type, 'update');
  if (action?.type !== 'update') return;
  assert.deepEqual(action.changes, [
    { field: 'billingAddress.city', old: 'Calgary', new: 'Edmonton' },
  ]);
  assert.deepEqual(action.payload, {
    contactName: 'Ada Lovelace',
    billingAddress: {
      name: 'Ada Lovelace',
      street1: '1 Main St',
      postalCode: 'T2P1J9',
      city: 'Edmonton',
      province: 'AB',
      country: 'CAN',
    },
  });
  assert.equal(getField(action.after, 'billingAddress.city'), 'Edmonton');
  assert.equal(action.after.cellPhone, '4035550101', 'unmanaged fields keep their remote value');
  assert.equal(action.fingerprint, fingerprint(helcimFields, ada));
});

test('ignored fields are never compared nor sent', () => {
  const plan = planChanges(
    [desired({ customerCode: 'C1', contactName: 'Ada Lovelace', cellPhone: '5875550000' })],
    [ada],
    {
      provider: 'helcim',
      fetch: listed,
      ignore: ['cellPhone'],
    },
  );
  assert.equal(plan.summary.unchanged, 1);
  const created = planChanges(
    [desired({ customerCode: 'N2', contactName: 'X', cellPhone: '5875550000' })],
    [],
    {
      provider: 'helcim',
      fetch: listed,
      ignore: ['cellPhone'],
    },
  );
  assert.deepEqual(created.actions[0]?.type === 'create' ? created.actions[0].payload : undefined, {
    customerCode: 'N2',
    contactName: 'X',
  });
});

test('remote customers no file manages are reported, never touched, and only when listed', () => {
  const other: RemoteCustomer = { id: '7', customerCode: 'CST1001', contactName: 'Walk-in' };
  const plan = planChanges([], [other, ada], { provider: 'helcim', fetch: listed });
  assert.deepEqual(
    plan.actions.map((a) => [a.type, a.key]),
    [
      ['remote-only', 'C1'],
      ['remote-only', 'CST1001'],
    ],
  );
  assert.equal(plan.cost.calls, 0);
  const looked = planChanges([], [other], {
    provider: 'helcim',
    fetch: { strategy: 'lookup', calls: 0, fetched: 0 },
  });
  assert.equal(looked.summary.remoteOnly, null);
});

test('two remote customers with one code is a conflict, never a guess', () => {
  const twin: RemoteCustomer = { ...ada, id: '102' };
  const plan = planChanges([desired({ customerCode: 'C1', contactName: 'Ada' })], [ada, twin], {
    provider: 'helcim',
    fetch: listed,
  });
  assert.equal(plan.summary.conflict, 1);
  const action = plan.actions.find((a) => a.type === 'conflict');
  assert.deepEqual(action?.type === 'conflict' ? action.remoteIds : [], ['101', '102']);
  assert.equal(plan.summary.update + plan.summary.create, 0);
  // A file names them: they are in conflict, not "only in Helcim".
  assert.equal(plan.summary.remoteOnly, 0);
  assert.equal(plan.actions.filter((a) => a.type === 'remote-only').length, 0);
});

test('a match key that hits several remote customers is a conflict', () => {
  const a: RemoteCustomer = {
    id: '1',
    customerCode: 'A',
    contactName: 'A',
    billingAddress: { name: 'A', street1: 's', postalCode: 'p', email: 'x@example.com' },
  };
  const b: RemoteCustomer = { ...a, id: '2', customerCode: 'B' };
  const plan = planChanges(
    [
      {
        key: 'X@example.com',
        data: {
          contactName: 'A',
          billingAddress: { name: 'A', street1: 's', postalCode: 'p', email: 'x@example.com' },
        },
        source: 'import.csv row 2',
      },
    ],
    [a, b],
    { provider: 'helcim', fetch: listed, matchKey: 'billingAddress.email' },
  );
  assert.equal(plan.summary.conflict, 1);
});

test('a record matched by key without a code is created under a stable derived code', () => {
  const input: DesiredInput = {
    key: 'Sam@Example.com',
    data: { contactName: 'Sam' },
    source: 'import.csv row 2',
  };
  const first = planChanges([input], [], {
    provider: 'helcim',
    fetch: listed,
    matchKey: 'billingAddress.email',
  });
  const again = planChanges([{ ...input, key: 'sam@example.com' }], [], {
    provider: 'helcim',
    fetch: listed,
    matchKey: 'billingAddress.email',
  });
  const code = (p: typeof first): string | undefined =>
    p.actions[0]?.type === 'create' ? getField(p.actions[0].payload, 'customerCode') : undefined;
  assert.equal(code(first), deriveCode('sam@example.com'));
  assert.equal(code(first), code(again));
  assert.match(code(first) ?? '', /^HS[0-9A-F]{12}$/);
});

test('the same key twice in the desired state is a conflict that names both places', () => {
  const plan = planChanges(
    [
      desired({ customerCode: 'N1', contactName: 'A' }, 'a.yaml:3'),
      desired({ customerCode: 'N1', contactName: 'B' }, 'b.csv row 4'),
    ],
    [],
    { provider: 'helcim', fetch: listed },
  );
  const c = plan.actions.find((a) => a.type === 'conflict');
  assert.match(c?.type === 'conflict' ? c.reason : '', /a\.yaml:3/);
});

test('the fingerprint changes with any change to the remote record', () => {
  assert.notEqual(
    fingerprint(helcimFields, ada),
    fingerprint(helcimFields, { ...ada, cellPhone: '4035550102' }),
  );
  assert.equal(
    fingerprint(helcimFields, ada),
    fingerprint(helcimFields, { ...ada, updatedAt: '2026-01-01T00:00:00' }),
  );
});

test('cost: the least time Helcim limits allow', () => {
  const limits = { concurrent: 5, perMinute: 100, perHour: 3000 };
  assert.equal(leastSeconds(0, limits), 0);
  assert.equal(leastSeconds(100, limits), 0);
  assert.equal(leastSeconds(101, limits), 60);
  assert.equal(leastSeconds(300, limits), 120);
  assert.equal(leastSeconds(5000, limits), 3600);
  assert.equal(formatDuration(3600 + 300), '1h 05m');
});

test('with emptyCells: clear, an empty value erases the remote field explicitly', () => {
  const plan = planChanges(
    [
      {
        key: 'C1',
        data: { customerCode: 'C1', contactName: 'Ada Lovelace' },
        source: 'a.csv row 2',
        clear: ['cellPhone', 'billingAddress.city'],
      },
    ],
    [ada],
    { provider: 'helcim', fetch: listed },
  );
  const action = plan.actions[0];
  assert.equal(action?.type, 'update');
  if (action?.type !== 'update') return;
  assert.deepEqual(action.changes, [
    { field: 'cellPhone', old: '4035550101' },
    { field: 'billingAddress.city', old: 'Calgary' },
  ]);
  assert.equal(action.payload.cellPhone, '');
  assert.equal(getField(action.payload, 'billingAddress.city'), '');
  assert.equal(action.after.cellPhone, undefined);
  assert.equal(getField(action.after, 'billingAddress.city'), undefined);
  assert.equal(getField(action.after, 'billingAddress.street1'), '1 Main St');
});

/**
 * An account and a file that meet in every way a plan reports: an update, a conflict (two
 * customers with one code, on different pages), an unchanged record, a code twice in the file,
 * a create, and customers no record manages.
 */
function mixedAccount(): { remote: RemoteCustomer[]; input: DesiredInput[] } {
  return {
    remote: [
      { ...ada, id: '1', customerCode: 'C1', contactName: 'Old Name' },
      { id: '2', customerCode: 'C2', contactName: 'Same' },
      { id: '3', customerCode: 'ZZ', contactName: 'Nobody manages me' },
      { id: '4', customerCode: 'C2', contactName: 'Twin on a later page' },
      { id: '5', customerCode: 'C3', contactName: 'Same' },
      { id: '6', customerCode: 'AA', contactName: 'Also unmanaged' },
    ],
    input: [
      desired({ customerCode: 'C1', contactName: 'Ada Lovelace' }, 'a.csv row 2'),
      desired({ customerCode: 'C2', contactName: 'Same' }, 'a.csv row 3'),
      desired({ customerCode: 'C3', contactName: 'Same' }, 'a.csv row 4'),
      desired({ customerCode: 'C3', contactName: 'Again' }, 'a.csv row 5'),
      desired({ customerCode: 'N1', contactName: 'New' }, 'a.csv row 6'),
    ],
  };
}

test('fed page by page, the planner plans exactly as on the whole set, conflicts across pages included', () => {
  const { remote, input } = mixedAccount();
  const options = { provider: 'helcim', fetch: listed, includeUnchanged: true };
  const whole = planChanges(input, remote, options);
  const planner = new Planner(input, options);
  for (let i = 0; i < remote.length; i += 2) planner.add(remote.slice(i, i + 2));
  assert.deepEqual(planner.finish(listed), whole);
  assert.deepEqual(whole.summary, {
    create: 1,
    update: 1,
    unchanged: 1,
    remoteOnly: 2,
    conflict: 2,
  });
  assert.deepEqual(
    whole.actions.map((a) => [a.type, a.key]),
    [
      ['update', 'C1'],
      ['conflict', 'C2'],
      ['unchanged', 'C3'],
      ['conflict', 'C3'],
      ['create', 'N1'],
      ['remote-only', 'AA'],
      ['remote-only', 'ZZ'],
    ],
  );
});
