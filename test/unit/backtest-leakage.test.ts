// No leakage and no dependence on scheduling, with real (tiny) trainings in worker threads:
// changing the data after an origin leaves that fold's forecasts byte-identical, and --jobs 1
// and --jobs 2 give the same document.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataError } from '../../src/errors.js';
import type { Dataset, Series } from '../../src/data/types.js';
import type { BacktestOptions } from '../../src/backtest/options.js';
import { planBacktest, runBacktest } from '../../src/backtest/rolling-origin.js';
import type { BacktestResult } from '../../src/backtest/rolling-origin.js';
import { buildDocument, renderDocument } from '../../src/backtest/document.js';
import { backtestTable } from '../../src/backtest/file.js';
import { renderTable } from '../../src/io/predictions.js';
import type { TrainingOptions } from '../../src/train/options.js';
import { makeDataset, makeSeries } from '../helpers/dataset.js';
import { defaults } from '../helpers/training.js';

/** Monthly, trend + season 12 + a little deterministic noise, phase-shifted per series. */
function seasonal(id: string, n: number, phase: number): Series {
  const values = Array.from({ length: n }, (_, i) => 100 + i * 0.5 + 10 * Math.sin((2 * Math.PI * (i + phase)) / 12) + ((i * 7919 + phase) % 5));
  return makeSeries({ id, values }, 'M');
}

const dataset = (series: Series[]): Dataset => makeDataset(series, { grid: 'M', source: 'synthetic.csv' });

const training: TrainingOptions = defaults({ hiddenSize: 4, horizon: 6, epochs: 3, steps: 30, lr: 0.01, seed: 7, jobs: 2 });

function options(overrides: Partial<BacktestOptions> = {}, jobs = 2): BacktestOptions {
  return { folds: 3, stride: undefined, window: undefined, refit: 'every', season: undefined, levels: [80, 95], training: { ...training, jobs }, ...overrides };
}

const hooks = { toolVersion: 'test' };

/** Fold `fold` (1-based) of every series: forecasts and bounds as exact bytes. */
function foldBytes(result: BacktestResult, fold: number): string {
  return result.cells
    .map((folds) => {
      const model = folds[fold - 1]!.methods.model;
      return [model.forecast, ...model.intervals.flatMap((band) => [band.lower, band.upper])].map((values) => Buffer.from(values.buffer).toString('hex')).join('|');
    })
    .join('\n');
}

/** A copy of the dataset with every value (target and fill marks) from `from` on replaced. */
function changedAfter(data: Dataset, from: (seriesIndex: number) => number): Dataset {
  return {
    ...data,
    series: data.series.map((series, seriesIndex) => {
      const values = series.values.slice();
      const imputed = series.imputed.slice();
      const start = from(seriesIndex);
      for (let i = start; i < values.length; i++) values[i] = values[i]! * 3 + 1000;
      if (start < imputed.length) imputed[start] = 1;
      return { ...series, values, imputed };
    }),
  };
}

