// Rows past the end of the data (src/data/future.ts): the known-future covariates of the forecast
// steps (--future-features), or rows left out with a warning — never filled as if observed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, UsageError } from '../../src/errors.js';
import { checkFutureRows, defaultHorizonFor, futureNote } from '../../src/data/future.js';
import { formatTime } from '../../src/data/time.js';
import type { Dataset } from '../../src/data/types.js';
import { csvFiles } from '../helpers/csv-files.js';
import { datasetBefore } from '../../src/backtest/slice.js';
import { forecastTimes } from '../../src/forecast/predict.js';

const { load, rejects } = csvFiles('rnncast-future-', { fill: 'interpolate' });

const day = (dataset: Dataset, time: number): string => formatTime(time, dataset.timeStyle);
const days = (dataset: Dataset, times: ArrayLike<number>): string[] => Array.from(times, (time) => day(dataset, time));

// Five days of sales, then three days whose promotions are planned: the forecast's inputs.
const SALES = [
  'date,sales,promo,price',
  '2024-01-01,10,0,5', '2024-01-02,12,1,5', '2024-01-03,,0,5', '2024-01-04,11,0,5', '2024-01-05,13,1,6',
  '2024-01-06,,1,', '2024-01-07,,0,', '2024-01-08,,1,',
].join('\n');

