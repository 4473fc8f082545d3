// End to end: known-future covariates from the file (--future-features), as a user runs them on
// datasets/store-sales.csv — two years of daily sales, then 14 rows of planned promotions and
// holidays with the sales empty.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dataset, runCli, tempDir } from '../helpers/exec.js';

const quick = ['--steps', '40', '--hidden', '8', '--no-chart'];
const sales = dataset('store-sales.csv');

const firstColumn = (csv: string): string[] => csv.trim().split('\n').slice(1).map((line) => line.split(',')[0]!);

describe('known-future covariates', () => {
  const temp = tempDir();
  const modelPath = join(temp.path, 'sales.model.json');
  const lines = readFileSync(sales, 'utf8').trimEnd().split('\n');
  // The same file without its future rows, and with only five of them.
  const observedOnly = join(temp.path, 'observed.csv');
  const fiveAhead = join(temp.path, 'five.csv');
  before(() => {
    writeFileSync(observedOnly, `${lines.slice(0, -14).join('\n')}\n`);
    writeFileSync(fiveAhead, `${lines.slice(0, -9).join('\n')}\n`);
    const result = runCli(['train', sales, '--future-features', 'promo,holiday', '-o', modelPath, ...quick, '--quiet']);
    assert.equal(result.status, 0, result.stderr);
  });
  after(() => temp.cleanup());

  test('the future rows are the horizon\'s inputs: the forecast starts at the first of them', () => {
    const result = runCli(['forecast', sales, '--future-features', 'promo,holiday', ...quick]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /known ahead: promo, holiday for 14 steps after the last 'sales' value/);
    // No warning about the trailing rows (a 40-step training may warn that it barely trained).
    assert.doesNotMatch(result.stderr, /warning: .*(empty target|known ahead)/);
    const times = firstColumn(result.stdout);
    assert.equal(times.length, 14);
    assert.equal(times[0], '2024-01-01');
    assert.equal(times[13], '2024-01-14');
  });

  test('rows with an empty target and nothing known ahead: a warning, and the forecast starts after the last value', () => {
    const result = runCli(['forecast', sales, '--target', 'sales', '--features', 'promo,holiday', ...quick]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /warning: \S+store-sales\.csv: lines 732–745: 14 rows after the last 'sales' value \(line 731\) have an empty target and nothing known ahead: ignored, not filled; the forecast starts after 2023-12-31; --future-features promo,holiday would read their 'promo', 'holiday' values as known-future inputs \(a saved model must be trained with it\)/);
    // Not filled as observed and forecast past them (2024-01-15 on): the forecast starts right after the last sale.
    assert.equal(firstColumn(result.stdout)[0], '2024-01-01');
  });

  test('the model file says what the head reads; forecast -m reads the covariates from the file', () => {
    const model = JSON.parse(readFileSync(modelPath, 'utf8'));
    // Version 5: known-future covariates (3) and windows in their own unit (data.windowScale).
    assert.equal(model.version, 5);
    assert.deepEqual(model.data.features, ['promo', 'holiday']);
    assert.deepEqual(model.data.futureFeatures, ['promo', 'holiday']);
    assert.equal(model.config.horizon, 14);
    assert.deepEqual(model.config.headInputs.slice(0, 4), ['promo@1', 'holiday@1', 'promo:change@1', 'holiday:change@1']);
    assert.equal(model.config.headInputs.length, 14 * 4);
    assert.deepEqual(model.weights['head.weight'].shape, [14, 8 + 14 * 4]);
    const result = runCli(['forecast', sales, '-m', modelPath, '--no-chart', '--quiet']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(firstColumn(result.stdout)[0], '2024-01-01');
  });

  test('forecast -m on data lacking the future rows is a data error (65) naming the file, the line and what to add', () => {
    const none = runCli(['forecast', observedOnly, '-m', modelPath, '--no-chart', '--quiet']);
    assert.equal(none.status, 65, none.stderr);
    assert.match(none.stderr, /observed\.csv:731: the model reads 'promo', 'holiday' at each of the 14 forecast steps \(2024-01-01 … 2024-01-14\), but no row after the last 'sales' value gives them: add 14 rows with an empty 'sales' and 'promo', 'holiday' filled/);
    const five = runCli(['forecast', fiveAhead, '-m', modelPath, '--no-chart', '--quiet']);
    assert.equal(five.status, 65, five.stderr);
    assert.match(five.stderr, /five\.csv:736: .* give them for 5 steps only \(through 2024-01-05\): add rows through 2024-01-14/);
    // On the fly the horizon reaches as far as the rows do; a longer --horizon is refused before training.
    const onTheFly = runCli(['forecast', fiveAhead, '--future-features', 'promo,holiday', ...quick]);
    assert.equal(onTheFly.status, 0, onTheFly.stderr);
    assert.match(onTheFly.stderr, /known ahead: promo, holiday for 5 steps after the last 'sales' value; horizon 5, as far as they reach \(--horizon to choose\)/);
    assert.equal(firstColumn(onTheFly.stdout).length, 5);
    const longer = runCli(['forecast', fiveAhead, '--future-features', 'promo,holiday', '--horizon', '7', ...quick]);
    assert.equal(longer.status, 65);
    assert.match(longer.stderr, /five\.csv:736: the forecast reads 'promo', 'holiday' at each of the 7 forecast steps/);
    assert.doesNotMatch(longer.stderr, /round/, 'refused before training');
  });

  test('a model trained with known-future covariates refuses data read without them', () => {
    const result = runCli(['forecast', sales, '-m', modelPath, '--future-features', 'promo', '--no-chart', '--quiet']);
    assert.equal(result.status, 65);
    assert.match(result.stderr, /trained with known-future features \(--future-features\) promo,holiday, but \S+ has known-future features \(--future-features\) promo$/m);
  });

  test('backtest: each fold reads the recorded covariates of its horizon; RNNCAST_FUTURE_FEATURES and --help', () => {
    const result = runCli(['backtest', sales, '--folds', '2', ...quick, '--quiet', '--json'], { env: { RNNCAST_FUTURE_FEATURES: 'promo,holiday' } });
    assert.equal(result.status, 0, result.stderr);
    const document = JSON.parse(result.stdout);
    assert.ok(Number.isFinite(document.overall.model.mae));
    const inspect = runCli(['inspect', sales, '--future-features', 'promo,holiday', '--no-chart']);
    assert.equal(inspect.status, 0, inspect.stderr);
    assert.match(inspect.stderr, /^ahead {6}promo, holiday: 14 rows after the data \(2024-01-01 … 2024-01-14\)$/m);
    const help = runCli(['forecast', '--help']);
    assert.match(help.stdout, /--future-features\s+covariates known ahead, e\.g\. promo,holiday/);
  });
});
