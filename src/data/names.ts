// Column names in messages: the closest existing name to one the user mistyped.

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The name nearest to `wanted` (case-insensitive), if it is near enough to be a typo. */
export function closestName(wanted: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = levenshtein(wanted.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(wanted.length / 3)) ? best : undefined;
}

/** "no column 'pasengers' (--target); did you mean 'passengers'? columns: month, passengers" */
export function unknownColumnMessage(wanted: string, flag: string, names: readonly string[]): string {
  const closest = closestName(wanted, names);
  const hint = closest === undefined ? ';' : `; did you mean '${closest}'?`;
  return `no column '${wanted}' (${flag})${hint} columns: ${names.join(', ')}`;
}

/** How a series is named to people: the target of a single series, the column of a wide file, else '<id column> <id>'. */
export function seriesTitle(dataset: { target: string; idColumn: string | null; wide?: boolean }, id: string): string {
  if (id === '') return dataset.target;
  return dataset.wide ? id : `${dataset.idColumn} ${id}`;
}

/** The id column written for the series of a wide file in long output. */
export const WIDE_ID_COLUMN = 'series';
