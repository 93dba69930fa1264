/**
 * Plausible addresses for generated customers: the emulator's `--seed` and the benchmarks' data
 * draw from the same lists, so both look like real Canadian and US customers.
 */
export const STREETS = [
  'Main St',
  'King St W',
  '1st Ave',
  'Elm Street',
  'Rue Sainte-Catherine',
  'Jasper Ave',
];
export const PLACES: readonly [city: string, province: string, country: string, postal: string][] =
  [
    ['Calgary', 'AB', 'CAN', 'T2P 1J9'],
    ['Toronto', 'ON', 'CAN', 'M5V 2T6'],
    ['Montréal', 'QC', 'CAN', 'H3B 1A7'],
    ['New York', 'NY', 'USA', '10001'],
    ['Austin', 'TX', 'USA', '73301'],
    ['Seattle', 'WA', 'USA', '98101'],
  ];

/** One element of a non-empty list, drawn with `rand`. */
export function pick<T>(rand: () => number, list: readonly T[]): T {
  const value = list[Math.floor(rand() * list.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}
