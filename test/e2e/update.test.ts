// rnncast update: fine-tuning a saved model on new rows, the lineage it records, a no-op when
// nothing is new, new series of a panel, and the refusals of data that does not continue the model.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runCliAndSignal, tempDir } from '../helpers/exec.js';

const DAY = 86_400_000;
const small = ['--hidden', '8', '--no-chart', '--quiet'];

/** Daily values with a weekly pattern and a little deterministic noise; the level moves from 100 to 130 at `shiftAt`. */
function daily(rows: number, shiftAt = Infinity, id?: string): string[] {
  return Array.from({ length: rows }, (_, t) => {
    const noise = ((Math.imul(t + 7, 2654435761) >>> 0) / 2 ** 32 - 0.5) * 4;
    const value = (t < shiftAt ? 100 : 130) + 10 * Math.sin((2 * Math.PI * t) / 7) + noise;
    const date = new Date(Date.UTC(2023, 0, 1) + t * DAY).toISOString().slice(0, 10);
    return `${id === undefined ? '' : `${id},`}${date},${value.toFixed(3)}`;
  });
}

interface Lineage {
  time: string;
  rowsAdded: number;
  seriesAdded: number;
  steps: number;
  valLossBefore: number;
  valLossAfter: number;
}

const forecastMean = (csv: string): number => {
  const values = csv.trimEnd().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
  return values.reduce((sum, value) => sum + value, 0) / values.length;
};

