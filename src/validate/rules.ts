/**
 * The domain rules of Helcim's customer API (see helcim-api.md), checked on a normalised
 * customer. Problems go to `out`, each at the place of its field; nothing throws.
 */
import { countryName, toAlpha3 } from '../core/countries.js';
import type { Address, AddressKind, CustomerData } from '../core/customer.js';
import { ADDRESS_KINDS } from '../core/customer.js';
import { closest } from '../core/suggest.js';
import type { Problem, RawRecord } from '../load/types.js';
import { splitPhone } from '../normalize/phone.js';
import { isProvinceCode, needsProvince, provinceCodes } from '../normalize/provinces.js';
import { countryGuess } from './country-guess.js';

/** Country spellings converted to codes, counted per file, reported once each at the end. */
export type CountryNotes = Map<
  string,
  { from: string; to: string; count: number; record: RawRecord; path: string }
>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ALPHA3 = /^[A-Z]{3}$/;

export interface RuleContext {
  /** Set before each record; the context is reused so that the loop allocates nothing. */
  record: RawRecord | undefined;
  /** The record's value before normalisation, for messages quoting what was written. */
  raw: Record<string, unknown>;
  out: Problem[];
  notes: CountryNotes;
  /** Paths that already have a schema problem: no second message for them. */
  skip: ReadonlySet<string>;
}

function problem(
  ctx: RuleContext,
  severity: Problem['severity'],
  code: string,
  path: string,
  message: string,
  hint?: string,
): void {
  if (ctx.skip.has(path) || ctx.record === undefined) return;
  const p: Problem = {
    severity,
    code,
    message: `${path}: ${message}`,
    place: ctx.record.locate(path),
    path,
  };
  if (hint !== undefined) p.hint = hint;
  ctx.out.push(p);
}

function rawText(
  raw: Record<string, unknown>,
  kind: AddressKind | undefined,
  field: string,
): string | undefined {
  const holder = kind === undefined ? raw : raw[kind];
  if (typeof holder !== 'object' || holder === null || !Object.hasOwn(holder, field))
    return undefined;
  const value: unknown = Reflect.get(holder, field);
  return typeof value === 'string' ? value : undefined;
}

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

export function checkCustomer(ctx: RuleContext, data: CustomerData): void {
  if (data.contactName === undefined && data.businessName === undefined) {
    problem(
      ctx,
      'error',
      'missing-name',
      'contactName',
      'a customer needs a contactName or a businessName',
      'fill in at least one of them',
    );
  }
  if (data.cellPhone !== undefined) {
    checkPhone(ctx, 'cellPhone', data.cellPhone, rawText(ctx.raw, undefined, 'cellPhone'), 10, 16);
  }
  for (const kind of ADDRESS_KINDS) {
    const address = data[kind];
    if (address !== undefined) checkAddress(ctx, kind, address);
  }
}

const REQUIRED = ['name', 'street1', 'postalCode'] as const;

function checkAddress(ctx: RuleContext, kind: AddressKind, a: Address): void {
  for (const field of REQUIRED) {
    if (a[field] === undefined)
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
    problem(
      ctx,
      'error',
      'missing-field',
      `${kind}.country`,
      'a province needs a country',
      'add the country code, e.g. CAN or USA',
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
    const record = ctx.record;
    if (raw.trim() !== country && record !== undefined) {
      const key = `${record.file}\n${raw.trim()}`;
      const note = ctx.notes.get(key);
      if (note === undefined)
        ctx.notes.set(key, { from: raw.trim(), to: country, count: 1, record, path });
      else note.count++;
    }
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

/** One warning per file and spelling: "Canada" read as CAN in 312 records. */
export function countryNoteProblems(notes: CountryNotes): Problem[] {
  return [...notes.values()].map((n) => ({
    severity: 'warning' as const,
    code: 'country-converted',
    message: `${n.path}: country ${JSON.stringify(n.from)} read as ${n.to}${n.count > 1 ? ` (${n.count} records in this file, first here)` : ''}`,
    place: n.record.locate(n.path),
    path: n.path,
    hint: `write ${n.to} to silence this`,
  }));
}
