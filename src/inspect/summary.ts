// What `rnncast inspect` reports, as a plain JSON-able object. Plain loops, not a data frame:
// the statistics are five sums per series, and danfojs-node would cost 1-2 s just to import.
import { describeFrequency, formatTime, seasonLength } from '../data/time.js';
import type { ColumnSummary, Dataset, Frequency, Series, TimeStyle } from '../data/types.js';

export interface Seasonality {
  /** Dominant autocorrelation lag in steps (of the differenced series), or null when none stands out. */
  lag: number | null;
  /** Its autocorrelation. */
  acf: number | null;
}

export interface SeriesSummary {
  id: string;
  /** Points after filling. */
  count: number;
  /** Points whose target value came from the file. */
  observed: number;
  /** Target values invented by --fill (missing values and missing timestamps). */
  imputed: number;
  /** Timestamps invented by --fill. */
  missingTimestamps: number;
  start: string;
  end: string;
  /** Over the observed values. */
  min: number;
  mean: number;
  max: number;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  std: number;
  seasonality: Seasonality;
}

export interface InspectSummary {
  source: string;
  sha256: string;
  rows: number;
  columns: (ColumnSummary & { role: 'time' | 'target' | 'feature' | 'id' | 'unused' })[];
  timeColumn: string;
  target: string;
  features: string[];
  idColumn: string | null;
  timeFormat: TimeStyle['kind'];
  /** The pattern the times are read and written by (Luxon tokens), for recognised forms and --time-format. */
  timePattern?: string;
  /** The IANA zone whose clock the times are on (--tz, or found from offsets that change). */
  zone?: string;
  timeRange: { start: string; end: string };
  freq: Frequency & { description: string; season: number };
  gaps: { missingTimestamps: number; seriesWithGaps: number };
  missing: { values: number };
  /** --future-features: the rows past the data that give them (fewest and most over the series), and their span. Absent without the flag. */
  knownAhead?: { features: string[]; series: number; fewest: number; most: number; start: string; end: string };
  series: SeriesSummary[];
  /** The lag most series agree on, with the frequency's usual season for comparison. */
  seasonalityHint: { lag: number | null; expected: number };
  /** What `--transform auto` would choose with default training flags and why, or why it cannot train (the command fills it in). */
  transform?: { why: string | null; error: string | null };
  warnings: string[];
}

/** Autocorrelation at lags 1..maxLag of (N) values; (maxLag + 1) array, [0] = 1. */
export function autocorrelation(values: ArrayLike<number>, maxLag: number): Float64Array {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let denominator = 0;
  for (let i = 0; i < n; i++) denominator += (values[i]! - mean) ** 2;
  const acf = new Float64Array(maxLag + 1); // (maxLag + 1)
  if (denominator === 0) return acf;
  acf[0] = 1;
  for (let lag = 1; lag <= maxLag; lag++) {
    let sum = 0;
    for (let i = 0; i + lag < n; i++) sum += (values[i]! - mean) * (values[i + lag]! - mean);
    acf[lag] = sum / denominator;
  }
  return acf;
}

/** At most this many recent points go into the autocorrelation (the cost is points × lags). */
const ACF_POINTS = 20_000;

/**
 * The dominant seasonal lag: the highest local peak (lag ≥ 2) of the autocorrelation of the
 * first differences, above the 2/√n noise band. Differencing first keeps a trend from hiding it.
 */
export function dominantLag(values: ArrayLike<number>, season: number): Seasonality {
  const start = Math.max(0, values.length - ACF_POINTS);
  const diffs: number[] = [];
  for (let i = start + 1; i < values.length; i++) diffs.push(values[i]! - values[i - 1]!);
  const n = diffs.length;
  const maxLag = Math.min(Math.floor(n / 2), Math.max(2 * season + 1, 24), 1000);
  if (maxLag < 3) return { lag: null, acf: null };
  const acf = autocorrelation(diffs, maxLag);
  const band = Math.max(2 / Math.sqrt(n), 0.15); // significant, and large enough to matter
  const peaks: number[] = [];
  for (let lag = 2; lag <= maxLag; lag++) {
    const value = acf[lag]!;
    if (value > band && value > acf[lag - 1]! && (lag === maxLag || value >= acf[lag + 1]!)) peaks.push(lag);
  }
  // The first peak nearly as high as the highest: a season of 12 also peaks at 24, a little higher or lower.
  const highest = Math.max(...peaks.map((lag) => acf[lag]!));
  const best = peaks.find((lag) => acf[lag]! >= 0.8 * highest) ?? null;
  return { lag: best, acf: best === null ? null : Math.round(acf[best]! * 1000) / 1000 };
}