describe('update', () => {
  const temp = tempDir('rnncast-update-');
  const path = (name: string) => join(temp.path, name);
  const write = (name: string, lines: string[], header = 'date,y'): string => {
    writeFileSync(path(name), `${header}\n${lines.join('\n')}\n`);
    return path(name);
  };
  after(() => temp.cleanup());
  before(() => {
    write('old.csv', daily(200));
    write('shifted.csv', daily(300, 200));
    // --transform none: the network itself must learn the new level (no baseline follows it for free).
    const trained = runCli(['train', path('old.csv'), '-o', path('stale.json'), ...small, '--transform', 'none', '--ensemble', '2']);
    assert.equal(trained.status, 0, trained.stderr);
  });

  test('new rows at a new level: every member is fine-tuned, the loss on the newest windows falls, the forecast follows', () => {
    const result = runCli(['update', path('shifted.csv'), '-m', path('stale.json'), '-o', path('updated.json')]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^update: 100 new rows; \d+ steps; validation loss on the newest windows [\d.]+ → [\d.]+ \([\d.]+ s\)$/m);
    assert.match(result.stderr, /^rnncast update: done in [\d.]+ s; \S+shifted\.csv: 300 rows, 1 series; model \S+updated\.json \(LSTM 1×8 ×2, validation loss [\d.]+\); wrote \S+updated\.json$/m);

    const stale = JSON.parse(readFileSync(path('stale.json'), 'utf8'));
    const updated = JSON.parse(readFileSync(path('updated.json'), 'utf8'));
    const [entry] = updated.updates as Lineage[];
    assert.equal(updated.updates.length, 1);
    assert.equal(entry!.rowsAdded, 100);
    assert.equal(entry!.seriesAdded, 0);
    assert.ok(entry!.steps > 0);
    assert.ok(entry!.valLossAfter < entry!.valLossBefore / 2, `the loss on the newest windows falls by half at least: ${entry!.valLossBefore} → ${entry!.valLossAfter}`);
    assert.equal(stale.updates, undefined);
    assert.notDeepEqual(updated.weights, stale.weights, 'the first member moved');
    assert.notDeepEqual(updated.ensembleWeights[0], stale.ensembleWeights[0], 'so did the second');
    assert.deepEqual(updated.config, stale.config, 'the shape and training settings stay');
    assert.deepEqual(updated.training, stale.training, 'the training record stays; the lineage says what came after');
    assert.equal(updated.data.series[0].lastTime, '2023-10-27', 'the model has now seen the last row');
    assert.equal(updated.data.series[0].center, stale.data.series[0].center, 'the saved scale is kept');
    assert.equal(updated.data.fingerprint.rows, 300);

    // An independent look: the stale model forecasts the old level, the updated one the new.
    const forecast = (model: string): number => {
      const run = runCli(['forecast', path('shifted.csv'), '-m', model, '--quiet', '--level', 'none', '--max-age', '1000']);
      assert.equal(run.status, 0, run.stderr);
      return forecastMean(run.stdout);
    };
    const before = forecast(path('stale.json'));
    const afterUpdate = forecast(path('updated.json'));
    assert.ok(Math.abs(afterUpdate - 130) < Math.abs(before - 130) / 2, `closer to the new level 130: stale ${before}, updated ${afterUpdate}`);

    // The same update again gives the same weights (the seed fixes the sampling).
    const again = runCli(['update', path('shifted.csv'), '-m', path('stale.json'), '-o', path('again.json'), '--quiet']);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(JSON.parse(readFileSync(path('again.json'), 'utf8')).weights, updated.weights);
  });

  test('nothing new: the model stays byte for byte (a copy when -o names another file), and a second update adds to the lineage', () => {
    const first = runCli(['update', path('shifted.csv'), '-m', path('stale.json'), '-o', path('lineage.json'), '--quiet']);
    assert.equal(first.status, 0, first.stderr);
    const bytes = readFileSync(path('lineage.json'));
    const same = runCli(['update', path('shifted.csv'), '-m', path('lineage.json'), '-o', path('lineage.json')]);
    assert.equal(same.status, 0, same.stderr);
    assert.equal(same.stderr, `rnncast update: skipped in ${/in ([\d.]+) s/.exec(same.stderr)![1]} s: nothing new since the model's last training time: ${path('lineage.json')} left as it is\n`);
    assert.deepEqual(readFileSync(path('lineage.json')), bytes);
    const copied = runCli(['update', path('shifted.csv'), '-m', path('lineage.json'), '-o', path('copy.json'), '--quiet']);
    assert.equal(copied.status, 0, copied.stderr);
    assert.deepEqual(readFileSync(path('copy.json')), bytes);

    write('longer.csv', daily(310, 200));
    const second = runCli(['update', path('longer.csv'), '-m', path('lineage.json'), '-o', path('lineage.json'), '--quiet']);
    assert.equal(second.status, 0, second.stderr);
    const updates = JSON.parse(readFileSync(path('lineage.json'), 'utf8')).updates as Lineage[];
    assert.deepEqual(updates.map((entry) => entry.rowsAdded), [100, 10]);
    assert.ok(updates[1]!.time >= updates[0]!.time);
  });

  test('a panel: a new series is admitted with scales of its own; forecasts then know it', () => {
    const panel = (rows: number, ids: string[]): string[] => ids.flatMap((id) => daily(rows, Infinity, id));
    write('panel-old.csv', panel(120, ['a', 'b']), 'id,date,y');
    write('panel-new.csv', panel(127, ['a', 'b', 'c']), 'id,date,y');
    const trained = runCli(['train', path('panel-old.csv'), '-o', path('panel.json'), '--id', 'id', ...small]);
    assert.equal(trained.status, 0, trained.stderr);
    const updated = runCli(['update', path('panel-new.csv'), '-m', path('panel.json'), '-o', path('panel.json'), '--quiet']);
    assert.equal(updated.status, 0, updated.stderr);
    const model = JSON.parse(readFileSync(path('panel.json'), 'utf8'));
    assert.deepEqual(model.data.series.map((series: { id: string }) => series.id), ['a', 'b', 'c']);
    assert.deepEqual([model.updates[0].rowsAdded, model.updates[0].seriesAdded], [2 * 7 + 127, 1]);
    const forecast = runCli(['forecast', path('panel-new.csv'), '-m', path('panel.json')]);
    assert.equal(forecast.status, 0, forecast.stderr);
    assert.doesNotMatch(forecast.stderr, /not in the model/);
  });

  test('interrupted: exit 130, the model file exactly as it was, no temp file, the lock released', async () => {
    const bytes = readFileSync(path('stale.json'));
    writeFileSync(path('kept.json'), bytes);
    const result = await runCliAndSignal(['update', path('shifted.csv'), '-m', path('kept.json'), '-o', path('kept.json'), '--steps', '1000000', '--patience', '1000000'], (stderr) => /^round \d+/m.test(stderr));
    assert.equal(result.status, 130, result.stderr);
    assert.match(result.stderr, /^rnncast: interrupted while updating; \S+kept\.json left as it was$/m);
    assert.deepEqual(readFileSync(path('kept.json')), bytes);
    assert.deepEqual(readdirSync(temp.path).filter((name) => name.startsWith('.kept') || name.startsWith('kept.json.')), []);
  });

  test('unattended: --if-changed skips the same data and model, --log-json records the update, the lock is released', () => {
    writeFileSync(path('cron.json'), readFileSync(path('stale.json')));
    const log = path('update-runs.ndjson');
    const args = ['update', path('shifted.csv'), '-m', path('cron.json'), '-o', path('cron.json'), '--if-changed', '--log-json', log, '--steps', '50'];
    const first = runCli(args);
    assert.equal(first.status, 0, first.stderr);
    const bytes = readFileSync(path('cron.json'));
    const second = runCli(args);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /^rnncast update: skipped in [\d.]+ s: nothing changed since the last run at .* \(the input \S+shifted\.csv, the model \S+cron\.json and the flags are the same\): \S+cron\.json left as it is \(--if-changed\)\n$/);
    assert.deepEqual(readFileSync(path('cron.json')), bytes);
    assert.equal(existsSync(path('cron.json.lock')), false, 'the lock is released');
    const records = readFileSync(log, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(records.map((record) => [record.command, record.status, record.exitCode]), [['update', 'ok', 0], ['update', 'skipped', 0]]);
    const lineage = JSON.parse(bytes.toString('utf8')).updates as Lineage[];
    assert.equal(records[0].model.valLoss, lineage[0]!.valLossAfter, 'the record gives the update\'s loss on the newest windows');
    assert.deepEqual(records[0].outputs, [path('cron.json')]);
  });

  test('a file that is not a model is refused (65), a missing one is 66; nothing is written', () => {
    writeFileSync(path('not-a-model.json'), '{"format": "something-else"}');
    const wrong = runCli(['update', path('shifted.csv'), '-m', path('not-a-model.json'), '-o', path('out.json')]);
    assert.equal(wrong.status, 65);
    assert.match(wrong.stderr, /^rnncast: \S+not-a-model\.json: not an rnncast model file/);
    const csv = runCli(['update', path('shifted.csv'), '-m', path('shifted.csv'), '-o', path('out.json')]);
    assert.equal(csv.status, 65);
    assert.match(csv.stderr, /^rnncast: \S+shifted\.csv: not a valid model file/);
    const missing = runCli(['update', path('shifted.csv'), '-m', path('gone.json'), '-o', path('out.json')]);
    assert.equal(missing.status, 66);
    assert.equal(existsSync(path('out.json')), false);
  });

  test('data that does not continue the model is refused with 65, naming the mismatch; nothing is written', () => {
    const refused = (data: string, pattern: RegExp): void => {
      const result = runCli(['update', data, '-m', path('stale.json'), '-o', path('refused.json')]);
      assert.equal(result.status, 65, result.stderr);
      assert.match(result.stderr.trimEnd(), pattern);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1);
    };
    const monthly = Array.from({ length: 60 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${100 + i}`);
    refused(write('monthly.csv', monthly, 'month,y'), /the model was trained with frequency D, but \S+monthly\.csv has frequency M$/);
    refused(write('renamed.csv', daily(220), 'date,sales'), /no column 'y'|target 'y'/);
    refused(write('cut.csv', daily(300).slice(250)), /the model's last training time, 2023-07-19, is not among the times of \S+cut\.csv: the data does not continue what the model saw; retrain it \(rnncast train\)$/);
    assert.throws(() => readFileSync(path('refused.json')));

    const usage = runCli(['update', path('shifted.csv'), '-o', path('x.json')]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^rnncast: update needs -m MODEL/);
  });
});
