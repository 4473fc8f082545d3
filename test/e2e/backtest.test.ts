// End to end: rnncast backtest as a user and a cron job run it — files, exit codes, the gate,
// and the same bytes for any --jobs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { dataset, runCli, runCliAndSignal, tempDir } from '../helpers/exec.js';

// Small and quick: the point here is the plumbing, not the accuracy.
const quick = ['--epochs', '3', '--hidden', '8', '--quiet'];
const air = dataset('air-passengers.csv');

describe('backtest', () => {
  const temp = tempDir();
  after(() => temp.cleanup());

  test('writes the backtest file (folds × horizon rows) and the metrics document', () => {
    const metricsPath = join(temp.path, 'metrics.json');
    const result = runCli(['backtest', air, ...quick, '--jobs', '2', '--metrics-out', metricsPath]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^rnncast backtest: done in [\d.]+ s; .*; MASE: model [\d.]+, seasonal naive [\d.]+; wrote \S+metrics\.json\n$/, 'quiet off a terminal: the summary line only');
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], 'fold,origin,month,step,actual,forecast,lower_80,upper_80,lower_95,upper_95');
    assert.equal(lines.length, 1 + 3 * 18, '3 folds × horizon 18');
    assert.match(lines[1]!, /^1,1956-06,1956-07,1,413,/);
    assert.match(lines[54]!, /^3,1959-06,1960-12,18,432,/);
    const doc = JSON.parse(readFileSync(metricsPath, 'utf8'));
    assert.deepEqual(Object.keys(doc).slice(0, 3), ['overall', 'series', 'folds']);
    for (const method of ['model', 'naive', 'seasonal_naive', 'drift']) {
      assert.deepEqual(Object.keys(doc.overall[method]), ['mae', 'rmse', 'mape', 'smape', 'mase', 'coverage_80', 'width_80', 'coverage_95', 'width_95', 'mape_skipped']);
    }
    assert.equal(doc.series.length, 1);
    assert.equal(doc.series[0].id, '');
    assert.deepEqual(doc.folds.map((fold: { fold: number; origin: string }) => [fold.fold, fold.origin]), [[1, '1956-06'], [2, '1957-12'], [3, '1959-06']]);
    assert.equal(doc.settings.horizon, 18);
    assert.equal(doc.settings.season, 12);
    // Seasonal naive on AirPassengers is a fixed, known number: the baselines need no training.
    assert.ok(doc.overall.seasonal_naive.mase > 1 && doc.overall.seasonal_naive.mase < 2.5, String(doc.overall.seasonal_naive.mase));
  });

  test('--jobs 1 and --jobs 2 give byte-identical files', () => {
    const outputs = ['1', '2'].map((jobs) => {
      const file = join(temp.path, `jobs${jobs}.csv`);
      const metrics = join(temp.path, `jobs${jobs}.json`);
      const result = runCli(['backtest', air, ...quick, '--jobs', jobs, '-o', file, '--metrics-out', metrics]);
      assert.equal(result.status, 0, result.stderr);
      return [readFileSync(file, 'utf8'), readFileSync(metrics, 'utf8')];
    });
    assert.equal(outputs[0]![0], outputs[1]![0]);
    assert.equal(outputs[0]![1], outputs[1]![1]);
  });

  test('--json prints the document on stdout; the table and chart go to stderr without it', () => {
    const json = runCli(['backtest', air, ...quick, '--json', '--folds', '2', '--level', 'none']);
    assert.equal(json.status, 0, json.stderr);
    const doc = JSON.parse(json.stdout);
    assert.deepEqual(Object.keys(doc.overall.model), ['mae', 'rmse', 'mape', 'smape', 'mase', 'mape_skipped']);
    assert.equal(doc.folds.length, 2);
    const loud = runCli(['backtest', air, '--epochs', '3', '--hidden', '8', '--folds', '1', '-o', join(temp.path, 'one.csv')]);
    assert.equal(loud.status, 0, loud.stderr);
    assert.equal(loud.stdout, '');
    assert.match(loud.stderr, /metric\s+model\s+naive\s+seasonal naive\s+drift/);
    assert.match(loud.stderr, /^mase .*\*/m);
    assert.match(loud.stderr, /actuals and the model's forecast/);
    const noChart = runCli(['backtest', air, '--epochs', '3', '--hidden', '8', '--folds', '1', '--no-chart', '-o', join(temp.path, 'one.csv')]);
    assert.doesNotMatch(noChart.stderr, /actuals and the model's forecast/);
  });

  test('a long file with --id: rows per series × fold × step, id first', () => {
    const result = runCli(['backtest', dataset('eu-stock-markets.csv'), '--id', 'index', ...quick, '--horizon', '5', '--folds', '2', '--lookback', '10', '--format', 'csv', '--level', '80']);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], 'index,fold,origin,date,step,actual,forecast,lower_80,upper_80');
    const ids = new Set(lines.slice(1).map((line) => line.split(',')[0]));
    assert.equal(lines.length - 1, ids.size * 2 * 5);
  });

  test('the gate: exit 3 after writing the outputs when the model loses; 0 when it wins', () => {
    const file = join(temp.path, 'gate.csv');
    const metrics = join(temp.path, 'gate.json');
    // One epoch of a tiny network on raw levels, without the safety net, cannot match seasonal naive on AirPassengers.
    const lost = runCli(['backtest', air, '--epochs', '1', '--hidden', '4', '--transform', 'none', '--fallback', 'none', '--quiet', '--fail-if-worse-than', 'seasonal-naive', '-o', file, '--metrics-out', metrics]);
    assert.equal(lost.status, 3, lost.stderr);
    assert.match(lost.stderr, /^rnncast: gate failed: model MASE [\d.]+ is worse than seasonal naive MASE [\d.]+ \(--fail-if-worse-than seasonal-naive\)\n$/);
    assert.ok(existsSync(file) && existsSync(metrics), 'outputs are written before the gate');
    const doc = JSON.parse(readFileSync(metrics, 'utf8'));
    assert.equal(doc.gate.passed, false);
    assert.equal(doc.gate.metric, 'mase');
  });

  test('without --folds, a short series gets fewer folds and a warning instead of an error', () => {
    const result = runCli(['backtest', dataset('us-accidental-deaths.csv'), '--epochs', '3', '--hidden', '8', '--no-chart']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^warning: 1 fold instead of 3: the shortest series has 72 points/m);
    assert.equal(result.stdout.trim().split('\n').length, 1 + 18);
  });

  test('bad flags are usage errors (exit 2); a series too short is a data error (exit 65)', () => {
    for (const flags of [['--folds', '0'], ['--stride', '-1'], ['--refit', 'sometimes'], ['--fail-if-worse-than', 'oracle'], ['--window', '1'], ['--json', '-o', '-']]) {
      const result = runCli(['backtest', air, ...quick, ...flags]);
      assert.equal(result.status, 2, `${flags.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^rnncast: /);
    }
    const short = runCli(['backtest', air, ...quick, '--folds', '8']);
    assert.equal(short.status, 65, short.stderr);
    assert.match(short.stderr, /the series has 144 points; --folds 8 of horizon 18 with --stride 18 keep the last 144/);
  });

  test('a first fold long enough that fails for another reason says that reason, not that it is short', () => {
    const lines = readFileSync(air, 'utf8').trimEnd().split('\n');
    lines[50] = `${lines[50]!.split(',')[0]},-5`;
    const file = join(temp.path, 'negative.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = runCli(['backtest', file, ...quick, '--transform', 'log']);
    assert.equal(result.status, 65, result.stderr);
    assert.equal(result.stderr, `rnncast: ${file}:51: value -5 cannot be log-transformed (--transform log needs positive values; try --transform auto, diff or seasonal-diff)\n`);
  });

  test('three folds of a year on six years of monthly data: the first fold, too short for seasonal naive, trains on naive', () => {
    const file = join(temp.path, 'six-years.csv');
    writeFileSync(file, `${readFileSync(air, 'utf8').trimEnd().split('\n').slice(0, 73).join('\n')}\n`);
    const result = runCli(['backtest', file, ...quick, '--folds', '3', '--horizon', '12', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const doc = JSON.parse(result.stdout);
    assert.equal(doc.folds.length, 3);
    assert.match(doc.training[0].transform, /corrects (naive|drift) .*too few points to train on seasonal naive \(12\)/);
  });

  test('an interrupt exits 130 and leaves an earlier output file untouched', async () => {
    const file = join(temp.path, 'keep.csv');
    writeFileSync(file, 'earlier\n');
    const result = await runCliAndSignal(['backtest', air, '--epochs', '1000000', '--steps', '100000000', '--hidden', '8', '-o', file, '--no-chart'], (stderr) => stderr.includes('backtest: 3 folds'));
    assert.equal(result.status, 130, result.stderr);
    assert.equal(readFileSync(file, 'utf8'), 'earlier\n');
  });
});
