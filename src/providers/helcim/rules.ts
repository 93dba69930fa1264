/**
 * Helcim's rules for a customer: a name, complete addresses, alpha-3 countries with a province
 * for Canada and the United States, phones Helcim accepts, e-mail addresses.
 */
import { countryName, toAlpha3 } from '../../core/countries.js';
import { groupOf, textOf, type CustomerData, type FieldGroup } from '../../core/customer.js';
import { closest } from '../../core/suggest.js';
import { noteConversion, problem, rawText, type RuleContext } from '../../validate/context.js';
import { countryGuess } from '../../validate/country-guess.js';
import { ADDRESS_KINDS, type AddressKind } from './fields.js';
import { splitPhone } from './normalize/phone.js';
import { isProvinceCode, needsProvince, provinceCodes } from './normalize/provinces.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ALPHA3 = /^[A-Z]{3}$/;

function checkPhone(
  ctx: RuleContext,
  path: string,
  digits: string,
  raw: string | undefined,
  min: number,
  max: number,
): void {
  if (digits.length < min || digits.length > max) {
    problem(
      ctx,
      'error',
      'invalid-phone',
      path,
      `${JSON.stringify(raw ?? digits)} has ${digits.length} digits; Helcim takes ${min} to ${max}`,
      'write the full number with its area code',
    );
    return;
  }
  if (raw === undefined) return;
  const ext = splitPhone(raw).extension;
  if (ext !== undefined) {
    problem(
      ctx,
      'warning',
      'phone-extension',
      path,
      `extension ${ext} dropped from ${JSON.stringify(raw)}: Helcim phone fields hold a number only`,
    );
  }
}

export function checkHelcimCustomer(ctx: RuleContext, data: CustomerData): void {
  if (data['contactName'] === undefined && data['businessName'] === undefined) {
    problem(
      ctx,
      'error',
      'missing-name',
      'contactName',
      'a customer needs a contactName or a businessName',
      'fill in at least one of them',
    );
  }
  const cellPhone = textOf(data['cellPhone']);
  if (cellPhone !== undefined) {
    checkPhone(ctx, 'cellPhone', cellPhone, rawText(ctx.raw, undefined, 'cellPhone'), 10, 16);
  }
  for (const kind of ADDRESS_KINDS) {
    const address = groupOf(data[kind]);
    if (address !== undefined) checkAddress(ctx, kind, address);
  }
}

const REQUIRED = ['name', 'street1', 'postalCode'] as const;

function checkAddress(ctx: RuleContext, kind: AddressKind, group: FieldGroup): void {
  const a = {
    country: textOf(group['country']),
    province: textOf(group['province']),
    phone: textOf(group['phone']),
    email: textOf(group['email']),
  };
  for (const field of REQUIRED) {
    if (group[field] === undefined)
      problem(ctx, 'error', 'missing-field', `${kind}.${field}`, `an address needs a ${field}`);
  }
  const country = a.country;
  if (country !== undefined) checkCountry(ctx, kind, country);
  const known = country !== undefined && ALPHA3.test(country);
  if (known && needsProvince(country)) {
    const name = country === 'CAN' ? 'Canada' : 'the United States';
    if (a.province === undefined) {
      problem(
        ctx,
        'error',
        'missing-field',
        `${kind}.province`,
        `a province or state is required with country ${country} (${name})`,
      );
    } else if (!isProvinceCode(country, a.province)) {
      const guess = closest(a.province, provinceCodes(country));
      problem(
        ctx,
        'error',
        'invalid-province',
        `${kind}.province`,
        `${JSON.stringify(a.province)} is not a province or state code of ${name}`,
        guess === undefined ? undefined : `did you mean ${guess}?`,
      );
    }
  } else if (a.province !== undefined && country === undefined) {
    // Placed at the province: the country has no cell or line to point at, the province has.
    problem(
      ctx,
      'error',
      'missing-field',
      `${kind}.province`,
      `${JSON.stringify(a.province)} needs a country`,
      `add ${kind}.country (CAN or USA), or remove the province`,
    );
  }
  if (a.phone !== undefined)
    checkPhone(ctx, `${kind}.phone`, a.phone, rawText(ctx.raw, kind, 'phone'), 10, 15);
  if (a.email !== undefined && !EMAIL.test(a.email)) {
    problem(
      ctx,
      'error',
      'invalid-email',
      `${kind}.email`,
      `${JSON.stringify(a.email)} is not an email address`,
    );
  }
}

function checkCountry(ctx: RuleContext, kind: AddressKind, country: string): void {
  const path = `${kind}.country`;
  const raw = rawText(ctx.raw, kind, 'country') ?? country;
  if (ALPHA3.test(country) && toAlpha3(country) === country) {
    noteConversion(ctx, path, raw.trim(), country);
    return;
  }
  const guess = countryGuess(raw);
  problem(
    ctx,
    'error',
    'unknown-country',
    path,
    `unknown country ${JSON.stringify(raw)}`,
    guess === undefined
      ? 'use an ISO 3166 alpha-3 code such as CAN or USA'
      : `did you mean ${guess} (${countryName(guess) ?? guess})?`,
  );
}
