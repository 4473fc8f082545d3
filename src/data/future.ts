// Rows past the end of a series, and the known-future covariates (--future-features) they give.
//
// A series' data ends at its last observed target value: the rows after it are not data, whatever
// --fill says. Rows there that give the known-future covariates (a promotion calendar, holidays, a
// weather forecast — how Prophet's future frame and darts' future covariates hand them over) are
// the inputs of the forecast's steps, and the forecast starts at the first of them. Rows that give
// nothing known ahead are left out with a warning, never filled as if observed.
//
// Sizes: K future rows of a series, Ff known-future covariates.
import { DataError, where } from '../errors.js';
import type { RawSeries } from './clean.js';
import { addSteps, defaultHorizon, formatTime } from './time.js';
import { clockOf } from './zone.js';
import { seriesName } from './transform.js';
import type { Dataset, FutureRows, Series, TimeStyle } from './types.js';

export interface TailContext {
  file: string;
  style: TimeStyle;
  idColumn: string | null;
  target: string;
  /** Every feature column (Dataset.features order) and its 1-based field, for messages. */
  features: string[];
  featureFields: number[];
  /** Indices into `features` of the known-future covariates, in Dataset.futureFeatures order. */
  future: number[];
}

/** Rows after a series' data (and after its future rows) that give nothing known ahead: left out. */
export interface IgnoredRows {
  id: string;
  /** The target column whose value is empty in them. */
  target: string;
  rows: number;
  firstLine: number;
  lastLine: number;
  /** They come after future rows (the known future ran out), not right after the data. */
  afterFuture: boolean;
  /** The line and time of the row the forecast starts after (the last observed value). */
  lastDataLine: number;
  lastDataTime: number;
  /** Past-only features that hold a value in those rows: --future-features would read them. */
  filledFeatures: string[];
}

export interface TailSplit {
  /** The rows up to the last observed target, for --fill. */
  observed: RawSeries;
  future: FutureRows | null;
  ignored: IgnoredRows | null;
}

function sliceRaw(raw: RawSeries, end: number): RawSeries {
  if (end === raw.times.length) return raw;
  // Copies: a wide file's target columns share their feature arrays.
  return {
    id: raw.id,
    times: raw.times.slice(0, end),
    positions: raw.positions.slice(0, end),
    values: raw.values.slice(0, end),
    features: raw.features.map((feature) => feature.slice(0, end)),
    lines: raw.lines.slice(0, end),
  };
}

function lineSpan(first: number, last: number): string {
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}

/**
 * Cuts a sorted series at its last observed target. The rows after it, up to the last that gives a
 * known-future covariate, must be the next consecutive steps with every known-future covariate
 * given (a data error names the line and column otherwise); the rest are left out.
 */
