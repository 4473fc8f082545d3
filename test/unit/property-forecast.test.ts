// Property: any valid series — any level, scale, trend, noise, frequency, one or several
// series, with any small network — gives a forecast table of horizon rows per series with finite
// forecasts and ordered bands; values too large for the arithmetic (> 1e150) are refused with a
// typed error instead. In process: loadDataset → fitModel → predictSeries → forecastTable.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadDataset } from '../../src/data/load.js';
import { DataError, DivergedError } from '../../src/errors.js';
import { forecastTable } from '../../src/forecast/table.js';
import { predictSeries } from '../../src/forecast/predict.js';
import { renderTable } from '../../src/io/predictions.js';
import { fitModel } from '../../src/train/fit.js';
import { defaults } from '../helpers/training.js';
import type { TrainingOptions } from '../../src/train/options.js';

const DAY = 86_400_000;
const pad = (n: number): string => String(n).padStart(2, '0');

/** The i-th time at a frequency, written as the contract's styles write it. */
function timeAt(freq: string, i: number): string {
  const start = Date.UTC(2001, 0, 1);
  switch (freq) {
    case 'H':
      return new Date(start + i * 3_600_000).toISOString().slice(0, 19);
    case 'D':
      return new Date(start + i * DAY).toISOString().slice(0, 10);
    case 'W':
      return new Date(start + i * 7 * DAY).toISOString().slice(0, 10);
    case 'M':
      return `${2001 + Math.floor(i / 12)}-${pad((i % 12) + 1)}`;
    case 'Q':
      return `${2001 + Math.floor(i / 4)}-${pad(((i % 4) * 3) + 1)}-01`;
    default:
      return String(1_000_000_000 + i * 900); // epoch seconds, every 15 minutes
  }
}

const seriesSpec = fc.record({
  level: fc.oneof(fc.constant(0), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(1e-6, 1e9, 1e15, 1e200, -1e200, 1e-200)),
  spread: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.constantFrom(1e12, 1e160)),
  trend: fc.double({ min: -10, max: 10, noNaN: true }),
  period: fc.integer({ min: 2, max: 12 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

const forecastCase = fc.record({
  freq: fc.constantFrom('H', 'D', 'W', 'M', 'Q', '15min'),
  series: fc.array(seriesSpec, { minLength: 1, maxLength: 3 }),
  extra: fc.integer({ min: 0, max: 40 }),
  horizon: fc.integer({ min: 1, max: 6 }),
  lookback: fc.integer({ min: 2, max: 8 }),
  cell: fc.constantFrom<TrainingOptions['cell']>('lstm', 'gru'),
  layers: fc.constantFrom(1, 2),
  bidirectional: fc.boolean(),
  scale: fc.constantFrom<TrainingOptions['scale']>('standard', 'minmax', 'none'),
  transform: fc.constantFrom<TrainingOptions['transform']>('auto', 'none', 'diff', 'log', 'log-diff'),
  ensemble: fc.constantFrom(1, 2),
  forking: fc.boolean(),
  loss: fc.constantFrom<TrainingOptions['loss']>('mse', 'mae', 'huber'),
  levels: fc.constantFrom([80, 95], [50], []),
  seed: fc.integer({ min: 0, max: 1000 }),
});

test('random valid series: horizon rows per series, finite forecasts, ordered bands', async () => {
  await fc.assert(
    fc.asyncProperty(forecastCase, async (c) => {
      // Long enough for lookback + horizon with a validation share (and the extra diff point).
      const length = 2 * (c.lookback + c.horizon) + 4 + c.extra;
      const ids = ['a', 'b', 'c'].slice(0, c.series.length);
      const lines = [c.series.length > 1 ? 'time,id,value' : 'time,value'];
      for (let i = 0; i < length; i++) {
        c.series.forEach((spec, s) => {
          let state = (spec.seed + i * 7919) % 2 ** 31;
          state = (state * 1103515245 + 12345) % 2 ** 31;
          const noise = state / 2 ** 31 - 0.5;
          let value = spec.level + spec.trend * i + spec.spread * (Math.sin((2 * Math.PI * i) / spec.period) + noise);
          if (c.transform === 'log' || c.transform === 'log-diff') value = Math.abs(value) + 1; // log needs positive values
          lines.push(c.series.length > 1 ? `${timeAt(c.freq, i)},${ids[s]},${value}` : `${timeAt(c.freq, i)},${value}`);
        });
      }
      const dataset = await loadDataset({
        input: '-',
        stdin: Readable.from([`${lines.join('\n')}\n`]),
        fill: 'interpolate',
        id: c.series.length > 1 ? 'id' : undefined,
      });
      const options: TrainingOptions = defaults({
        cell: c.cell, hiddenSize: 4, numLayers: c.layers, bidirectional: c.bidirectional,
        horizon: c.horizon, lookback: c.lookback, epochs: 2, batchSize: 8, lr: 0.01,
        loss: c.loss, patience: 5, scale: c.scale, transform: c.transform, ensemble: c.ensemble, forking: c.forking, seed: c.seed,
      });
      let fit;
      try {
        fit = await fitModel(dataset, options, { toolVersion: 'property-test' });
      } catch (error: unknown) {
        // Beyond ~1e154 the scaler's arithmetic overflows: a typed refusal, never empty cells.
        const largest = Math.max(...dataset.series.flatMap((series) => Array.from(series.values, Math.abs)));
        if (error instanceof DataError && /too large to scale/.test(error.message) && largest > 1e150) return;
        // Unscaled, huge values make a non-finite float32 loss: exit 75 is the contract's answer.
        if (error instanceof DivergedError && c.scale === 'none' && largest > 1e6) return;
        throw error;
      }
      const { forecasts } = predictSeries(fit.model, fit.networks, dataset, c.levels);
      const table = forecastTable(dataset, forecasts, c.levels);
      assert.equal(table.rows.length, c.horizon * c.series.length, 'horizon rows per series');
      const forecastColumn = table.columns.indexOf('forecast');
      for (const row of table.rows) {
        const value = row[forecastColumn];
        assert.ok(typeof value === 'number' && Number.isFinite(value), `forecast ${String(value)} in ${JSON.stringify(row)}`);
      }
      for (const series of forecasts) {
        for (const band of series.intervals) {
          for (let step = 0; step < c.horizon; step++) {
            const [lower, upper, point] = [band.lower[step]!, band.upper[step]!, series.forecast[step]!];
            // No validation window → no honest interval: NaN both ends (written empty), never half.
            if (Number.isNaN(lower) || Number.isNaN(upper)) assert.ok(Number.isNaN(lower) && Number.isNaN(upper));
            else {
              // Relative slack: the inverse transforms round at the last bits of huge levels.
              const slack = 1e-9 * Math.max(1, Math.abs(point));
              assert.ok(lower <= point + slack && point <= upper + slack, `band ${lower} ≤ ${point} ≤ ${upper}`);
            }
          }
        }
      }
      // And the file: a header and the rows, in every format.
      assert.equal(renderTable(table, 'csv').trimEnd().split('\n').length, 1 + table.rows.length);
      assert.equal(JSON.parse(renderTable(table, 'json')).length, table.rows.length);
    }),
    { numRuns: 3000 },
  );
});
