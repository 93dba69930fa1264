/**
 * Payment Kit phones in E.164 (`+16175550110`), the form its own examples store. Reading a
 * national number needs its country's calling code, national prefix and lengths (`(617) 555-0110`
 * in US, `020 7946 0958` in GB, `0 30 123456` in DE): libphonenumber-js keeps those rules for every
 * country and keeps them current, where a hand-written rule gets national formats wrong.
 *
 * Its `min` metadata is enough: converting needs calling codes, national prefixes and possible
 * lengths, which `min` holds as `max` does (the two agreed on 98,000 random national numbers of
 * every country); `max` adds the patterns of number types (mobile, fixed line) that only a
 * stricter "in service?" check would use. The rule here is the length check: a number of a
 * possible length for its country is converted, anything else is kept as written.
 *
 * The library is loaded on the first phone that needs it, not with the tool: a Helcim run never
 * pays for it. A parse costs 10-15 µs (the library builds its regular expressions on each call),
 * too much for 100,000 records, so the common spellings are decided from tables built once from
 * the same metadata: a number in E.164 form, an international one with separators
 * (`+1 617-555-0110`), a national one without a national prefix (`(617) 555-0110` in US). Tests
 * hold them to the library's own reading on random numbers of every country. Other spellings
 * (`020 7946 0958`, an extension, letters) are parsed, and remembered by (country, text).
 */
import { createRequire } from 'node:module';
import type * as Phones from 'libphonenumber-js/min';
import { normalizeText } from '../../normalize/text.js';

type Library = typeof Phones;

const require = createRequire(import.meta.url);
let library: Library | undefined;

function phones(): Library {
  if (library !== undefined) return library;
  // The CommonJS build loads synchronously (normalisation is synchronous) and faster than the ES one.
  const loaded: Library = require('libphonenumber-js/min');
  library = loaded;
  return loaded;
}

interface CallingCode {
  /** Lengths (bit n: n digits) possible in the main country and in every one without leading digits. */
  common: number;
  /** Lengths possible in any of them. */
  some: number;
  /** Countries the library tells apart by their leading digits: only a match can be one of them. */
  led: { digits: RegExp; lengths: number }[];
  /** Lengths possible in every one of `led`, and in any: most numbers are decided without them. */
  ledEvery: number;
  ledSome: number;
  /** Matches (sticky, at the national number) a national prefix the library might read off. */
  prefix: RegExp | undefined;
}

/** By calling code as a number (`44`): codes never start with 0, so the number says the digits. */
let callingCodes: (CallingCode | 'unknown' | undefined)[] | undefined;

