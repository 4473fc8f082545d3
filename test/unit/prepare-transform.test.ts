// Scalers, the log/diff transforms and their exact inversion, and forecast inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  currentStates,
  forecastInput,
  invertTarget,
  prepareTraining,
  windowActuals,
  windowBase,
  type SeriesState,
} from '../../src/data/prepare.js';
import { fitScaler } from '../../src/data/scale.js';
import { invertTransform, transformTarget, type TransformKind } from '../../src/data/transform.js';
import { DataError } from '../../src/errors.js';
import type { Dataset, Series } from '../../src/data/types.js';

const DAY = 86_400_000;

function makeSeries(id: string, values: number[], imputed: number[] = [], features: number[][] = []): Series {
  const n = values.length;
  const mask = new Uint8Array(n);
  for (const index of imputed) mask[index] = 1;
  return {
    id,
    times: Float64Array.from({ length: n }, (_, t) => t * DAY),
    values: Float64Array.from(values),
    features: features.map((column) => Float64Array.from(column)),
    imputed: mask,
    lines: Uint32Array.from({ length: n }, (_, t) => (mask[t] ? 0 : t + 2)),
  };
}

function makeDataset(series: Series[], features: string[] = []): Dataset {
  return {
    source: 'sales.csv',
    columns: [],
    rowCount: 0,
    timeColumn: 'date',
    target: 'y',
    features,
    idColumn: series.length > 1 ? 'id' : null,
    freq: { code: 'D', unit: 'day', step: 1, anchor: null },
    timeStyle: { kind: 'date', offsetMinutes: null, zulu: false, separator: 'T', seconds: false, fractionDigits: 0 },
    series,
    warnings: [],
    filled: { values: 0, timestamps: 0 },
    sha256: '',
  };
}

const wave = (n: number, level = 100): number[] =>
  Array.from({ length: n }, (_, t) => level + 20 * Math.sin((2 * Math.PI * t) / 12) + t * 0.7);

test('fitScaler: standard, minmax, none, zero spread, and only [0, end)', () => {
  const values = [2, 4, 4, 4, 5, 5, 7, 9, 1000];
  assert.deepEqual(fitScaler('standard', values, 8), { kind: 'standard', center: 5, scale: 2 });
  assert.deepEqual(fitScaler('minmax', values, 8), { kind: 'minmax', center: 2, scale: 7 });
  assert.deepEqual(fitScaler('none', values, 8), { kind: 'none', center: 0, scale: 1 });
  assert.deepEqual(fitScaler('standard', [3, 3, 3], 3), { kind: 'standard', center: 3, scale: 1 });
  assert.deepEqual(fitScaler('minmax', [0.1, 0.1, 0.1], 3), { kind: 'minmax', center: 0.1, scale: 1 });
  assert.deepEqual(JSON.parse(JSON.stringify(fitScaler('standard', values, 8))), { kind: 'standard', center: 5, scale: 2 });
});

test('log and diff round-trip exactly in float64', () => {
  const raw = wave(30);
  const series = makeSeries('', raw);
  for (const kind of ['none', 'log', 'diff'] as TransformKind[]) {
    const { values, offset } = transformTarget(series, kind, 'x.csv');
    assert.equal(values.length, raw.length - offset);
    // Invert the tail after point 9 from the raw value at 9 (what a forecast from there sees).
    const tail = Float64Array.from(values.subarray(10 - offset));
    invertTransform(tail, kind, raw[9]!);
    tail.forEach((value, i) => assert.ok(Math.abs(value - raw[10 + i]!) < 1e-9, `${kind} step ${i}`));
  }
});

test('diff inversion is the cumulative sum from the last value', () => {
  const state: SeriesState = {
    id: '',
    scalers: [{ kind: 'standard', center: 0.5, scale: 2 }],
    transform: 'diff',
    lastValue: 100,
    lastTime: 0,
    length: 10,
  };
  // Unscaled diffs: 0.5, 2.5, -1.5 → levels 100.5, 103, 101.5.
  assert.deepEqual(Array.from(invertTarget([0, 1, -1], state)), [100.5, 103, 101.5]);
  // From another base (a validation window), the same diffs.
  assert.deepEqual(Array.from(invertTarget([0, 1, -1], state, 10)), [10.5, 13, 11.5]);
  const log: SeriesState = { ...state, scalers: [{ kind: 'minmax', center: 1, scale: 2 }], transform: 'log' };
  const out = invertTarget([0, 0.5], log);
  assert.ok(Math.abs(out[0]! - Math.E) < 1e-12 && Math.abs(out[1]! - Math.E ** 2) < 1e-12);
});