export function splitTail(raw: RawSeries, context: TailContext): TailSplit {
  const n = raw.times.length;
  let last = n - 1;
  while (last >= 0 && Number.isNaN(raw.values[last])) last--;
  // No target value at all: --fill refuses the column, naming it.
  if (last < 0 || last === n - 1) return { observed: raw, future: null, ignored: null };
  const known = (row: number): boolean => context.future.some((f) => !Number.isNaN(raw.features[f]![row]));
  let lastKnown = n - 1;
  while (lastKnown > last && !known(lastKnown)) lastKnown--;
  let future: FutureRows | null = null;
  const label = context.idColumn === null ? '' : ` of series '${raw.id}'`;
  if (lastKnown > last) {
    for (let row = last + 1; row <= lastKnown; row++) {
      const step = row - last;
      if (raw.positions[row]! !== raw.positions[last]! + step) {
        const missing = raw.positions[row]! - raw.positions[row - 1]! - 1;
        throw new DataError(
          `${where(context.file, raw.lines[row])}: ${missing} missing timestamp${missing === 1 ? '' : 's'}${label} before this row of known-future values ` +
            `(after '${formatTime(raw.times[row - 1]!, context.style)}', line ${raw.lines[row - 1]}): the rows after the last '${context.target}' value are the forecast's steps, one row each, none skipped`,
        );
      }
      for (const f of context.future) {
        if (Number.isNaN(raw.features[f]![row])) {
          throw new DataError(
            `${where(context.file, raw.lines[row], context.featureFields[f])}: missing value in column '${context.features[f]}'${label}: a row after the last '${context.target}' value ` +
              `(line ${raw.lines[last]}) is a forecast step, and gives every --future-features column (known-future values are never filled)`,
          );
        }
      }
    }
    const rows = lastKnown - last;
    future = {
      times: raw.times.slice(last + 1, lastKnown + 1),
      values: context.future.map((f) => raw.features[f]!.slice(last + 1, lastKnown + 1)),
      lines: raw.lines.slice(last + 1, lastKnown + 1),
    };
    if (future.times.length !== rows) throw new Error('splitTail: future rows miscounted');
  }
  let ignored: IgnoredRows | null = null;
  if (lastKnown < n - 1) {
    const futureSet = new Set(context.future);
    const filledFeatures = context.features.filter((_, f) => !futureSet.has(f) && raw.features[f]!.subarray(lastKnown + 1).some((value) => !Number.isNaN(value)));
    ignored = {
      id: raw.id,
      target: context.target,
      rows: n - 1 - lastKnown,
      firstLine: raw.lines[lastKnown + 1]!,
      lastLine: raw.lines[n - 1]!,
      afterFuture: lastKnown > last,
      lastDataLine: raw.lines[last]!,
      lastDataTime: raw.times[last]!,
      filledFeatures,
    };
  }
  return { observed: sliceRaw(raw, last + 1), future, ignored };
}

/** One warning for the rows left out at the ends of the series, or none. */
export function ignoredRowsWarning(ignored: readonly IgnoredRows[], context: { file: string; style: TimeStyle; futureFeatures: string[] }): string | null {
  if (ignored.length === 0) return null;
  const { file, style, futureFeatures } = context;
  const filled = [...new Set(ignored.flatMap((item) => item.filledFeatures))];
  const hint = filled.length > 0 && futureFeatures.length === 0 ? `; --future-features ${filled.join(',')} would read their ${filled.map((name) => `'${name}'`).join(', ')} values as known-future inputs (a saved model must be trained with it)` : '';
  const first = ignored[0]!;
  if (ignored.length === 1) {
    const rows = `${first.rows} row${first.rows === 1 ? '' : 's'}`;
    const verb = first.rows === 1 ? 'has' : 'have';
    const of = first.id === '' || first.id === first.target ? '' : ` in ${seriesName(first.id)}`;
    if (first.afterFuture) {
      return `${where(file)}: ${lineSpan(first.firstLine, first.lastLine)}: ${rows}${of} after the known-future rows ${verb} no --future-features value (${futureFeatures.join(', ')}): ignored`;
    }
    return `${where(file)}: ${lineSpan(first.firstLine, first.lastLine)}: ${rows}${of} after the last '${first.target}' value (line ${first.lastDataLine}) ${verb} an empty target and nothing known ahead: ignored, not filled; the forecast starts after ${formatTime(first.lastDataTime, style)}${hint}`;
  }
  const rows = ignored.reduce((sum, item) => sum + item.rows, 0);
  return `${where(file)}: ${rows} rows at the ends of ${ignored.length} series have an empty target and nothing known ahead (first: ${seriesName(first.id)}, ${lineSpan(first.firstLine, first.lastLine)}): ignored, not filled; each of those series is forecast from after its last observed value${hint}`;
}

/** The fewest future rows of any series (0 when one has none), or null when no series has any. */
export function fewestFutureRows(dataset: Pick<Dataset, 'series'>): number | null {
  let fewest = Infinity;
  let any = false;
  for (const series of dataset.series) {
    const count = series.future?.times.length ?? 0;
    if (count > 0) any = true;
    if (count < fewest) fewest = count;
  }
  return any ? fewest : null;
}

