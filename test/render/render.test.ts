import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RemoteCustomer } from '../../src/core/customer.js';
import { planChanges } from '../../src/plan/plan.js';
import type { DesiredInput } from '../../src/plan/types.js';
import {
  MARKDOWN_LIMIT,
  planRenderers,
  renderMarkdown,
  renderText,
} from '../../src/render/index.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const remote: RemoteCustomer[] = [
  { id: '1', customerCode: 'C1', contactName: 'Ada' },
  { id: '2', customerCode: 'C2', contactName: 'Grace' },
  { id: '3', customerCode: 'CST1001', contactName: 'Walk-in' },
];
const desired: DesiredInput[] = [
  {
    key: 'C1',
    data: { customerCode: 'C1', contactName: 'Ada Lovelace' },
    source: 'customers.yaml:3',
  },
  { key: 'C2', data: { customerCode: 'C2', contactName: 'Grace' }, source: 'customers.yaml:6' },
  { key: 'N1', data: { customerCode: 'N1', contactName: 'New' }, source: 'import.csv row 2' },
];
const plan = planChanges(desired, remote, {
  provider: 'helcim',
  fetch: { strategy: 'list', calls: 1, fetched: 3 },
});

test('text output shows each change with its source, the summary line and the cost', () => {
  const text = renderText(plan);
  assert.match(text, /\+ N1 will be created \(import\.csv row 2\)/);
  assert.match(text, /~ C1 will be updated \(id 1, customers\.yaml:3\)/);
  assert.match(text, /~ contactName\s+"Ada" -> "Ada Lovelace"/);
  assert.doesNotMatch(text, /C2/, 'unchanged records are counted, not listed');
  assert.match(text, /^Plan: 1 to create, 1 to update, 1 unchanged, 1 remote only\.$/m);
  assert.match(text, /Applying it takes 2 API calls/);
  const ESC = '\u001b[';
  assert.ok(!text.includes(ESC), 'no colour unless asked');
  assert.ok(renderText(plan, { color: true }).includes(ESC));
  const verbose = planChanges(desired, remote, {
    provider: 'helcim',
    fetch: { strategy: 'list', calls: 1, fetched: 3 },
    includeUnchanged: true,
  });
  assert.match(renderText(verbose, { verbose: true }), /C2 unchanged/);
  assert.match(renderText(verbose, { verbose: true }), /CST1001 only in Helcim \(id 3\)/);
});

test('JSON output is the versioned plan document', () => {
  const text = planRenderers.json(plan, {});
  const doc: unknown = JSON.parse(text);
  assert.ok(isRecord(doc));
  // The whole plan, nothing lost or added on the way: what a script reads is what was planned.
  assert.deepEqual(doc, JSON.parse(JSON.stringify(plan)));
  const { actions, ...head } = doc;
  assert.deepEqual(head, {
    version: 1,
    provider: 'helcim',
    matchKey: 'customerCode',
    fetch: { strategy: 'list', calls: 1, fetched: 3 },
    summary: { create: 1, update: 1, unchanged: 1, remoteOnly: 1, conflict: 0 },
    cost: { calls: 2, minSeconds: 0, savedPlanCheck: { strategy: 'lookup', calls: 2 } },
  });
  assert.ok(Array.isArray(actions));
  const [update, create, remoteOnly, ...rest] = actions;
  assert.deepEqual(rest, []);
  assert.ok(isRecord(update));
  const { fingerprint, ...updated } = update;
  assert.match(String(fingerprint), /^[0-9a-f]{32}$/);
  assert.deepEqual(updated, {
    type: 'update',
    key: 'C1',
    remoteId: '1',
    source: 'customers.yaml:3',
    before: { customerCode: 'C1', contactName: 'Ada' },
    after: { customerCode: 'C1', contactName: 'Ada Lovelace' },
    changes: [{ field: 'contactName', old: 'Ada', new: 'Ada Lovelace' }],
    payload: { contactName: 'Ada Lovelace' },
  });
  assert.deepEqual(create, {
    type: 'create',
    key: 'N1',
    source: 'import.csv row 2',
    payload: { customerCode: 'N1', contactName: 'New' },
  });
  assert.deepEqual(remoteOnly, { type: 'remote-only', key: 'CST1001', remoteId: '3' });
  assert.ok(text.endsWith('}\n'), 'one document, ending with a newline');
});

test('markdown stays under the GitHub comment limit however big the plan', () => {
  const many: DesiredInput[] = Array.from({ length: 20_000 }, (_, i) => ({
    key: `K${i}`,
    data: {
      customerCode: `K${i}`,
      contactName: `Customer number ${i} with a long enough name | pipe`,
    },
    source: `big.csv row ${i + 2}`,
  }));
  const big = planChanges(many, [], {
    provider: 'helcim',
    fetch: { strategy: 'list', calls: 1, fetched: 0 },
  });
  const md = renderMarkdown(big);
  assert.ok(
    md.length < MARKDOWN_LIMIT && md.length < 65_536,
    `markdown is ${md.length} characters`,
  );
  assert.match(md, /Plan: 20000 to create/);
  assert.match(md, /more changes not shown/);
  assert.match(renderMarkdown(plan), /✏️ update \| `C1`/);
});

test('the cost line says a few calls need no wait, and how long many need at least', () => {
  const few = renderText({ ...plan, cost: { ...plan.cost, calls: 6, minSeconds: 0 } });
  assert.match(
    few,
    /^Applying it takes 6 API calls, within Helcim's rate limits without waiting\.$/m,
  );
  assert.doesNotMatch(few, /no less than 0s/);
  const many = renderText({ ...plan, cost: { ...plan.cost, calls: 900, minSeconds: 330 } });
  assert.match(
    many,
    /^Applying it takes 900 API calls; Helcim's rate limits allow that in no less than 6m\.$/m,
  );
});

test('a Payment Kit plan made under --rate-limit windows says how long its updates take at least', () => {
  const desired: DesiredInput[] = Array.from({ length: 45 }, (_, i) => ({
    key: `z1did${i}`,
    data: { did: `z1did${i}`, name: `New name ${i}` },
    source: `pk.csv row ${i + 2}`,
  }));
  const remote: RemoteCustomer[] = desired.map((d, i) => ({
    id: `cus_${i}`,
    did: d.key,
    name: `Old name ${i}`,
  }));
  const options = {
    provider: 'payment-kit',
    livemode: false,
    fetch: { strategy: 'list' as const, calls: 1, fetched: 45 },
  };
  // Payment Kit documents no limit: no time to state.
  assert.match(
    renderText(planChanges(desired, remote, options)),
    /^Applying it takes 45 API calls\.$/m,
  );
  // 20 a minute, given by the person: the 45th update goes in the third minute.
  const paced = planChanges(desired, remote, {
    ...options,
    limits: { concurrent: 5, perMinute: 20, perHour: 1000 },
  });
  assert.match(
    renderText(paced),
    /^Applying it takes 45 API calls; the rate limits given allow that in no less than 2m\.$/m,
  );
});