/** What the library's numbering plans hold beyond its types; without them, no fast path. */
function planMethod(plan: object, name: string): string | undefined | 'unknown' {
  const get: unknown = Reflect.get(plan, name);
  if (typeof get !== 'function') return 'unknown';
  const value: unknown = Reflect.apply(get, plan, []);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function lengthsOf(list: readonly number[]): number {
  let mask = 0;
  for (const n of list) if (n < 31) mask |= 1 << n;
  return mask;
}

/**
 * For each calling code, what decides how the library reads a national number after it: the
 * national prefixes it may read off, and the possible lengths of the countries it may pick. It
 * picks a country by its leading digits where it has them, by number patterns otherwise, and
 * the code's main country when none fits, so those (and the main one) are all counted.
 */
function buildCallingCodes(lib: Library): (CallingCode | 'unknown' | undefined)[] {
  const byCode = new Map<number, CallingCode | 'unknown'>();
  const metadata = new lib.Metadata();
  const prefixes = new Map<number, Set<string>>();
  for (const country of lib.getCountries()) {
    const code = Number(lib.getCountryCallingCode(country));
    metadata.selectNumberingPlan(country);
    const plan = metadata.numberingPlan;
    const prefix = plan === undefined ? 'unknown' : planMethod(plan, 'nationalPrefixForParsing');
    let entry = byCode.get(code);
    if (plan === undefined || prefix === 'unknown' || entry === 'unknown') {
      byCode.set(code, 'unknown');
      continue;
    }
    entry ??= { common: -1, some: 0, led: [], ledEvery: -1, ledSome: 0, prefix: undefined };
    byCode.set(code, entry);
    const lengths = lengthsOf(plan.possibleLengths());
    const leading = plan.leadingDigits();
    if (leading === undefined || leading === '') {
      entry.common &= lengths;
      entry.some |= lengths;
    } else {
      entry.led.push({ digits: new RegExp(leading, 'y'), lengths });
      entry.ledEvery &= lengths;
      entry.ledSome |= lengths;
    }
    if (prefix !== undefined) prefixes.set(code, (prefixes.get(code) ?? new Set()).add(prefix));
  }
  const out: (CallingCode | 'unknown' | undefined)[] = [];
  for (const [code, entry] of byCode) {
    out[code] = entry;
    if (entry === 'unknown') continue;
    // The main country, the library's choice when no other fits: selected by the calling code.
    Reflect.apply(metadata.selectNumberingPlan, metadata, [String(code)]);
    const main = metadata.numberingPlan?.possibleLengths();
    if (main === undefined) {
      out[code] = 'unknown';
      continue;
    }
    entry.common &= lengthsOf(main);
    entry.some |= lengthsOf(main);
    const found = prefixes.get(code);
    if (found !== undefined) entry.prefix = new RegExp(`(?:${[...found].join('|')})`, 'y');
  }
  return out;
}

/**
 * How the library would read `text`, when that can be told without a parse: `same` for a
 * number in E.164 it reads as itself (a possible length for every country it could pick),
 * `unread` for one in E.164 form it reads as no possible number, undefined when only a parse can
 * tell. A list of numbers already in E.164 then costs next to nothing.
 */
export function e164Reading(text: string): 'same' | 'unread' | undefined {
  const length = text.length;
  // `+`, then 7 to 15 digits, the first not 0.
  if (length < 8 || length > 16 || text.charCodeAt(0) !== 0x2b || text.charCodeAt(1) === 0x30)
    return undefined;
  for (let i = 1; i < length; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
  callingCodes ??= buildCallingCodes(phones());
  // Calling codes are prefix-free (ITU E.164): the first one found is the only one.
  let code = 0;
  for (let n = 1; n <= 3; n++) {
    code = code * 10 + text.charCodeAt(n) - 0x30;
    const entry = callingCodes[code];
    if (entry === undefined) continue;
    if (entry === 'unknown') return undefined;
    if (entry.prefix !== undefined) {
      entry.prefix.lastIndex = 1 + n;
      if (entry.prefix.test(text)) return undefined;
    }
    const bit = 1 << (length - 1 - n);
    if ((entry.common & entry.ledEvery & bit) !== 0) return 'same';
    if (((entry.some | entry.ledSome) & bit) === 0) return 'unread';
    let common = entry.common;
    let some = entry.some;
    for (const led of entry.led) {
      led.digits.lastIndex = 1 + n;
      if (!led.digits.test(text)) continue;
      common &= led.lengths;
      some |= led.lengths;
    }
    if ((common & bit) !== 0) return 'same';
    return (some & bit) === 0 ? 'unread' : undefined;
  }
  return undefined;
}

/** True when `text` is in E.164 and the library reads it as itself (see `e164Reading`). */
export function isCanonicalPhone(text: string): boolean {
  return e164Reading(text) === 'same';
}

/** What the library reads in a phone, by (country, text): its E.164 form, or nothing. */
const memo = new Map<string, string | null>();
const MEMO_LIMIT = 10_000;

/**
 * The E.164 form of `text` (with ` ext. N` when it has an extension), read as a number of
 * `country` (alpha-2) unless it starts with its own country code; undefined when the library
 * does not read it as a number of a possible length. `text` must be the whole value: a number
 * inside other words is not taken out of them.
 */
export function readPhone(text: string, country: string | undefined): string | undefined {
  const key = country === undefined ? text : `${country}\n${text}`;
  const known = memo.get(key);
  if (known !== undefined) return known ?? undefined;
  const lib = phones();
  const defaultCountry =
    country !== undefined && lib.isSupportedCountry(country) ? country : undefined;
  const parsed = lib.parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  const read =
    parsed === undefined || !parsed.isPossible()
      ? undefined
      : parsed.ext === undefined
        ? parsed.number
        : `${parsed.number} ext. ${parsed.ext}`;
  // Clearing beats refusing new entries: the rules ask right after normalising the same record.
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, read ?? null);
  return read;
}

/**
 * A phone as Payment Kit's normalisation writes it: E.164 when it is read as a number (of
 * `country`, the record's alpha-2 country, or international), otherwise the text as written
 * (text rules only). Idempotent: E.164 reads as itself, and text that is not read stays as it is.
 */
export function normalizePaymentKitPhone(value: string, country: string | undefined): string {
  const text = normalizeText(value);
  if (text === '' || e164Reading(text) !== undefined) return text;
  const digits = internationalDigits(text);
  if (digits !== undefined && isCanonicalPhone(digits)) return digits;
  const national = country === undefined ? undefined : nationalPhone(text, country);
  return national ?? readPhone(text, country) ?? text;
}

interface CountryDialling {
  /** Its calling code: `1` for US. */
  code: string;
  /** Its international call prefix (`011` in US, `00` in most): a number starting so is not national. */
  idd: RegExp;
  /** Its own possible lengths: a national number no other country fits is checked against them. */
  lengths: number;
}

/** Only countries the library knows are kept: a file's unknown country names never pile up here. */
const dialling = new Map<string, CountryDialling | undefined>();

function countryDialling(country: string): CountryDialling | undefined {
  const lib = phones();
  if (!lib.isSupportedCountry(country)) return undefined;
  if (dialling.has(country)) return dialling.get(country);
  const metadata = new lib.Metadata();
  metadata.selectNumberingPlan(country);
  const plan = metadata.numberingPlan;
  const idd = plan?.IDDPrefix();
  const found =
    plan === undefined || idd === undefined || idd === ''
      ? undefined
      : {
          code: lib.getCountryCallingCode(country),
          idd: new RegExp(`^(?:${idd})`),
          lengths: lengthsOf(plan.possibleLengths()),
        };
  dialling.set(country, found);
  return found;
}

/**
 * `(617) 555-0110` in US as `+16175550110`, without a parse: a national number written as
 * digits and separators, which the library would read as the country's calling code followed by
 * those digits, unchanged. That holds when the digits neither start with the international call
 * prefix nor with the calling code (the library tries both readings), their length is possible
 * in the country, and the result is canonical (no national prefix to read off, a possible length
 * whichever country of the calling code the library picks). Undefined sends it to the library.
 */
function nationalPhone(text: string, country: string): string | undefined {
  const digits = nationalDigits(text);
  if (digits === undefined) return undefined;
  const dial = countryDialling(country);
  if (dial === undefined || digits.startsWith(dial.code) || dial.idd.test(digits)) return undefined;
  // Read nationally, a number no country is found for stays the given country's.
  if (((dial.lengths >> digits.length) & 1) === 0) return undefined;
  const e164 = `+${dial.code}${digits}`;
  return isCanonicalPhone(e164) ? e164 : undefined;
}

/** The digits of a text made of digits and separators only, starting and ending with a digit. */
function nationalDigits(text: string): string | undefined {
  if (!isDigit(text.charCodeAt(text.length - 1))) return undefined;
  const first = text.charCodeAt(0);
  // A bracketed area code, `(617) 555-0110`, is the one separator a number starts with.
  if (!isDigit(first) && first !== 0x28) return undefined;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) out += text[i];
    else if (!SEPARATORS.has(c)) return undefined;
  }
  return out;
}

