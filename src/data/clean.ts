// Missing values and missing timestamps, per `--fill`. Every series arrives sorted with each
// point's grid position; it leaves regular (except with 'drop', see below) with every invented
// target value or timestamp marked in `imputed`.
import { DataError, where } from '../errors.js';
import { addSteps, formatTime } from './time.js';
import { clockOf } from './zone.js';
import type { FillPolicy, Frequency, Series, TimeStyle } from './types.js';

export interface RawSeries {
  id: string;
  /** (N) sorted, distinct epoch ms. */
  times: Float64Array;
  /** (N) steps from times[0] on the frequency grid. */
  positions: Float64Array;
  /** (N) NaN where missing. */
  values: Float64Array;
  /** (F)(N) NaN where missing. */
  features: Float64Array[];
  /** (N) input lines. */
  lines: Uint32Array;
}

export interface FillContext {
  file: string;
  freq: Frequency;
  style: TimeStyle;
  policy: FillPolicy;
  idColumn: string | null;
  target: string;
  targetField: number; // 1-based, for messages
  features: string[];
  featureFields: number[];
}

export interface FillCounts {
  /** Missing cells (target and features) in rows that exist. */
  values: number;
  /** Timestamps invented for gaps. */
  timestamps: number;
  /** 'drop' only: rows dropped for a missing value. */
  droppedRows: number;
  /** 'drop' only: missing timestamps left as holes. */
  leftOut: number;
}

function countNaN(array: Float64Array): number {
  let count = 0;
  for (let i = 0; i < array.length; i++) if (array[i] !== array[i]) count++;
  return count;
}

function seriesLabel(context: FillContext, id: string): string {
  return context.idColumn === null ? '' : ` in series '${id}'`;
}

/** Fills NaN in place: 'interpolate' linear in time, ends take the nearest value; 'ffill' carries forward, a leading run takes the first value; 'zero'. */
export function fillArray(values: Float64Array, times: Float64Array, policy: 'interpolate' | 'ffill' | 'zero'): void {
  const n = values.length;
  if (policy === 'zero') {
    for (let i = 0; i < n; i++) if (values[i] !== values[i]) values[i] = 0;
    return;
  }
  let previous = -1; // index of the last known value
  for (let i = 0; i < n; i++) {
    if (values[i] !== values[i]) continue;
    if (i - previous > 1) {
      const from = previous < 0 ? 0 : previous + 1;
      for (let j = from; j < i; j++) {
        if (previous < 0 || policy === 'ffill') {
          values[j] = previous < 0 ? values[i]! : values[previous]!;
        } else {
          const share = (times[j]! - times[previous]!) / (times[i]! - times[previous]!);
          values[j] = values[previous]! + share * (values[i]! - values[previous]!);
        }
      }
    }
    previous = i;
  }
  for (let j = previous + 1; j < n && previous >= 0; j++) values[j] = values[previous]!;
}

function firstProblem(raw: RawSeries, context: FillContext): DataError | null {
  const arrays = [raw.values, ...raw.features];
  const names = [context.target, ...context.features];
  const fields = [context.targetField, ...context.featureFields];
  for (let i = 0; i < raw.times.length; i++) {
    if (i > 0 && raw.positions[i]! - raw.positions[i - 1]! > 1) {
      const missing = raw.positions[i]! - raw.positions[i - 1]! - 1;
      return new DataError(
        `${where(context.file, raw.lines[i])}: ${missing} missing timestamp${missing === 1 ? '' : 's'}${seriesLabel(context, raw.id)} between ` +
          `'${formatTime(raw.times[i - 1]!, context.style)}' (line ${raw.lines[i - 1]}) and '${formatTime(raw.times[i]!, context.style)}' ` +
          `at frequency ${context.freq.code} (--fill error; use --fill interpolate, ffill, zero or drop)`,
      );
    }
    for (let k = 0; k < arrays.length; k++) {
      if (Number.isNaN(arrays[k]![i])) {
        return new DataError(
          `${where(context.file, raw.lines[i], fields[k])}: missing value in column '${names[k]}'${seriesLabel(context, raw.id)} ` +
            '(--fill error; use --fill interpolate, ffill, zero or drop)',
        );
      }
    }
  }
  return null;
}

