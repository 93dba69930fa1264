/**
 * Payment Kit's rules for a customer: what its API refuses with a 400 (an e-mail that is not
 * one, a country that is not alpha-2), found before any call.
 */
import { toAlpha2 } from '../../core/countries.js';
import { groupOf, textOf, type CustomerData } from '../../core/customer.js';
import { noteConversion, problem, rawText, type RuleContext } from '../../validate/context.js';
import { countryGuess } from '../../validate/country-guess.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ALPHA2 = /^[A-Z]{2}$/;

export function checkPaymentKitCustomer(ctx: RuleContext, data: CustomerData): void {
  const email = textOf(data['email']);
  if (email !== undefined && !EMAIL.test(email))
    problem(
      ctx,
      'error',
      'invalid-email',
      'email',
      `${JSON.stringify(email)} is not an email address`,
    );
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
