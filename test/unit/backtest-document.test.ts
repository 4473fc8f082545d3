// The metrics document, the backtest file, the summary table's marks and the gate, from
// hand-made fold results whose means can be checked by hand.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Dataset, Series } from '../../src/data/types.js';
import type { MetricSet } from '../../src/metrics/index.js';
import { buildDocument } from '../../src/backtest/document.js';
import { backtestTable } from '../../src/backtest/file.js';
import { decideGate } from '../../src/backtest/gate.js';
import { bestMethods, summaryTable } from '../../src/report/backtest-table.js';
import type { BacktestResult, FoldCell, Method } from '../../src/backtest/rolling-origin.js';
import { makeDataset, makeSeries } from '../helpers/dataset.js';

const series = (id: string, n: number): Series => makeSeries({ id, values: Array.from({ length: n }, (_, i) => i + 1) }, 'M');
const dataset = (all: Series[], idColumn: string | null): Dataset => makeDataset(all, { grid: 'M', idColumn, source: 't.csv' });

function set(mase: number | null, extra: Partial<Record<string, number | null>> = {}): MetricSet {
  return { mae: mase === null ? null : mase * 10, rmse: mase === null ? null : mase * 11, mape: 5, smape: mase === null ? null : mase * 2, mase, coverage_80: 0.8, width_80: 4, mape_skipped: 1, ...extra } as MetricSet;
}

/** model MASE per (series, fold) given; baselines fixed: naive 2, seasonal naive 1, drift 3. */
function cell(fold: number, origin: number, modelMase: number | null, data: Series): FoldCell {
  const methods = {} as FoldCell['methods'];
  const values: Record<Method, number | null> = { model: modelMase, naive: 2, seasonal_naive: 1, drift: 3 };
  for (const method of Object.keys(values) as Method[]) {
    methods[method] = { forecast: Float64Array.of(10, 20), intervals: [{ level: 80, lower: Float64Array.of(9, 18), upper: Float64Array.of(11, 22) }], metrics: set(values[method]!) };
  }
  const mask = Uint8Array.of(1, 0);
  return { fold, origin, actual: data.values.slice(origin, origin + 2), mask, times: data.times.slice(origin, origin + 2), methods, chosen: 'model' };
}

function result(modelMase: (number | null)[][], idColumn: string | null = 'shop'): BacktestResult {
  const all = modelMase.map((_, index) => series(index === 0 ? 'A' : 'B', 10 + index * 2));
  return {
    dataset: dataset(all, idColumn),
    layout: { folds: 2, stride: 2, horizon: 2 },
    lookback: 3,
    season: 12,
    window: null,
    refit: 'every',
    levels: [80],
    cells: modelMase.map((folds, s) => folds.map((mase, fold) => cell(fold + 1, all[s]!.values.length - 4 + 2 * fold, mase, all[s]!))),
    trainings: [1, 2].map((fold) => ({ fold, summary: { epochs: 5, bestEpoch: 4, steps: 50, stoppedBy: 'max-epochs' as const, lookback: 3, horizon: 2, transform: 'diff' }, seconds: 1.5 })),
  };
}

describe('the metrics document', () => {
  // Series A folds: 1, 3 → mean 2; series B folds: 0.5, null → mean 0.5 (nulls are skipped); overall (2 + 0.5)/2.
  const doc = buildDocument(result([[1, 3], [0.5, null]]), 42);

  test('keys in PRODUCT.md order: overall, series, folds, then the extras', () => {
    assert.deepEqual(Object.keys(doc), ['overall', 'series', 'folds', 'm4', 'settings', 'training', 'chosen']);
    assert.deepEqual(Object.keys(doc.overall), ['model', 'naive', 'seasonal_naive', 'drift']);
    assert.deepEqual(Object.keys(doc.overall.model), ['mae', 'rmse', 'mape', 'smape', 'mase', 'coverage_80', 'width_80', 'mape_skipped']);
    assert.deepEqual(Object.keys(doc.series[0]!), ['id', 'model', 'naive', 'seasonal_naive', 'drift', 'folds']);
    assert.deepEqual(Object.keys(doc.series[0]!.folds[0]!), ['fold', 'origin', 'model', 'naive', 'seasonal_naive', 'drift']);
    assert.deepEqual(Object.keys(doc.folds[0]!), ['fold', 'origin', 'origins', 'model', 'naive', 'seasonal_naive', 'drift'], 'origins: the series end at different times');
  });

  test('overall is the mean over series of each series mean over folds', () => {
    assert.equal(doc.series[0]!.model!.mase, 2);
    assert.equal(doc.series[1]!.model!.mase, 0.5);
    assert.equal(doc.overall.model.mase, 1.25);
    assert.equal(doc.overall.seasonal_naive.mase, 1);
    // mape_skipped is a count: summed over the 4 forecasts, not averaged.
    assert.equal(doc.overall.model.mape_skipped, 4);
  });

  test('folds average over series; different series ends give per-series origins', () => {
    assert.equal(doc.folds[0]!.model!.mase, 0.75);
    assert.equal(doc.folds[1]!.model!.mase, 3);
    // A has 10 points (origins 6, 8), B 12 (origins 8, 10): the origin is the last time seen.
    assert.equal(doc.folds[0]!.origin, null);
    assert.deepEqual(doc.folds[0]!.origins, [{ id: 'A', origin: '2000-06' }, { id: 'B', origin: '2000-08' }]);
    assert.equal(doc.series[0]!.folds[1]!.origin, '2000-08');
  });

  test('M4-style means pool every forecast; OWA is relative to seasonal naive', () => {
    // Pooled model MASE: (1 + 3 + 0.5) / 3; sMAPE is 2·MASE here, so OWA = MASE / 1.
    assert.equal(doc.m4.model.mase, Number((4.5 / 3).toPrecision(10)));
    assert.equal(doc.m4.model.owa, Number((4.5 / 3).toPrecision(10)));
    assert.equal(doc.m4.seasonal_naive.owa, 1);
  });

  test('settings and training outcomes, without timings', () => {
    assert.deepEqual(doc.settings, { folds: 2, stride: 2, horizon: 2, lookback: 3, season: 12, window: null, refit: 'every', levels: [80], seed: 42, series: 2 });
    assert.deepEqual(doc.training[0], { fold: 1, epochs: 5, bestEpoch: 4, steps: 50, stoppedBy: 'max-epochs', transform: 'diff' });
    assert.deepEqual(doc.chosen, { model: 4, naive: 0, seasonal_naive: 0, drift: 0 });
    assert.ok(!JSON.stringify(doc).includes('seconds'));
  });
});

