/** "Did you mean ...?": the closest candidate by edit distance, if it is close enough to help. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  // Allow roughly one typo per three characters, so `bilingAdress` finds `billingAddress` but
  // `foo` does not find `phone`.
  const allowed = Math.max(1, Math.floor(Math.max(needle.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * The `count` candidates nearest to `input`, for a hint when no single one is close enough:
 * those that contain it first (`email` -> `billingAddress.email`), then by edit distance to the
 * whole path or to its last part, whichever is smaller: a person who types `emial` means an
 * email field, and is far from every whole path.
 */
export function nearest(input: string, candidates: readonly string[], count = 3): string[] {
  const needle = input.toLowerCase();
  const rank = (c: string): [number, number] => {
    const whole = c.toLowerCase();
    const leaf = whole.slice(whole.lastIndexOf('.') + 1);
    const distance = Math.min(editDistance(needle, whole), editDistance(needle, leaf));
    return [whole.includes(needle) ? 0 : 1, distance];
  };
  return [...candidates]
    .map((c) => ({ c, r: rank(c) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1])
    .slice(0, count)
    .map((x) => x.c);
}

/** Damerau-Levenshtein (optimal string alignment) distance. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}
