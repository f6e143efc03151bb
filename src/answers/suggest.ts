/**
 * "Did you mean" for unknown answers-file keys. Uses the optimal-string-alignment variant of
 * Levenshtein distance so a swap of two neighbours (`prot` for `port`) costs 1, not 2: typos
 * of that kind are common and would otherwise tie with unrelated keys (`slot`).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The closest candidate, when it is close enough to be a likely typo: within 3 edits, or a
 * clear single best within half the key's length (long keys with several typos).
 */
export function suggestKey(key: string, candidates: Iterable<string>): string | undefined {
  const normalized = key.toLowerCase().replace(/_/g, '-');
  const ranked = [...candidates]
    .map((candidate) => ({ candidate, distance: editDistance(normalized, candidate) }))
    .sort((x, y) => x.distance - y.distance);
  const [best, second] = ranked;
  if (best === undefined) return undefined;
  if (best.distance <= 3) return best.candidate;
  const clear = second === undefined || best.distance < second.distance;
  return clear && best.distance <= key.length / 2 ? best.candidate : undefined;
}
