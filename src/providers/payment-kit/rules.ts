/**
 * Payment Kit's rules for a customer: what its API refuses with a 400 (an e-mail that is not
 * one, a country that is not alpha-2, a metadata key that is empty), and identifiers that cannot
 * name a Payment Kit customer (an id without `cus_`, a DID with its `did:abt:` prefix), which the
 * lookup would only report as "cannot be created". Found before any call. Phones, which are
 * never refused, are told about in phone-rules.ts.
 */
import { toAlpha2 } from '../../core/countries.js';
import { groupOf, textOf, type CustomerData } from '../../core/customer.js';
import { noteConversion, problem, rawText, type RuleContext } from '../../validate/context.js';
import { countryGuess } from '../../validate/country-guess.js';
import { checkPaymentKitPhone } from './phone-rules.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ALPHA2 = /^[A-Z]{2}$/;
/** The contract: "`id` starts with `cus_`". What follows is the server's; only spaces are out. */
const CUSTOMER_ID = /^cus_\S+$/;
/**
 * A DID as Payment Kit stores it (`z1muQ3...`, the contract's example): an encoded address,
 * letters and digits only. The encoding itself (base58, or hex for other key types) is not
 * checked: an unknown DID is reported by the lookup, and a stricter rule could refuse a real one.
 */
const DID = /^[A-Za-z0-9]+$/;
const DID_PREFIX = /^did:abt:/i;

function checkIdentifiers(ctx: RuleContext, data: CustomerData): void {
  const id = textOf(data['id']);
  if (id !== undefined && !CUSTOMER_ID.test(id))
    problem(
      ctx,
      'error',
      'invalid-id',
      'id',
      `${JSON.stringify(id)} is not a Payment Kit customer id`,
      "Payment Kit's ids start with cus_ (cus_Lq3Zt8Hk2VnYw6PcRm4D1sXb); to name the customer by its DID, write did: instead",
    );
  const did = textOf(data['did']);
  if (did === undefined || DID.test(did)) return;
  const bare = did.replace(DID_PREFIX, '');
  if (bare !== did && DID.test(bare)) {
    problem(
      ctx,
      'error',
      'invalid-did',
      'did',
      `${JSON.stringify(did)} is not a DID as Payment Kit stores it`,
      `write it without \`did:abt:\`: ${bare}`,
    );
    return;
  }
  problem(
    ctx,
    'error',
    'invalid-did',
    'did',
    `${JSON.stringify(did)} is not a DID`,
    EMAIL.test(did)
      ? 'it looks like an email: write it under email, and the DID (z1...) under did'
      : "a DID is letters and digits (z1muQ3xqHQK2uiACHyChikZXRkQ4Gc8RnUH): copy the customer's DID from Payment Kit",
  );
}

/** A key written in the file but empty: Payment Kit answers 400, so the update would fail. */
function checkMetadataKeys(ctx: RuleContext): void {
  const metadata = ctx.raw['metadata'];
  const record = ctx.record;
  if (typeof metadata !== 'object' || metadata === null || !Object.hasOwn(metadata, '')) return;
  if (record === undefined || ctx.skip.has('metadata.')) return;
  // Placed at the empty key itself (`metadata.` is its path), but said of the metadata.
  ctx.out.push({
    severity: 'error',
    code: 'empty-metadata-key',
    message: 'metadata: a key is empty; Payment Kit refuses metadata with an empty key',
    place: record.locate('metadata.'),
    path: 'metadata.',
    hint: 'name the key (e.g. crm_id) or remove the line',
  });
}

export function checkPaymentKitCustomer(ctx: RuleContext, data: CustomerData): void {
  checkIdentifiers(ctx, data);
  checkMetadataKeys(ctx);
  const email = textOf(data['email']);
  if (email !== undefined && !EMAIL.test(email))
    problem(
      ctx,
      'error',
      'invalid-email',
      'email',
      `${JSON.stringify(email)} is not an email address`,
      'write it as name@domain (ada@example.com), or leave the field out',
    );
  checkCountry(ctx, data);
  checkPaymentKitPhone(ctx, data);
}

function checkCountry(ctx: RuleContext, data: CustomerData): void {
  const country = textOf(groupOf(data['address'])?.['country']);
  if (country === undefined) return;
  const raw = (rawText(ctx.raw, 'address', 'country') ?? country).trim();
  if (ALPHA2.test(country) && toAlpha2(country) === country) {
    noteConversion(ctx, 'address.country', raw, country);
    return;
  }
  const guess = countryGuess(raw);
  const alpha2 = guess === undefined ? undefined : toAlpha2(guess);
  problem(
    ctx,
    'error',
    'unknown-country',
    'address.country',
    `unknown country ${JSON.stringify(raw)}`,
    alpha2 === undefined
      ? 'use an ISO 3166 alpha-2 code such as CA or US'
      : `did you mean ${alpha2}?`,
  );
}