/**
 * `+1 617 555-0110` as `+16175550110`: an international number written with spaces, dashes,
 * dots, slashes or brackets between its digits, as `+` and the digits. The library reads such a
 * text as it reads those digits (it drops that punctuation first), so when the digits are
 * canonical the parse is skipped; undefined for anything else (a letter, an extension).
 */
function internationalDigits(text: string): string | undefined {
  if (text.charCodeAt(0) !== 0x2b || !isDigit(text.charCodeAt(text.length - 1))) return undefined;
  let out = '+';
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) out += text[i];
    else if (!SEPARATORS.has(c)) return undefined;
  }
  return out;
}

/** Space, `(`, `)`, `-`, `.`, `/`. */
const SEPARATORS = new Set([0x20, 0x28, 0x29, 0x2d, 0x2e, 0x2f]);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const DIGITS = /\d/g;

/**
 * True when `to` only drops the punctuation and spacing of `from`: the same digits in the same
 * order, as when an international number loses its spaces. Otherwise something was read into it
 * (a country code, a national prefix dropped) that the person may want to know about.
 */
export function sameDigits(from: string, to: string): boolean {
  const a = from.match(DIGITS);
  const b = to.match(DIGITS);
  return a !== null && b !== null && a.join('') === b.join('');
}

/** Whether the library knows `country` (alpha-2), so that a national number can be read in it. */
export function isPhoneCountry(country: string): boolean {
  return phones().isSupportedCountry(country);
}
