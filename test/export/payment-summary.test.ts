/**
 * The payment summary and its comments, as pure functions: only fixed words, four digits and an
 * MM/YY come out, whatever the provider sent; the newest PAD of an account is its status; the
 * cards are read the cheaper way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  planPaymentReads,
  summarizeBankAccounts,
  summarizePaymentCards,
} from '../../src/export/payment-details.js';
import { paymentComments } from '../../src/export/yaml-writer.js';
import { helcimCost } from '../../src/providers/helcim/cost.js';

test('cards: count, default last four and expiry; none shown when no card is the default', () => {
  assert.deepEqual(
    summarizePaymentCards([
      { cardF6L4: '4242421111', cardExpiry: '0127', isDefault: false },
      { cardF6L4: '5454542222', cardExpiry: '1229', isDefault: true },
    ]),
    { count: 2, defaultLast4: '2222', defaultExpiry: '12/29' },
  );
  assert.deepEqual(
    summarizePaymentCards([{ cardF6L4: '4242421111', cardExpiry: '1327', isDefault: false }]),
    {
      count: 1,
      defaultLast4: '1111',
    },
  );
  assert.deepEqual(
    summarizePaymentCards([
      { cardF6L4: '4242421111', cardExpiry: '0127', isDefault: false },
      { cardF6L4: '4242423333', cardExpiry: '0227', isDefault: false },
    ]),
    { count: 2 },
  );
});

test('bank accounts: fixed words and four digits only; the newest PAD wins; PADs of no listed account apart', () => {
  const summary = summarizeBankAccounts(
    [
      { id: '1', accountType: 'checking ', last4: '6789', verified: true },
      { id: '2', accountType: 'SAVINGS\n- injected: yes', last4: '000123456789', verified: false },
    ],
    [
      { id: '10', bankAccountId: '1', status: 'revoked', createdAt: '2024-01-01T00:00:00' },
      { id: '11', bankAccountId: '1', status: 'accepted', createdAt: '2025-01-01T00:00:00' },
      { id: '12', bankAccountId: '9', status: 'revoked' },
    ],
  );
  assert.deepEqual(summary, {
    bankAccounts: [
      { type: 'checking', last4: '6789', verified: true, pad: 'accepted' },
      { verified: false },
    ],
    padsWithoutAccount: ['revoked'],
  });
  assert.deepEqual(paymentComments({ cards: { count: 0 }, ...summary }), [
    '# no cards on file (read-only, not synced)',
    '# checking account, ends in 6789, verified, PAD accepted (read-only, not synced)',
    '# bank account, not verified, no PAD agreement (read-only, not synced)',
    '# PAD revoked, its bank account no longer on file (read-only, not synced)',
  ]);
  assert.deepEqual(
    paymentComments({ cards: { count: 0 }, bankAccounts: [], padsWithoutAccount: [] }),
    ['# no cards or bank accounts on file (read-only, not synced)'],
  );
});

test('cards are listed only when the listing costs fewer calls than a read per customer', () => {
  // 250 customers listed: 3 pages; 5 of them exported: 5 reads cost more.
  assert.equal(planPaymentReads({ cost: helcimCost }, 5, { accountSize: 250 }).cards, 'listing');
  assert.equal(
    planPaymentReads({ cost: helcimCost }, 3, { accountSize: 250 }).cards,
    'per-customer',
  );
  // Looked up by code (no listing): a read each.
  const looked = planPaymentReads({ cost: helcimCost }, 40, {});
  assert.deepEqual(looked, {
    customers: 40,
    cards: 'per-customer',
    cardCalls: 40,
    bankAccountCalls: 40,
    padCallsAtMost: 40,
    callsAtMost: 120,
  });
  assert.equal(planPaymentReads({ cost: helcimCost }, 0, { accountSize: 0 }).callsAtMost, 0);
});
