import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { loadDataset } from '../../src/data/load.js';
import { autocorrelation, dominantLag, summarize } from '../../src/inspect/summary.js';
import { downsample, lineChart } from '../../src/report/chart.js';
import { inspect } from '../../src/cli/commands/inspect.js';
import { memoryContext } from '../helpers/context.js';

/** A monthly series with trend and a season of 12, deterministic. */
function monthlyCsv(months: number): string {
  const rows = ['month,value'];
  for (let i = 0; i < months; i++) {
    const year = 1950 + Math.floor(i / 12);
    const month = String((i % 12) + 1).padStart(2, '0');
    rows.push(`${year}-${month},${(100 + i + 20 * Math.sin((2 * Math.PI * i) / 12) + ((i * 7919) % 13) / 13).toFixed(3)}`);
  }
  return `${rows.join('\n')}\n`;
}

const fromText = (text: string) => loadDataset({ input: '-', fill: 'interpolate', stdin: Readable.from([Buffer.from(text)]) });

const context = (options: { quiet?: boolean; input?: string } = {}) => memoryContext(options);

test('autocorrelation of a pure cycle peaks at its period', () => {
  const values = Array.from({ length: 120 }, (_, i) => Math.sin((2 * Math.PI * i) / 12));
  const acf = autocorrelation(values, 24);
  assert.equal(acf[0], 1);
  assert.ok(acf[12]! > 0.8 && acf[6]! < -0.8);
  assert.equal(dominantLag(values, 12).lag, 12);
  assert.equal(dominantLag(Array.from({ length: 50 }, (_, i) => i * 2), 12).lag, null, 'a straight line has no season');
});

test('summarize: columns, range, frequency, per-series statistics and the seasonality hint', async () => {
  const summary = summarize(await fromText(monthlyCsv(96)));
  assert.equal(summary.rows, 96);
  assert.deepEqual(summary.columns.map((c) => [c.name, c.type, c.role]), [['month', 'time', 'time'], ['value', 'number', 'target']]);
  assert.deepEqual(summary.timeRange, { start: '1950-01', end: '1957-12' });
  assert.equal(summary.freq.code, 'M');
  assert.equal(summary.freq.season, 12);
  assert.deepEqual(summary.seasonalityHint, { lag: 12, expected: 12 });
  const series = summary.series[0]!;
  assert.equal(series.count, 96);
  assert.equal(series.observed, 96);
  const values = monthlyCsv(96).trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
  const mean = values.reduce((a, b) => a + b) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  assert.equal(series.min, Math.min(...values));
  assert.equal(series.max, Math.max(...values));
  assert.ok(Math.abs(series.mean - mean) < 1e-3 && Math.abs(series.std - std) < 1e-3);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(summary)));
});

test('summarize: statistics over observed values only; gaps and missing counted', async () => {
  const summary = summarize(await fromText('d,v\n2020-01-01,1\n2020-01-02,\n2020-01-04,5\n'));
  assert.deepEqual(summary.gaps, { missingTimestamps: 1, seriesWithGaps: 1 });
  assert.deepEqual(summary.missing, { values: 1 });
  assert.equal(summary.series[0]!.imputed, 2);
  assert.equal(summary.series[0]!.mean, 3);
  assert.equal(summary.warnings.length, 1);
});

test('lineChart: downsampled to the width, no colour codes unless asked, legend', () => {
  const series = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 50) * 100);
  const plain = lineChart([series], { width: 60, height: 8, color: false, labels: ['train', 'val'] });
  const lines = plain.split('\n');
  assert.equal(lines.length, 10);
  for (const line of lines.slice(0, 9)) assert.ok(line.length <= 60, `${line.length}: ${line}`);
  assert.ok(!plain.includes('\x1b['));
  assert.match(lines[9]!, /── train {3}── val/);
  assert.ok(lineChart([series], { width: 60, color: true }).includes('\x1b['));
  assert.deepEqual(downsample([1, 2, 3, 4], 2), [1.5, 3.5]);
  assert.deepEqual(downsample([NaN, 1, NaN, NaN, 3], 5), [1, 1, 1, 1, 3]);
  assert.equal(lineChart([[5, 5, 5]], { width: 40, color: false }).split('\n').length, 1, 'a constant series still draws');
});

test('inspect.run: --json on stdout, readable summary and chart on stderr, nothing when quiet', async () => {
  const text = monthlyCsv(36);
  const json = context({ input: text });
  await inspect.run({ input: '-', fill: 'interpolate', json: true, chart: true }, json.context);
  assert.equal(JSON.parse(json.out()).freq.code, 'M');
  assert.equal(json.err(), '');
  const human = context({ input: text });
  await inspect.run({ input: '-', fill: 'interpolate', json: false, chart: true }, human.context);
  assert.equal(human.out(), '');
  assert.match(human.err(), /^<stdin>: 36 rows, 2 columns/);
  assert.match(human.err(), /frequency {2}M: monthly \(month start\), season 12/);
  assert.match(human.err(), /┤/);
  const noChart = context({ input: text });
  await inspect.run({ input: '-', fill: 'interpolate', json: false, chart: false }, noChart.context);
  assert.doesNotMatch(noChart.err(), /┤/);
  const quiet = context({ input: 'd,v\n2020-01-01,1\n2020-01-02,\n2020-01-03,3\n', quiet: true });
  await inspect.run({ input: '-', fill: 'interpolate', json: false, chart: true }, quiet.context);
  assert.equal(quiet.err() + quiet.out(), '');
  const warned = context({ input: 'd,v\n2020-01-01,1\n2020-01-02,\n2020-01-03,3\n' });
  await inspect.run({ input: '-', fill: 'interpolate', json: true, chart: true }, warned.context);
  assert.match(warned.err(), /^warning: filled 1 missing value by linear interpolation/);
});
