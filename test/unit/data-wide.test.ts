import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, UsageError } from '../../src/errors.js';
import { forecastTable } from '../../src/forecast/table.js';
import type { SeriesForecast } from '../../src/forecast/predict.js';
import { csvFiles } from '../helpers/csv-files.js';

const { load } = csvFiles('rnncast-wide-', { fill: 'interpolate' });
const text = 'month,a,b,flag,c\n2020-01,1,10,true,100\n2020-02,2,,false,200\n2020-03,3,30,yes,300\n';

test('--target a,b: one series per column, ids = names, features shared, each column filled on its own', async () => {
  const dataset = await load(text, { target: 'b,a', features: ['flag'], fill: 'ffill' });
  assert.equal(dataset.wide, true);
  assert.deepEqual(dataset.targets, ['b', 'a']);
  assert.equal(dataset.target, 'b,a');
  assert.deepEqual(dataset.series.map((series) => series.id), ['b', 'a']);
  assert.deepEqual(Array.from(dataset.series[0]!.values), [10, 10, 30]);
  assert.deepEqual(Array.from(dataset.series[0]!.imputed), [0, 1, 0]);
  assert.deepEqual(Array.from(dataset.series[1]!.features[0]!), [1, 0, 1]);
});

test('--target all-numeric takes every numeric column but flags and features', async () => {
  const all = await load(text, { target: 'all-numeric' });
  assert.deepEqual(all.targets, ['a', 'b', 'c']);
  const withFeature = await load(text, { target: 'all-numeric', features: ['c'] });
  assert.deepEqual(withFeature.targets, ['a', 'b']);
  const one = await load('month,a,flag\n2020-01,1,true\n2020-02,2,false\n', { target: 'all-numeric' });
  assert.equal(one.wide, true, 'all-numeric asks for the wide shape even when one column is left');
});

test('wide targets: refusals name the flag and the column', async () => {
  await assert.rejects(load(text, { target: 'a,a' }), (error: unknown) => error instanceof UsageError && /--target a,a: column 'a' listed twice/.test(error.message));
  await assert.rejects(load(text, { target: 'a,b', features: ['b'] }), (error: unknown) => error instanceof UsageError && /--target: 'b' is also listed in --features/.test(error.message));
  await assert.rejects(load(text, { target: 'a,zz' }), (error: unknown) => error instanceof DataError && /no column 'zz' \(--target\)/.test(error.message));
  await assert.rejects(load('month,a,b\n2020-01,1,2\n2020-02,2,3\n'), (error: unknown) =>
    error instanceof UsageError && /or forecast them all with --target a,b \(or --target all-numeric\)/.test(error.message));
});

test('the wide forecast table has one row per time; a series without a forecast at a time leaves its cells empty', async () => {
  const dataset = await load(text, { target: 'a,b' });
  const times = (months: number[]): Float64Array => Float64Array.from(months, (month) => Date.UTC(2020, month - 1, 1));
  const forecasts: SeriesForecast[] = [
    { id: 'a', times: times([4, 5]), forecast: Float64Array.of(4, 5), intervals: [{ level: 80, lower: Float64Array.of(3, 4), upper: Float64Array.of(5, 6) }], method: 'model' },
    { id: 'b', times: times([5, 6]), forecast: Float64Array.of(50, 60), intervals: [{ level: 80, lower: Float64Array.of(40, 50), upper: Float64Array.of(60, 70) }], method: 'model' },
  ];
  const wide = forecastTable(dataset, forecasts, [80]);
  assert.deepEqual(wide.columns, ['month', 'a', 'a_lower_80', 'a_upper_80', 'b', 'b_lower_80', 'b_upper_80']);
  assert.deepEqual(wide.rows, [
    ['2020-04', 4, 3, 5, null, null, null],
    ['2020-05', 5, 4, 6, 50, 40, 60],
    ['2020-06', null, null, null, 60, 50, 70],
  ]);
  const long = forecastTable(dataset, forecasts, [80], true);
  assert.deepEqual(long.columns, ['series', 'month', 'forecast', 'lower_80', 'upper_80']);
  assert.deepEqual(long.rows[2], ['b', '2020-05', 50, 40, 60]);
});
