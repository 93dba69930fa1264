/**
 * Province and state codes for the two countries where Helcim requires one (Canada and the United
 * States), so that spreadsheets with full names ("Alberta", "New York") load as codes.
 */

const CAN: Record<string, string> = {
  AB: 'Alberta',
  BC: 'British Columbia',
  MB: 'Manitoba',
  NB: 'New Brunswick',
  NL: 'Newfoundland and Labrador',
  NS: 'Nova Scotia',
  NT: 'Northwest Territories',
  NU: 'Nunavut',
  ON: 'Ontario',
  PE: 'Prince Edward Island',
  QC: 'Quebec',
  SK: 'Saskatchewan',
  YT: 'Yukon',
};

const USA: Record<string, string> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
  AS: 'American Samoa',
  GU: 'Guam',
  MP: 'Northern Mariana Islands',
  PR: 'Puerto Rico',
  VI: 'U.S. Virgin Islands',
  AA: 'Armed Forces Americas',
  AE: 'Armed Forces Europe',
  AP: 'Armed Forces Pacific',
};

const TABLES: Record<string, Record<string, string>> = { CAN, USA };

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const byName = new Map<string, string>();
for (const [country, table] of Object.entries(TABLES)) {
  for (const [code, name] of Object.entries(table)) byName.set(`${country}:${fold(name)}`, code);
}
byName.set('CAN:quebec', 'QC');
byName.set('CAN:newfoundland', 'NL');
byName.set('CAN:yukon territory', 'YT');
byName.set('USA:washington dc', 'DC');

/** Whether Helcim requires a province with this country (alpha-3). */
export function needsProvince(country: string): boolean {
  return country === 'CAN' || country === 'USA';
}

/** The code for a province name in a country that has a table, or undefined. */
export function provinceCode(country: string, name: string): string | undefined {
  return byName.get(`${country}:${fold(name)}`);
}

const CODES = new Map(Object.entries(TABLES).map(([c, table]) => [c, new Set(Object.keys(table))]));

export function isProvinceCode(country: string, code: string): boolean {
  return CODES.get(country)?.has(code) === true;
}

export function provinceCodes(country: string): string[] {
  return Object.keys(TABLES[country] ?? {});
}