describe('backtest without leakage', () => {
  const data = dataset([seasonal('a', 72, 0), seasonal('b', 84, 3)]);

  test('the plan cuts each fold at its origin and fixes one lookback for all folds', () => {
    const plan = planBacktest(data, options(), 'test');
    assert.deepEqual(plan.origins, [[54, 60, 66], [66, 72, 78]]);
    assert.equal(plan.tasks.length, 3);
    plan.tasks.forEach((task, fold) => {
      assert.deepEqual(task.train.series.map((s) => s.values.length), [plan.origins[0]![fold], plan.origins[1]![fold]]);
      assert.equal(task.options.lookback, plan.lookback);
      assert.equal(task.options.horizon, 6);
    });
    // Without --season the folds choose the baseline's season as forecast would; MASE uses the calendar's.
    assert.ok(plan.tasks.every((task) => task.seasonGiven === undefined && task.season === 12));
    const given = planBacktest(data, { ...options(), season: 6 }, 'test');
    assert.ok(given.tasks.every((task) => task.seasonGiven === 6 && task.season === 6));
    const once = planBacktest(data, options({ refit: 'once', window: 40 }), 'test');
    assert.equal(once.tasks.length, 1);
    assert.deepEqual(once.tasks[0]!.train.series.map((s) => s.values.length), [40, 40]);
    assert.deepEqual(once.tasks[0]!.predict!.map((d) => d.series.map((s) => s.values.length)), [[54, 66], [60, 72], [66, 78]]);
  });

  test('without --folds, short data gets fewer folds and a warning; with --folds it is an error', () => {
    const short = dataset([seasonal('', 28, 0)]);
    const auto = planBacktest(short, options({ folds: undefined }), 'test');
    assert.ok(auto.layout.folds === 2, String(auto.layout.folds));
    assert.match(auto.warnings[0]!, /^2 folds instead of 3: the shortest series has 28 points/);
    assert.deepEqual(planBacktest(data, options({ folds: undefined }), 'test').warnings, [], 'long enough: 3 folds, no warning');
    assert.throws(() => planBacktest(short, options({ folds: 3 }), 'test'), (error: unknown) => error instanceof DataError && /the series has 28 points/.test(error.message));
    assert.throws(() => planBacktest(dataset([seasonal('', 12, 0)]), options({ folds: undefined }), 'test'), DataError);
  });

  test("changing every value after fold 1's origin leaves fold 1's forecasts byte-identical", async () => {
    const before = await runBacktest(data, options(), hooks);
    const plan = planBacktest(data, options(), 'test');
    const changed = changedAfter(data, (seriesIndex) => plan.origins[seriesIndex]![0]!);
    const after = await runBacktest(changed, options(), hooks);
    assert.equal(foldBytes(after, 1), foldBytes(before, 1), 'fold 1 saw nothing after its origin');
    assert.notEqual(foldBytes(after, 2), foldBytes(before, 2), 'fold 2 did see the changed values (the test can tell)');
    // The baselines are cut the same way.
    assert.deepEqual(after.cells[0]![0]!.methods.drift.forecast, before.cells[0]![0]!.methods.drift.forecast);
  });

  test('known-future covariates: a fold reads those of its horizon, never its targets', async () => {
    const promo = (n: number, phase: number): number[] => Array.from({ length: n }, (_, i) => ((i + phase) % 5 === 0 ? 1 : 0));
    const withPromo = (series: Series, phase: number): Series => {
      const p = promo(series.values.length, phase);
      return { ...series, values: series.values.map((v, i) => v + 8 * p[i]!), features: [Float64Array.from(p)] };
    };
    const known = makeDataset([withPromo(seasonal('a', 72, 0), 0), withPromo(seasonal('b', 84, 3), 2)], { grid: 'M', source: 'synthetic.csv', features: ['promo'], futureFeatures: ['promo'] });
    const before = await runBacktest(known, options(), hooks);
    const plan = planBacktest(known, options(), 'test');
    const first = (seriesIndex: number): number => plan.origins[seriesIndex]![0]!;
    assert.deepEqual(Array.from(plan.tasks[0]!.train.series[0]!.future!.values[0]!), promo(72, 0).slice(first(0), first(0) + 6), 'the recorded promotions of the horizon');
    const targetsChanged = await runBacktest(changedAfter(known, first), options(), hooks);
    assert.equal(foldBytes(targetsChanged, 1), foldBytes(before, 1), 'no target after the origin reaches the fold');
    const promoChanged: Dataset = {
      ...known,
      series: known.series.map((series, seriesIndex) => {
        const column = series.features[0]!.slice();
        column[first(seriesIndex)] = 1 - column[first(seriesIndex)]!;
        return { ...series, features: [column] };
      }),
    };
    const read = await runBacktest(promoChanged, options(), hooks);
    assert.notEqual(foldBytes(read, 1), foldBytes(before, 1), "the fold's forecast reads its horizon's covariates");
  });

  test('--refit once: the single model sees nothing after the first origin', async () => {
    const once = options({ refit: 'once' });
    const before = await runBacktest(data, once, hooks);
    assert.equal(before.trainings.length, 1);
    const plan = planBacktest(data, once, 'test');
    const changed = changedAfter(data, (seriesIndex) => plan.origins[seriesIndex]![0]!);
    const after = await runBacktest(changed, once, hooks);
    assert.equal(foldBytes(after, 1), foldBytes(before, 1));
  });

  test('--jobs 1 and --jobs 2 give byte-identical files and documents', async () => {
    const one = await runBacktest(data, options({}, 1), hooks);
    const two = await runBacktest(data, options({}, 2), hooks);
    assert.equal(renderDocument(buildDocument(one, 7)), renderDocument(buildDocument(two, 7)));
    assert.equal(renderTable(backtestTable(one), 'csv'), renderTable(backtestTable(two), 'csv'));
  });

  test("a worker's typed error comes back typed (a DataError stays exit 65)", async () => {
    const negative = dataset([{ ...seasonal('a', 72, 0), values: Float64Array.from({ length: 72 }, (_, i) => i - 100) }]);
    await assert.rejects(runBacktest(negative, options({ training: { ...training, transform: 'log' } }), hooks), (error: unknown) => error instanceof DataError);
  });

  test('an abort terminates the workers and throws InterruptedError', async () => {
    const controller = new AbortController();
    // Aborted once the workers have their tasks: training 100000 epochs cannot have finished.
    const running = runBacktest(data, options({ training: { ...training, epochs: 100000 } }), { ...hooks, signal: controller.signal, onPlan: () => setImmediate(() => controller.abort()) });
    await assert.rejects(running, (error: unknown) => error instanceof Error && error.name === 'InterruptedError');
  });
});
