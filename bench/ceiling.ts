/**
 * The fastest any client could go under Helcim's limits, by simulation: an ideal client that
 * knows exactly when the server counts each call (on arrival) and sends the moment the limits
 * allow. It still lists pages one after another (a page shorter than 100 is the last, so the
 * next page is asked for only once this one is in), and writes only once the listing is done.
 */
export interface CeilingInput {
  /** Sequential calls first (the listing's pages), then `parallel` calls (the writes). */
  sequential: number;
  parallel: number;
  concurrent: number;
  perMinute: number;
  perHour: number;
  /** Time from sending a call to its answer, in seconds. */
  latency: number;
}

/** The least time, in seconds, from the first call sent to the last answer received. */
export function leastRunSeconds(input: CeilingInput): number {
  const sends: number[] = [];
  const ends: number[] = [];
  let lastEnd = 0;
  const total = input.sequential + input.parallel;
  for (let k = 0; k < total; k++) {
    // Calls go out in order; a page waits for the one before, the first write for the listing.
    let t = sends.at(-1) ?? 0;
    if (k <= input.sequential) t = Math.max(t, lastEnd);
    for (;;) {
      let next = t;
      const minuteFirst = sends[sends.length - input.perMinute];
      if (minuteFirst !== undefined) next = Math.max(next, minuteFirst + 60);
      const hourFirst = sends[sends.length - input.perHour];
      if (hourFirst !== undefined) next = Math.max(next, hourFirst + 3600);
      const busy = ends.filter((e) => e > next).sort((a, b) => a - b);
      if (busy.length >= input.concurrent) {
        next = Math.max(next, busy[busy.length - input.concurrent] ?? next);
      }
      if (next === t) break;
      t = next;
    }
    sends.push(t);
    const end = t + input.latency;
    ends.push(end);
    lastEnd = Math.max(lastEnd, end);
  }
  return lastEnd;
}
