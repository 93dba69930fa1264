/** The closest known country to a misspelt one, for "did you mean" hints. */
import countries from 'i18n-iso-countries/index.js';
import { toAlpha3 } from '../core/countries.js';
import { closest } from '../core/suggest.js';

let names: Map<string, string> | undefined;

function nameIndex(): Map<string, string> {
  if (names !== undefined) return names;
  // countries.ts registers English; the index is built only when a guess is needed.
  names = new Map();
  for (const [alpha2, list] of Object.entries(countries.getNames('en', { select: 'all' }))) {
    const alpha3 = toAlpha3(alpha2);
    if (alpha3 === undefined) continue;
    for (const name of list) names.set(name, alpha3);
  }
  return names;
}

/** The alpha-3 code of the country whose name or code is closest to `input`, if any is close. */
export function countryGuess(input: string): string | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  const index = nameIndex();
  const name = closest(text, index.keys());
  if (name !== undefined) return index.get(name);
  const codes = [...new Set(index.values())];
  return text.length === 3 ? closest(text.toUpperCase(), codes) : undefined;
}