/**
 * The horizon when --horizon is not given: the frequency's, or — with known-future covariates in the
 * file — only as far as every series' future rows reach, so the forecast never needs a value nobody gave.
 */
export function defaultHorizonFor(dataset: Pick<Dataset, 'series' | 'freq' | 'futureFeatures'>): number {
  const usual = defaultHorizon(dataset.freq);
  if (dataset.futureFeatures.length === 0) return usual;
  const fewest = fewestFutureRows(dataset);
  return fewest === null || fewest === 0 ? usual : Math.min(usual, fewest);
}

/** A note on the known future, for the run's notes: what the head reads and how far. */
export function futureNote(dataset: Dataset, horizon: number, given: boolean): string | null {
  if (dataset.futureFeatures.length === 0) return null;
  const names = dataset.futureFeatures.join(', ');
  const fewest = fewestFutureRows(dataset);
  if (fewest === null || fewest === 0) return null;
  const single = dataset.series.length === 1;
  const reach = single ? `${fewest} step${fewest === 1 ? '' : 's'}` : `at least ${fewest} steps in every series`;
  const shrunk = !given && horizon < defaultHorizon(dataset.freq) ? `; horizon ${horizon}, as far as they reach (--horizon to choose)` : '';
  return `known ahead: ${names} for ${reach} after the last '${dataset.target}' value${shrunk}`;
}

/**
 * The future rows of `series` must cover `horizon` steps: else a data error naming the file, the
 * line the forecast starts after, and the rows to add.
 */
export function futureProblem(dataset: Pick<Dataset, 'source' | 'target' | 'futureFeatures' | 'freq' | 'timeStyle'>, series: Series, horizon: number, needs: string): DataError | null {
  const names = dataset.futureFeatures;
  if (names.length === 0) return null;
  const have = series.future?.times.length ?? 0;
  if (have >= horizon) return null;
  const lastIndex = series.times.length - 1;
  const lastLine = series.lines[lastIndex] ?? 0;
  const clock = clockOf(dataset.timeStyle);
  const times = Array.from({ length: horizon }, (_, step) => addSteps(series.times[lastIndex]!, dataset.freq, step + 1, clock));
  const fmt = (time: number): string => formatTime(time, dataset.timeStyle);
  const columns = names.map((name) => `'${name}'`).join(', ');
  const of = series.id === '' ? '' : ` of series '${series.id}'`;
  const what = `${needs} ${columns} at each of the ${horizon} forecast steps (${fmt(times[0]!)} … ${fmt(times[horizon - 1]!)})`;
  if (have === 0) {
    return new DataError(
      `${where(dataset.source, lastLine > 0 ? lastLine : undefined)}: ${what}, but no row after the last '${dataset.target}' value${of} gives them: add ${horizon} row${horizon === 1 ? '' : 's'} with an empty '${dataset.target}' and ${columns} filled`,
    );
  }
  const lastFuture = series.future!.lines[have - 1]!;
  return new DataError(
    `${where(dataset.source, lastFuture)}: ${what}, but the rows after the last '${dataset.target}' value${of} give them for ${have} step${have === 1 ? '' : 's'} only (through ${fmt(series.future!.times[have - 1]!)}): add rows through ${fmt(times[horizon - 1]!)}, or forecast fewer steps (--horizon ${have}, with a model trained for it)`,
  );
}

/**
 * Every series the network forecasts needs the known-future covariates of every horizon step: the
 * first that lacks them is a data error naming the file, the line and the rows to add.
 */
export function checkFutureRows(dataset: Dataset, futureFeatures: string[], horizon: number, needs: string, which: (index: number) => boolean = () => true): void {
  if (futureFeatures.length === 0) return;
  const reading = { ...dataset, futureFeatures };
  dataset.series.forEach((series, index) => {
    if (!which(index)) return;
    const problem = futureProblem(reading, series, horizon, needs);
    if (problem !== null) throw problem;
  });
}
