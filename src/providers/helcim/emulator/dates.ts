/**
 * Helcim's timestamps: `YYYY-MM-DD HH:MM:SS`, no zone, Mountain Time (Calgary head office).
 */

/** What Helcim answers for a customer that was never updated. */
export const ZERO_DATE = '0000-00-00 00:00:00';

const mountain = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Edmonton',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

// formatToParts costs microseconds; seeding 100k customers in the same second needs one call.
let cachedSecond = Number.NaN;
let cachedText = '';

export function formatHelcimDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second === cachedSecond) return cachedText;
  const parts: Record<string, string> = {};
  for (const part of mountain.formatToParts(date)) parts[part.type] = part.value;
  const text = `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
  cachedSecond = second;
  cachedText = text;
  return text;
}