test('rows past the last target value that give the known-future covariates are the forecast steps\' inputs', async () => {
  const dataset = await load(SALES, { target: 'sales', features: ['price'], futureFeatures: ['promo'] });
  assert.deepEqual(dataset.features, ['price', 'promo'], '--future-features implies --features, after the features given');
  assert.deepEqual(dataset.futureFeatures, ['promo']);
  const series = dataset.series[0]!;
  assert.deepEqual(days(dataset, series.times), ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'], 'the data ends at the last sale');
  assert.deepEqual(Array.from(series.values), [10, 12, 11.5, 11, 13], 'a gap inside the data is filled as before');
  assert.deepEqual(Array.from(series.features[1]!), [0, 1, 0, 0, 1], 'promo is a feature of the past too');
  const future = series.future!;
  assert.deepEqual(days(dataset, future.times), ['2024-01-06', '2024-01-07', '2024-01-08']);
  assert.deepEqual(future.values.map((column) => Array.from(column)), [[1, 0, 1]]);
  assert.deepEqual(Array.from(future.lines), [7, 8, 9]);
  // Only the value inside the data counts as filled; the rows past it are not missing values.
  assert.deepEqual(dataset.filled, { values: 1, timestamps: 0 });
  assert.deepEqual(dataset.warnings, ['filled 1 missing value by linear interpolation (--fill interpolate)']);
  // The forecast starts at the first future row and keeps its times; the default horizon reaches as far as they do.
  assert.deepEqual(days(dataset, forecastTimes(series, dataset, 5)), ['2024-01-06', '2024-01-07', '2024-01-08', '2024-01-09', '2024-01-10']);
  assert.equal(defaultHorizonFor(dataset), 3);
  assert.equal(futureNote(dataset, 3, false), "known ahead: promo for 3 steps after the last 'sales' value; horizon 3, as far as they reach (--horizon to choose)");
  checkFutureRows(dataset, ['promo'], 3, 'the model reads');
  assert.throws(() => checkFutureRows(dataset, ['promo'], 5, 'the model reads'), (error: unknown) => error instanceof DataError &&
    error.message === `${dataset.source}:9: the model reads 'promo' at each of the 5 forecast steps (2024-01-06 … 2024-01-10), but the rows after the last 'sales' value give them for 3 steps only (through 2024-01-08): add rows through 2024-01-10, or forecast fewer steps (--horizon 3, with a model trained for it)`);
});

test('rows past the data with nothing known ahead: a warning, never filled; the forecast starts after the last value', async () => {
  const dataset = await load(SALES, { target: 'sales', features: ['promo', 'price'] });
  const series = dataset.series[0]!;
  assert.equal(series.values.length, 5);
  assert.equal(series.future, undefined);
  assert.deepEqual(dataset.warnings, [
    'filled 1 missing value by linear interpolation (--fill interpolate)',
    `${dataset.source}: lines 7–9: 3 rows after the last 'sales' value (line 6) have an empty target and nothing known ahead: ignored, not filled; the forecast starts after 2024-01-05; --future-features promo would read their 'promo' values as known-future inputs (a saved model must be trained with it)`,
  ]);
  assert.deepEqual(days(dataset, forecastTimes(series, dataset, 2)), ['2024-01-06', '2024-01-07']);
  assert.equal(defaultHorizonFor(dataset), 14, 'no known-future covariates: the frequency\'s horizon');
  // Also under --fill error: rows past the data are not missing values.
  await rejects(SALES, { target: 'sales', features: ['promo'], fill: 'error' }, DataError, "^@:4:2: missing value in column 'sales' \\(--fill error");
  const clean = await load('date,y\n2024-01-01,1\n2024-01-02,2\n2024-01-03,\n', { fill: 'error' });
  assert.deepEqual(Array.from(clean.series[0]!.values), [1, 2]);
  // --future-features named, but the rows give none of them: the same warning, without the hint.
  const none = await load('date,y,promo\n2024-01-01,1,0\n2024-01-02,2,1\n2024-01-03,,\n', { target: 'y', futureFeatures: ['promo'] });
  assert.equal(none.series[0]!.future, undefined);
  assert.match(none.warnings[0]!, /line 4: 1 row after the last 'y' value \(line 3\) has an empty target and nothing known ahead: ignored, not filled; the forecast starts after 2024-01-02$/);
  assert.throws(() => checkFutureRows(none, ['promo'], 2, 'the model reads'), (error: unknown) => error instanceof DataError &&
    error.message === `${none.source}:3: the model reads 'promo' at each of the 2 forecast steps (2024-01-03 … 2024-01-04), but no row after the last 'y' value gives them: add 2 rows with an empty 'y' and 'promo' filled`);
});

test('rows after the known future that give nothing are left out; a future row lacking a covariate or a step is refused', async () => {
  const head = 'date,y,promo,holiday\n2024-01-01,1,0,0\n2024-01-02,2,1,0\n';
  const extra = await load(`${head}2024-01-03,,1,0\n2024-01-04,,0,1\n2024-01-05,,,\n`, { target: 'y', futureFeatures: ['promo', 'holiday'] });
  assert.deepEqual(extra.series[0]!.future!.values.map((column) => Array.from(column)), [[1, 0], [0, 1]]);
  assert.deepEqual(extra.warnings, [`${extra.source}: line 6: 1 row after the known-future rows has no --future-features value (promo, holiday): ignored`]);
  await rejects(`${head}2024-01-03,,1,\n2024-01-04,,0,1\n`, { target: 'y', futureFeatures: ['promo', 'holiday'] }, DataError,
    "^@:4:4: missing value in column 'holiday': a row after the last 'y' value \\(line 3\\) is a forecast step, and gives every --future-features column \\(known-future values are never filled\\)$");
  // An empty row between the data and a known one is a forecast step without its inputs.
  await rejects(`${head}2024-01-03,,,\n2024-01-04,,1,0\n`, { target: 'y', futureFeatures: ['promo', 'holiday'] }, DataError, "^@:4:3: missing value in column 'promo'");
  await rejects(`${head}2024-01-03,,1,0\n2024-01-05,,1,0\n`, { target: 'y', futureFeatures: ['promo', 'holiday'] }, DataError,
    "^@:5: 1 missing timestamp before this row of known-future values \\(after '2024-01-03', line 4\\): the rows after the last 'y' value are the forecast's steps, one row each, none skipped$");
  await rejects(head, { target: 'y', futureFeatures: ['nope'] }, DataError, "--future-features");
  await rejects(head, { target: 'promo', futureFeatures: ['promo'] }, UsageError, "'promo' is also listed");
  await rejects(head, { target: 'y', futureFeatures: ['promo', 'promo'] }, UsageError, '--future-features: a column is listed twice');
});

test('panels and wide files: each series has its own end and its own future rows', async () => {
  const long = await load([
    'date,store,sales,promo',
    '2024-01-01,a,1,0', '2024-01-01,b,5,1', '2024-01-02,a,2,1', '2024-01-02,b,6,0',
    '2024-01-03,a,,1', '2024-01-03,b,7,0', '2024-01-04,a,,0', '2024-01-04,b,,1', '2024-01-05,b,,1',
  ].join('\n'), { id: 'store', target: 'sales', futureFeatures: ['promo'] });
  const [a, b] = long.series;
  assert.deepEqual([a!.values.length, b!.values.length], [2, 3]);
  assert.deepEqual(days(long, a!.future!.times), ['2024-01-03', '2024-01-04']);
  assert.deepEqual(days(long, b!.future!.times), ['2024-01-04', '2024-01-05']);
  assert.equal(defaultHorizonFor(long), 2, 'as far as every series\' future rows reach');
  assert.equal(futureNote(long, 2, false), "known ahead: promo for at least 2 steps in every series after the last 'sales' value; horizon 2, as far as they reach (--horizon to choose)");
  const wide = await load('date,a,b,promo\n2024-01-01,1,5,0\n2024-01-02,2,6,1\n2024-01-03,,7,1\n2024-01-04,,,0\n', { target: 'a,b', futureFeatures: ['promo'] });
  assert.deepEqual(wide.series.map((series) => series.values.length), [2, 3]);
  assert.deepEqual(wide.series.map((series) => Array.from(series.future!.values[0]!)), [[1, 0], [0]]);
  assert.deepEqual(wide.series.map((series) => Array.from(series.features[0]!)), [[0, 1], [0, 1, 1]], 'the shared feature column is cut per series, not in place');
});

test('a backtest fold reads the recorded covariates of its horizon, never its targets', async () => {
  const dataset = await load(SALES, { target: 'sales', futureFeatures: ['promo'] });
  const cut = datasetBefore(dataset, [3], undefined, 4);
  const series = cut.series[0]!;
  assert.deepEqual(Array.from(series.values), [10, 12, 11.5]);
  // Points 3 and 4 from the data (promo 0, 1), then the file's own future rows (promo 1, 0).
  assert.deepEqual(days(cut, series.future!.times), ['2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07']);
  assert.deepEqual(Array.from(series.future!.values[0]!), [0, 1, 1, 0]);
  assert.deepEqual(Object.keys(series.future!).sort(), ['lines', 'times', 'values'], 'no target goes along');
  assert.equal(datasetBefore(dataset, [3]).series[0]!.future, undefined, 'no horizon asked: none');
});