/**
 * 'drop' removes rows with a missing target or feature value and invents no timestamps: the
 * series is then read as consecutive observations, the way dropping rows reads in a data frame,
 * and its times may have holes (future times still continue from the last one by `freq`).
 */
function dropMissing(raw: RawSeries): { series: Series; dropped: number } {
  const n = raw.times.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(raw.values[i])) continue;
    if (raw.features.some((feature) => Number.isNaN(feature[i]))) continue;
    keep.push(i);
  }
  const pick = <T extends Float64Array | Uint32Array>(array: T, make: (n: number) => T): T => {
    if (keep.length === n) return array;
    const out = make(keep.length);
    keep.forEach((from, to) => { out[to] = array[from]!; });
    return out;
  };
  return {
    series: {
      id: raw.id,
      times: pick(raw.times, (m) => new Float64Array(m)),
      values: pick(raw.values, (m) => new Float64Array(m)),
      features: raw.features.map((feature) => pick(feature, (m) => new Float64Array(m))),
      imputed: new Uint8Array(keep.length),
      lines: pick(raw.lines, (m) => new Uint32Array(m)),
    },
    dropped: n - keep.length,
  };
}

/** One series after `--fill`; counts are added to `counts`. */
export function fillSeries(raw: RawSeries, context: FillContext, counts: FillCounts): Series {
  const n = raw.times.length;
  const arrays = [raw.values, ...raw.features];
  const names = [context.target, ...context.features];
  arrays.forEach((array, k) => {
    if (countNaN(array) === n && !(context.policy === 'zero' && k > 0)) {
      throw new DataError(
        `${where(context.file, raw.lines[0])}: column '${names[k]}'${seriesLabel(context, raw.id)} has no values: all ${n} are missing`,
      );
    }
  });
  const length = n === 0 ? 0 : raw.positions[n - 1]! + 1;
  const missingCells = arrays.reduce((sum, array) => sum + countNaN(array), 0);
  if (length === n && missingCells === 0) {
    return { id: raw.id, times: raw.times, values: raw.values, features: raw.features, imputed: new Uint8Array(n), lines: raw.lines };
  }
  if (context.policy === 'error') throw firstProblem(raw, context)!;
  if (context.policy === 'drop') {
    const { series, dropped } = dropMissing(raw);
    counts.droppedRows += dropped;
    counts.leftOut += length - n;
    return series;
  }
  counts.values += missingCells;
  counts.timestamps += length - n;
  const times = new Float64Array(length); // (L) the full grid
  const values = new Float64Array(length).fill(NaN); // (L)
  const features = raw.features.map(() => new Float64Array(length).fill(NaN)); // (F)(L)
  const imputed = new Uint8Array(length).fill(1); // (L)
  const lines = new Uint32Array(length); // (L) 0 for invented timestamps
  const clock = clockOf(context.style);
  for (let j = 0; j < length; j++) times[j] = addSteps(raw.times[0]!, context.freq, j, clock);
  for (let i = 0; i < n; i++) {
    const j = raw.positions[i]!;
    times[j] = raw.times[i]!;
    values[j] = raw.values[i]!;
    imputed[j] = Number.isNaN(raw.values[i]) ? 1 : 0;
    lines[j] = raw.lines[i]!;
    raw.features.forEach((feature, k) => { features[k]![j] = feature[i]!; });
  }
  fillArray(values, times, context.policy);
  features.forEach((feature) => fillArray(feature, times, context.policy as 'interpolate' | 'ffill' | 'zero'));
  return { id: raw.id, times, values, features, imputed, lines };
}