describe('the backtest file', () => {
  test('columns [id,] fold, origin, time, step, actual, forecast, bands; invented actuals empty', () => {
    const table = backtestTable(result([[1, 3], [0.5, 1]]));
    assert.deepEqual(table.columns, ['shop', 'fold', 'origin', 'month', 'step', 'actual', 'forecast', 'lower_80', 'upper_80']);
    assert.equal(table.rows.length, 2 * 2 * 2, 'series × folds × horizon');
    assert.deepEqual(table.rows[0], ['A', 1, '2000-06', '2000-07', 1, 7, 10, 9, 11]);
    assert.deepEqual(table.rows[1], ['A', 1, '2000-06', '2000-08', 2, null, 20, 18, 22]);
    const single = backtestTable(result([[1, 3]], null));
    assert.equal(single.columns[0], 'fold');
  });
});

describe('best marks and the gate', () => {
  test('the best per metric; coverage closest to its level; widths unmarked; ties all marked', () => {
    assert.deepEqual([...bestMethods({ model: 0.9, naive: 1, seasonal_naive: 2, drift: null }, 'mase')], ['model']);
    assert.deepEqual([...bestMethods({ model: 0.7, naive: 0.85, seasonal_naive: 0.99, drift: 0.8 }, 'coverage_80')], ['drift']);
    assert.deepEqual([...bestMethods({ model: 1, naive: 2, seasonal_naive: 3, drift: 4 }, 'width_80')], []);
    assert.deepEqual([...bestMethods({ model: 1, naive: 1, seasonal_naive: 3, drift: null }, 'mae')], ['model', 'naive']);
  });

  test('the summary table marks the best with *', () => {
    const text = summaryTable(buildDocument(result([[0.5, 0.5], [0.5, 0.5]]), 1), 'title');
    const mase = text.split('\n').find((line) => line.startsWith('mase'))!;
    assert.match(mase, /^mase\s+0\.5\*\s+2\s+1\s+3\s*$/);
    assert.match(text, /mape left out 4 zero actuals/);
    assert.match(text, /the model column forecast by: the network 4 \(of 4 series × folds; --fallback\)/);
  });

  test('the model losing on the gate metric fails, naming both numbers', () => {
    const overall = buildDocument(result([[1, 3], [0.5, null]]), 1).overall; // model MASE 1.25
    const lost = decideGate(overall, 'seasonal-naive', 'mase');
    assert.equal(lost.passed, false);
    assert.equal(lost.message, 'gate failed: model MASE 1.25 is worse than seasonal naive MASE 1 (--fail-if-worse-than seasonal-naive)');
    const won = decideGate(overall, 'naive', 'mase');
    assert.equal(won.passed, true);
    assert.match(won.message, /model MASE 1.25 beats naive MASE 2/);
    assert.equal(decideGate(overall, 'drift', 'mae').passed, true);
    const gated = buildDocument(result([[1, 3], [0.5, null]]), 1, { baseline: 'seasonal-naive', metric: 'mase' });
    assert.deepEqual(gated.gate, lost, 'the document is built once, with the gate decided on its own overall');
    assert.equal(Object.keys(gated).at(-1), 'gate');
  });

  test('a tie passes; an undefined metric fails closed', () => {
    const tie = buildDocument(result([[1, 1], [1, 1]]), 1).overall;
    assert.equal(decideGate(tie, 'seasonal-naive', 'mase').passed, true);
    const none = buildDocument(result([[null, null], [null, null]]), 1).overall;
    const decision = decideGate(none, 'naive', 'mase');
    assert.equal(decision.passed, false);
    assert.match(decision.message, /cannot compare MASE \(model undefined, naive 2\)/);
  });
});
