// End to end: train → model file → forecast, as a user and a cron job run them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dataset, runCli, runCliAndSignal, tempDir } from '../helpers/exec.js';

// Small and quick: the point here is the plumbing, not the accuracy.
const quick = ['--epochs', '4', '--hidden', '8', '--quiet'];

describe('train and forecast', () => {
  const temp = tempDir();
  const modelPath = join(temp.path, 'air.model.json');
  before(() => {
    const result = runCli(['train', dataset('air-passengers.csv'), '-o', modelPath, ...quick]);
    assert.equal(result.status, 0, result.stderr);
  });
  after(() => temp.cleanup());

  test('train writes a valid, versioned model file in the PyTorch layout', () => {
    const model = JSON.parse(readFileSync(modelPath, 'utf8'));
    assert.equal(model.format, 'rnncast-model');
    // Version 5: windows are measured in their own unit where they move more (data.windowScale);
    // a second member corrects two-season naive (it scores better in-sample here).
    assert.equal(model.version, 5);
    assert.equal(model.data.windowScale, true);
    assert.deepEqual(model.data.memberBaselines, [{ kind: 'seasonal', season: 12 }, { kind: 'two-season', season: 12 }]);
    assert.equal(model.config.cell, 'lstm');
    assert.equal(model.config.horizon, 18, 'monthly data: horizon 18');
    // auto: seasonal naive with season 12 corrected, on the log; calendar inputs for the month.
    assert.equal(model.data.baseline, 'seasonal');
    assert.equal(model.data.baseSeason, 12);
    assert.equal(model.data.series[0].log, true);
    assert.deepEqual(model.config.inputs, ['passengers:level', 'passengers:change', 'passengers:seasonal-change', 'calendar:year:sin', 'calendar:year:cos']);
    assert.equal(model.data.freq, 'M');
    assert.equal(model.data.series[0].lastTime, '1960-12');
    assert.deepEqual(model.weights['rnn.weight_ih_l0'].shape, [32, 5]);
    assert.deepEqual(model.weights['rnn.weight_hh_l0'].shape, [32, 8]);
    assert.deepEqual(model.weights['head.weight'].shape, [18, 8]);
    assert.equal(model.weights['rnn.weight_ih_l0'].values.length, 32 * 5);
    assert.ok(['early-stopping', 'max-epochs'].includes(model.training.stoppedBy));
    assert.equal(model.training.history.length, model.training.epochs);
    assert.equal(model.data.fingerprint.rows, 144);
    assert.match(model.data.fingerprint.sha256, /^[0-9a-f]{64}$/);
    assert.equal(model.calibration.residuals.length, 18);
  });

  test('forecast -m writes horizon rows continuing the timestamps in the input style', () => {
    const result = runCli(['forecast', dataset('air-passengers.csv'), '-m', modelPath, '--quiet']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^rnncast forecast: done in [\d.]+ s; \S+air-passengers\.csv: 144 rows, 1 series; model \S+ \(LSTM 1×8 ×2, 0 periods behind the data\); wrote standard output\n$/, 'quiet off a terminal: the summary line only');
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], 'month,forecast,lower_80,upper_80,lower_95,upper_95');
    assert.equal(lines.length, 1 + 18);
    assert.match(lines[1]!, /^1961-01,/);
    assert.match(lines[18]!, /^1962-06,/);
    for (const line of lines.slice(1)) {
      const [, forecast, lower80, upper80, lower95, upper95] = line.split(',').map(Number);
      assert.ok(Number.isFinite(forecast), line);
      assert.ok(lower95! <= lower80! && lower80! <= forecast! && forecast! <= upper80! && upper80! <= upper95!, `ordered bands: ${line}`);
    }
  });

  test('--level none drops the interval columns; json and ndjson by flag or extension', () => {
    const none = runCli(['forecast', dataset('air-passengers.csv'), '-m', modelPath, '--quiet', '--level', 'none']);
    assert.equal(none.status, 0, none.stderr);
    assert.equal(none.stdout.split('\n')[0], 'month,forecast');
    const json = runCli(['forecast', dataset('air-passengers.csv'), '-m', modelPath, '--quiet', '--format', 'json']);
    const rows = JSON.parse(json.stdout);
    assert.equal(rows.length, 18);
    assert.deepEqual(Object.keys(rows[0]), ['month', 'forecast', 'lower_80', 'upper_80', 'lower_95', 'upper_95']);
    const ndjsonPath = join(temp.path, 'next.ndjson');
    const ndjson = runCli(['forecast', dataset('air-passengers.csv'), '-m', modelPath, '--quiet', '-o', ndjsonPath]);
    assert.equal(ndjson.status, 0, ndjson.stderr);
    assert.equal(ndjson.stdout, '', 'data went to the file, not stdout');
    const lines = readFileSync(ndjsonPath, 'utf8').trim().split('\n');
    assert.equal(lines.length, 18);
    assert.equal(JSON.parse(lines[0]!).month, '1961-01');
  });

  test('standard input works, and -o - pipes to standard output', () => {
    const csv = readFileSync(dataset('air-passengers.csv'), 'utf8');
    const fromFile = runCli(['forecast', dataset('air-passengers.csv'), '-m', modelPath, '--quiet']);
    const fromStdin = runCli(['forecast', '-', '-m', modelPath, '--quiet', '-o', '-'], { input: csv });
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, fromFile.stdout);
  });

  test('the same seed gives byte-identical forecasts and weights', () => {
    const first = join(temp.path, 'first.csv');
    const second = join(temp.path, 'second.csv');
    const firstModel = join(temp.path, 'first.model.json');
    const secondModel = join(temp.path, 'second.model.json');
    const a = runCli(['forecast', dataset('air-passengers.csv'), ...quick, '--seed', '7', '-o', first, '--save-model', firstModel]);
    const b = runCli(['forecast', dataset('air-passengers.csv'), ...quick, '--seed', '7', '-o', second, '--save-model', secondModel, '--jobs', '1']);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(readFileSync(first, 'utf8'), readFileSync(second, 'utf8'));
    const weightsOf = (path: string): string => JSON.stringify(JSON.parse(readFileSync(path, 'utf8')).weights);
    assert.equal(weightsOf(firstModel), weightsOf(secondModel));
    const other = runCli(['forecast', dataset('air-passengers.csv'), ...quick, '--seed', '8']);
    assert.notEqual(other.stdout, readFileSync(first, 'utf8'), 'another seed, another model');
  });

  test('a model used on data it does not fit exits 65 naming the mismatch', () => {
    const otherTarget = runCli(['forecast', dataset('nile.csv'), '-m', modelPath, '--quiet']);
    assert.equal(otherTarget.status, 65, otherTarget.stderr);
    assert.match(otherTarget.stderr, /passengers/);
    assert.equal(otherTarget.stderr.trim().split('\n').length, 1, 'one line');
    const otherFreq = runCli(['forecast', dataset('nile.csv'), '-m', modelPath, '--quiet', '--target', 'flow']);
    assert.equal(otherFreq.status, 65, otherFreq.stderr);
    assert.match(otherFreq.stderr, /target|frequency/);
  });

  test('a broken model file exits 65, a missing one 66, and the earlier output is untouched', () => {
    const output = join(temp.path, 'keep.csv');
    writeFileSync(output, 'earlier output\n');
    const broken = join(temp.path, 'broken.model.json');
    writeFileSync(broken, readFileSync(modelPath, 'utf8').slice(0, 200));
    const truncated = runCli(['forecast', dataset('air-passengers.csv'), '-m', broken, '-o', output]);
    assert.equal(truncated.status, 65, truncated.stderr);
    assert.match(truncated.stderr, /truncated/);
    const missing = runCli(['forecast', dataset('air-passengers.csv'), '-m', join(temp.path, 'nope.json'), '-o', output]);
    assert.equal(missing.status, 66, missing.stderr);
    assert.equal(readFileSync(output, 'utf8'), 'earlier output\n');
  });

  test('a long-format file gets one forecast block per series with the id column first', () => {
    const result = runCli(['forecast', dataset('eu-stock-markets.csv'), '--id', 'index', ...quick, '--horizon', '5', '--lookback', '10']);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], 'index,date,forecast,lower_80,upper_80,lower_95,upper_95');
    assert.equal(lines.length, 1 + 4 * 5);
    assert.deepEqual([...new Set(lines.slice(1).map((line) => line.split(',')[0]))], ['DAX', 'SMI', 'CAC', 'FTSE']);
    // The last row is Friday 1998-08-14: business days continue on Monday.
    assert.match(lines[1]!, /^DAX,1998-08-17,/);
  });

  test('unknown flag and missing -o exit 2 with one line', () => {
    const unknown = runCli(['forecast', dataset('air-passengers.csv'), '--hiden', '3']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /hiden/);
    assert.equal(unknown.stderr.trim().split('\n').length, 1);
    const noOutput = runCli(['train', dataset('air-passengers.csv')]);
    assert.equal(noOutput.status, 2);
    assert.match(noOutput.stderr, /-o/);
    const badValue = runCli(['train', dataset('air-passengers.csv'), '-o', join(temp.path, 'x.json'), '--hidden', '0']);
    assert.equal(badValue.status, 2);
    assert.match(badValue.stderr, /--hidden 0/);
    assert.equal(existsSync(join(temp.path, 'x.json')), false);
  });

  test('SIGINT during training exits 130 and leaves a loadable model marked interrupted', async () => {
    const interruptedPath = join(temp.path, 'interrupted.model.json');
    const result = await runCliAndSignal(
      ['train', dataset('air-passengers.csv'), '-o', interruptedPath, '--epochs', '1000000', '--steps', '100000000', '--patience', '1000000', '--hidden', '8'],
      (stderr) => /round \d+\/\d+ step/.test(stderr),
    );
    assert.equal(result.status, 130, result.stderr);
    const model = JSON.parse(readFileSync(interruptedPath, 'utf8'));
    assert.equal(model.training.stoppedBy, 'interrupted');
    const forecast = runCli(['forecast', dataset('air-passengers.csv'), '-m', interruptedPath, '--quiet']);
    assert.equal(forecast.status, 0, forecast.stderr);
    assert.equal(forecast.stdout.trim().split('\n').length, 19);
  });
});
