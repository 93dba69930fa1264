import { getField } from '../../../../src/core/fields.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS_FIELDS } from '../../../../src/providers/helcim/fields.js';
import type { CustomerData } from '../../../../src/core/customer.js';
import type { Address } from '../../../../src/providers/helcim/fields.js';
import { mulberry32 } from '../../../../src/core/random.js';
import {
  asText,
  normalizeAddressField,
  normalizeCountry,
  normalizeCustomer,
  normalizePhone,
  normalizePostalCode,
  normalizeText,
} from '../../../../src/providers/helcim/normalize/index.js';
import { isNormalText } from '../../../../src/normalize/text.js';

/** The rule isNormalText stands in for. */
function slowText(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim();
}

test('printable Latin-1 with single inner spaces is what full normalisation leaves alone', () => {
  const chars: string[] = [];
  for (let c = 0x21; c <= 0xff; c++) if (c <= 0x7e || c >= 0xa1) chars.push(String.fromCharCode(c));
  for (const a of chars) {
    assert.equal(slowText(a), a);
    for (const b of chars) {
      assert.equal(slowText(a + b), a + b);
      assert.equal(slowText(`${a} ${b}`), `${a} ${b}`);
    }
  }
  for (const odd of [' a', 'a ', 'a  b', '\u00a0', 'a\tb', 'e\u0301', '\u0300', 'ā', '\n', '']) {
    assert.equal(normalizeText(odd), slowText(odd), JSON.stringify(odd));
  }
  assert.equal(isNormalText('Zoë Núñez'), true);
  assert.equal(isNormalText('Zoe\u0308'), false);
  assert.equal(normalizePostalCode('t2p 1j9'), 'T2P 1J9');
  assert.equal(normalizePostalCode('T2P 1J9 é'), 'T2P 1J9 É');
});

/** The normalisation as it was written before it learned to skip copies: always builds anew. */
function referenceAddress(value: unknown): Address | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const rawCountry = asText(Reflect.get(value, 'country'));
  const country = rawCountry === undefined ? undefined : normalizeCountry(rawCountry);
  let out: Address | undefined;
  for (const field of ADDRESS_FIELDS) {
    const text = asText(Reflect.get(value, field));
    if (text === undefined) continue;
    const normal =
      field === 'country' && country !== undefined
        ? country
        : normalizeAddressField(field, text, country);
    if (normal !== '') (out ??= {})[field] = normal;
  }
  return out;
}

function referenceCustomer(value: unknown): CustomerData {
  const out: CustomerData = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const field of ['customerCode', 'contactName', 'businessName', 'cellPhone'] as const) {
    const text = asText(Reflect.get(value, field));
    if (text === undefined) continue;
    const normal = field === 'cellPhone' ? normalizePhone(text) : normalizeText(text);
    if (normal !== '') out[field] = normal;
  }
  for (const kind of ['billingAddress', 'shippingAddress'] as const) {
    const address = referenceAddress(Reflect.get(value, kind));
    if (address !== undefined) out[kind] = address;
  }
  return out;
}

const VALUES: unknown[] = [
  '',
  'Ada',
  ' Ada ',
  'CAN',
  'canada',
  'ab',
  'AB',
  '4035550101',
  '(403) 555-0101',
  'T2P 1J9',
  't2p 1j9',
  'a@B.com',
  7,
  null,
  {},
  undefined,
];
const KEYS = ['customerCode', 'contactName', 'businessName', 'cellPhone', 'extra'];

test('normalising without copies gives the same customers as building every one anew', () => {
  const rand = mulberry32(9);
  const pick = (): unknown => VALUES[Math.floor(rand() * VALUES.length)];
  let same = 0;
  for (let n = 0; n < 5000; n++) {
    const value: Record<string, unknown> = {};
    for (const key of KEYS) if (rand() < 0.5) value[key] = pick();
    for (const kind of ['billingAddress', 'shippingAddress']) {
      if (rand() < 0.3) continue;
      const address: Record<string, unknown> = {};
      for (const field of [...ADDRESS_FIELDS, 'extra']) if (rand() < 0.5) address[field] = pick();
      value[kind] = rand() < 0.1 ? pick() : address;
    }
    const got = normalizeCustomer(value);
    assert.deepEqual(got, referenceCustomer(value), JSON.stringify(value));
    // Same key order too: plans and JSON output list fields as normalisation built them.
    assert.deepEqual(Object.keys(got), Object.keys(referenceCustomer(value)));
    if (got === value) same++;
    assert.deepEqual(normalizeCustomer(got), got);
  }
  assert.ok(same > 0, 'some records must come back as they are');
});

test('upper-casing stays NFC, so normalising twice changes nothing', () => {
  // "ΐ" upper-cases to three code points that NFC composes to two.
  const value = { billingAddress: { postalCode: 'ΐ05 57', province: 'ΰ' } };
  const once = normalizeCustomer(value);
  assert.deepEqual(normalizeCustomer(once), once);
  assert.equal(getField(once, 'billingAddress.postalCode'), 'Ϊ́05 57'.normalize('NFC'));
});
