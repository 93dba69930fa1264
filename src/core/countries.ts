import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries/index.js';

// i18n-iso-countries is the maintained source of ISO 3166 codes and their names; its default
// entry registers ~80 languages at startup, so only English is registered here.
const require = createRequire(import.meta.url);
const english: unknown = require('i18n-iso-countries/langs/en.json');
if (isLocaleData(english)) countries.registerLocale(english);

function isLocaleData(value: unknown): value is countries.LocaleData {
  return typeof value === 'object' && value !== null && 'locale' in value && 'countries' in value;
}

const alpha3Codes = new Set(Object.keys(countries.getAlpha3Codes()));

/** Common spellings that are not in the ISO names. Keys are folded (see `fold`). */
const ALIASES: Record<string, string> = {
  usa: 'USA',
  us: 'USA',
  america: 'USA',
  'united states of america': 'USA',
  uk: 'GBR',
  'great britain': 'GBR',
  england: 'GBR',
  scotland: 'GBR',
  wales: 'GBR',
  'northern ireland': 'GBR',
};

const cache = new Map<string, string | undefined>();

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function isAlpha3(code: string): boolean {
  return alpha3Codes.has(code);
}

/**
 * The ISO 3166-1 alpha-3 code for a country given as alpha-3, alpha-2, numeric code or English
 * name ("Canada", "United States", "U.S.A."), or undefined when it names no known country.
 */
export function toAlpha3(input: string): string | undefined {
  const cached = cache.get(input);
  if (cached !== undefined || cache.has(input)) return cached;
  const result = lookup(input);
  if (cache.size < 10_000) cache.set(input, result);
  return result;
}

function lookup(input: string): string | undefined {
  const trimmed = input.trim();
  if (trimmed === '') return undefined;
  const upper = trimmed.toUpperCase();
  if (upper.length === 3 && alpha3Codes.has(upper)) return upper;
  if (/^[A-Z]{2}$/.test(upper) || /^\d{1,3}$/.test(upper)) {
    const code = countries.toAlpha3(/^\d+$/.test(upper) ? upper.padStart(3, '0') : upper);
    if (code !== undefined) return code;
  }
  const folded = fold(trimmed);
  const alias = ALIASES[folded];
  if (alias !== undefined) return alias;
  return countries.getAlpha3Code(trimmed, 'en') ?? nameIndex().get(folded);
}

let names: Map<string, string> | undefined;
/** Folded English names (official and alternatives) to alpha-3, built on first use. */
function nameIndex(): Map<string, string> {
  if (names !== undefined) return names;
  names = new Map();
  const all = countries.getNames('en', { select: 'all' });
  for (const [alpha2, list] of Object.entries(all)) {
    const alpha3 = countries.alpha2ToAlpha3(alpha2);
    if (alpha3 === undefined) continue;
    for (const name of list) names.set(fold(name), alpha3);
  }
  return names;
}

/** The English name of an alpha-3 code, for messages. */
export function countryName(alpha3: string): string | undefined {
  return countries.getName(alpha3, 'en');
}

/** The ISO 3166-1 alpha-2 code for any spelling `toAlpha3` reads, or undefined. */
export function toAlpha2(input: string): string | undefined {
  const alpha3 = toAlpha3(input);
  return alpha3 === undefined ? undefined : countries.alpha3ToAlpha2(alpha3);
}