function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : value;
}

function summarizeSeries(series: Series, style: TimeStyle, season: number): SeriesSummary {
  const n = series.values.length;
  let observed = 0;
  let imputed = 0;
  let missingTimestamps = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (series.lines[i] === 0) missingTimestamps++;
    if (series.imputed[i]) {
      imputed++;
      continue;
    }
    const value = series.values[i]!;
    observed++;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mean = observed > 0 ? sum / observed : NaN;
  let squares = 0;
  for (let i = 0; i < n; i++) if (!series.imputed[i]) squares += (series.values[i]! - mean) ** 2;
  return {
    id: series.id, count: n, observed, imputed, missingTimestamps,
    start: n > 0 ? formatTime(series.times[0]!, style) : '',
    end: n > 0 ? formatTime(series.times[n - 1]!, style) : '',
    min: round(min), mean: round(mean), max: round(max), std: round(observed > 1 ? Math.sqrt(squares / (observed - 1)) : 0),
    seasonality: dominantLag(series.values, season),
  };
}

function knownAhead(dataset: Dataset): NonNullable<InspectSummary['knownAhead']> {
  const counts = dataset.series.map((one) => one.future?.times.length ?? 0);
  let first = Infinity;
  let last = -Infinity;
  for (const one of dataset.series) {
    const times = one.future?.times;
    if (times === undefined || times.length === 0) continue;
    first = Math.min(first, times[0]!);
    last = Math.max(last, times[times.length - 1]!);
  }
  return {
    features: dataset.futureFeatures,
    series: counts.filter((count) => count > 0).length,
    fewest: counts.reduce((a, b) => Math.min(a, b), Infinity),
    most: counts.reduce((a, b) => Math.max(a, b), 0),
    start: Number.isFinite(first) ? formatTime(first, dataset.timeStyle) : '',
    end: Number.isFinite(last) ? formatTime(last, dataset.timeStyle) : '',
  };
}

export function summarize(dataset: Dataset): InspectSummary {
  const season = seasonLength(dataset.freq);
  const series = dataset.series.map((s) => summarizeSeries(s, dataset.timeStyle, season));
  let first = Infinity;
  let last = -Infinity;
  for (const s of dataset.series) {
    if (s.times.length === 0) continue;
    first = Math.min(first, s.times[0]!);
    last = Math.max(last, s.times[s.times.length - 1]!);
  }
  const lagVotes = new Map<number, number>();
  for (const s of series) if (s.seasonality.lag !== null) lagVotes.set(s.seasonality.lag, (lagVotes.get(s.seasonality.lag) ?? 0) + 1);
  let hint: number | null = null;
  for (const [lag, votes] of lagVotes) if (hint === null || votes > lagVotes.get(hint)! || (votes === lagVotes.get(hint) && lag < hint)) hint = lag;
  const role = (name: string): InspectSummary['columns'][number]['role'] =>
    name === dataset.timeColumn ? 'time' : (dataset.targets ?? [dataset.target]).includes(name) ? 'target' : dataset.features.includes(name) ? 'feature'
      : name === dataset.idColumn ? 'id' : 'unused';
  return {
    source: dataset.source,
    sha256: dataset.sha256,
    rows: dataset.rowCount,
    columns: dataset.columns.map((column) => ({ ...column, role: role(column.name) })),
    timeColumn: dataset.timeColumn,
    target: dataset.target,
    features: dataset.features,
    idColumn: dataset.idColumn,
    timeFormat: dataset.timeStyle.kind,
    ...(dataset.timeStyle.pattern === undefined ? {} : { timePattern: dataset.timeStyle.pattern }),
    ...(dataset.timeStyle.zone ? { zone: dataset.timeStyle.zone } : {}),
    timeRange: {
      start: Number.isFinite(first) ? formatTime(first, dataset.timeStyle) : '',
      end: Number.isFinite(last) ? formatTime(last, dataset.timeStyle) : '',
    },
    freq: { ...dataset.freq, description: describeFrequency(dataset.freq), season },
    gaps: {
      missingTimestamps: dataset.filled.timestamps,
      seriesWithGaps: series.filter((s) => s.missingTimestamps > 0).length,
    },
    missing: { values: dataset.filled.values },
    ...(dataset.futureFeatures.length === 0 ? {} : { knownAhead: knownAhead(dataset) }),
    series,
    seasonalityHint: { lag: hint, expected: season },
    warnings: dataset.warnings,
  };
}
