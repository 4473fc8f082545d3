// The one way unit tests build a Dataset in memory: a daily or monthly grid, everything else a
// plain default that a test overrides by name.
import { makeFrequency } from '../../src/data/time.js';
import type { Dataset, Series } from '../../src/data/types.js';

const DAY = 86_400_000;

export interface SeriesSpec {
  id?: string;
  values: ArrayLike<number>;
  /** One column per feature, in Dataset.features order. */
  features?: ArrayLike<number>[];
  /** Indices invented by --fill. */
  imputed?: number[];
}

export type Grid = 'D' | 'M';

/** Point t of the grid: day t after 1970-01-01, or month t after 2000-01. */
export function gridTime(grid: Grid, t: number): number {
  return grid === 'D' ? t * DAY : Date.UTC(2000, t, 1);
}

export function makeSeries(spec: SeriesSpec, grid: Grid = 'D'): Series {
  const n = spec.values.length;
  const imputed = new Uint8Array(n);
  for (const index of spec.imputed ?? []) imputed[index] = 1;
  return {
    id: spec.id ?? '',
    times: Float64Array.from({ length: n }, (_, t) => gridTime(grid, t)),
    values: Float64Array.from(spec.values),
    features: (spec.features ?? []).map((column) => Float64Array.from(column)),
    imputed,
    // Line 1 is the header.
    lines: Uint32Array.from({ length: n }, (_, t) => t + 2),
  };
}

export interface DatasetOptions extends Partial<Pick<Dataset, 'source' | 'target' | 'features' | 'futureFeatures' | 'idColumn' | 'warnings' | 'sha256'>> {
  grid?: Grid; // 'D'
}

/** A dataset of the given series (specs are built on the dataset's grid); idColumn 'id' when there are several. */
export function makeDataset(series: (Series | SeriesSpec)[], options: DatasetOptions = {}): Dataset {
  const grid = options.grid ?? 'D';
  const built = series.map((one) => ('times' in one ? one : makeSeries(one, grid)));
  return {
    source: options.source ?? 'data.csv',
    columns: [],
    rowCount: built.reduce((sum, one) => sum + one.values.length, 0),
    timeColumn: grid === 'D' ? 'date' : 'month',
    target: options.target ?? 'y',
    features: options.features ?? [],
    futureFeatures: options.futureFeatures ?? [],
    idColumn: options.idColumn !== undefined ? options.idColumn : built.length > 1 ? 'id' : null,
    freq: grid === 'D' ? makeFrequency('day', 1) : makeFrequency('month', 1, 'start'),
    timeStyle: { kind: grid === 'D' ? 'date' : 'month', offsetMinutes: null, zulu: false, separator: 'T', seconds: false, fractionDigits: 0 },
    series: built,
    warnings: options.warnings ?? [],
    filled: { values: 0, timestamps: 0 },
    sha256: options.sha256 ?? '0'.repeat(64),
  };
}