test('the whole pipeline inverts validation targets back to the actuals (log and diff, scaled)', () => {
  const dataset = makeDataset([makeSeries('A', wave(60)), makeSeries('B', wave(48, 500))]);
  for (const transform of ['none', 'log', 'diff'] as TransformKind[]) {
    for (const scale of ['standard', 'minmax'] as const) {
      const horizon = 4;
      const { val, series } = prepareTraining(dataset, { lookback: 12, horizon, valSize: 0.2, scale, transform });
      assert.ok(val.count > 0);
      for (let n = 0; n < val.count; n++) {
        const s = val.seriesIndex[n]!;
        const start = val.targetStart[n]!;
        const data = dataset.series[s]!;
        const back = invertTarget(val.targets.subarray(n * horizon, (n + 1) * horizon), series[s]!, windowBase(data, transform, start));
        const actual = windowActuals(data, transform, start, horizon);
        // The targets are stored as float32: a few parts in 10^7 of the level.
        back.forEach((value, h) => assert.ok(Math.abs(value - actual[h]!) < 1e-4 * Math.abs(actual[h]!), `${transform} ${scale}`));
      }
    }
  }
});

test('log of a value <= 0 names file and line', () => {
  const series = makeSeries('', [1, 2, -3, 4]);
  assert.throws(() => transformTarget(series, 'log', 'sales.csv'), {
    name: 'DataError',
    message: 'sales.csv:4: value -3 cannot be log-transformed (--transform log needs positive values)',
  });
  // An invented point has no line: the series and time instead.
  const filled = makeSeries('A', [1, 0, 4], [1]);
  assert.throws(() => transformTarget(filled, 'log', 'sales.csv'), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.match(error.message, /^sales\.csv: series 'A' at 1970-01-02T00:00:00\.000Z \(a timestamp invented by --fill\): value 0 cannot be log-transformed/);
    return true;
  });
});

test('forecastInput: the last lookback points, transformed and scaled with the stored states', () => {
  const training = makeDataset(
    [makeSeries('A', wave(40), [], [wave(40, 5)]), makeSeries('B', wave(30, 300), [], [wave(30, 7)])],
    ['price'],
  );
  const prepared = prepareTraining(training, { lookback: 5, horizon: 3, valSize: 0.2, scale: 'standard', transform: 'diff' });
  // Forecast data in another order, with B grown by two points.
  const later = makeDataset([makeSeries('B', wave(32, 300), [], [wave(32, 7)]), makeSeries('A', wave(40), [], [wave(40, 5)])], ['price']);
  const inputs = forecastInput(later, prepared.series, 5);
  assert.equal(inputs.length, 2 * 5 * 2);
  const b = later.series[0]!;
  const [target, price] = prepared.series[1]!.scalers as [SeriesState['scalers'][0], SeriesState['scalers'][0]];
  for (let t = 0; t < 5; t++) {
    const raw = 27 + t; // the last 5 diffs of 32 points are raw indices 27..31
    const diff = b.values[raw]! - b.values[raw - 1]!;
    assert.ok(Math.abs(inputs[t * 2]! - (diff - target.center) / target.scale) < 1e-5);
    assert.ok(Math.abs(inputs[t * 2 + 1]! - (b.features[0]![raw]! - price.center) / price.scale) < 1e-5);
  }
  const states = currentStates(later, prepared.series);
  assert.deepEqual(
    states.map((s) => [s.id, s.length, s.lastValue]),
    [
      ['B', 32, b.values[31]],
      ['A', 40, later.series[1]!.values[39]],
    ],
  );
  assert.equal(states[0]!.scalers, prepared.series[1]!.scalers);
});

test('forecastInput: unknown series, wrong inputs, too short are data errors', () => {
  const training = makeDataset([makeSeries('A', wave(40)), makeSeries('B', wave(40))]);
  const { series } = prepareTraining(training, { lookback: 5, horizon: 3, valSize: 0, scale: 'standard', transform: 'none' });
  const unknown = makeDataset([makeSeries('A', wave(40)), makeSeries('C', wave(40))]);
  assert.throws(() => forecastInput(unknown, series, 5), {
    name: 'DataError',
    message: "sales.csv: series 'C' is not in the model (it was trained on 'A', 'B')",
  });
  const withFeature = makeDataset([makeSeries('A', wave(40), [], [wave(40)])], ['price']);
  assert.throws(() => forecastInput(withFeature, series, 5), /the model has 1 inputs per step but the data gives 2/);
  const short = makeDataset([makeSeries('A', wave(4))]);
  assert.throws(() => forecastInput(short, series, 5), {
    name: 'DataError',
    message: "sales.csv: series 'A' has 4 points; the model's lookback 5 needs at least 5",
  });
  // A bad old value does not block a forecast: only the tail is transformed.
  const logSeries = prepareTraining(makeDataset([makeSeries('A', wave(40))]), {
    lookback: 5, horizon: 3, valSize: 0, scale: 'standard', transform: 'log',
  }).series;
  const oldNegative = wave(40);
  oldNegative[0] = -1;
  assert.equal(forecastInput(makeDataset([makeSeries('A', oldNegative)]), logSeries, 5).length, 5);
});
