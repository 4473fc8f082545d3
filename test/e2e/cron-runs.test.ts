// Unattended runs: the run record (--log-json), skipping unchanged input (--if-changed), the lock
// (--lock, exit 5), a model's staleness (--max-age, --strict, exit 4) and the summary line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { dataset, runCli, runCliAsync, tempDir } from '../helpers/exec.js';

const quick = ['--epochs', '2', '--hidden', '4', '--no-chart'];
const airLines = readFileSync(dataset('air-passengers.csv'), 'utf8').trimEnd().split('\n');
/** The first `rows` months of AirPassengers (144 in all). */
const firstMonths = (rows: number): string => `${airLines.slice(0, rows + 1).join('\n')}\n`;

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  return lines[0]!;
}

describe('unattended runs', () => {
  const temp = tempDir();
  const path = (name: string) => join(temp.path, name);
  after(() => temp.cleanup());
  before(() => {
    writeFileSync(path('data.csv'), firstMonths(100));
    const trained = runCli(['train', path('data.csv'), '-o', path('model.json'), ...quick, '--quiet']);
    assert.equal(trained.status, 0, trained.stderr);
  });

  test('--log-json appends one line per run, failed runs included, readable as JSON', () => {
    const log = path('runs.ndjson');
    const ok = runCli(['forecast', path('data.csv'), '-m', path('model.json'), '-o', path('a.csv'), '--log-json', log, '--quiet']);
    assert.equal(ok.status, 0, ok.stderr);
    const failed = runCli(['forecast', path('missing.csv'), '-m', path('model.json'), '-o', path('a.csv'), '--log-json', log]);
    assert.equal(failed.status, 66);
    assert.match(oneLine(failed.stderr), /^rnncast: .*missing\.csv/, 'a failed run ends with its error line only');
    const trained = runCli(['train', path('data.csv'), '-o', path('b.json'), ...quick, '--log-json', log, '--quiet']);
    assert.equal(trained.status, 0, trained.stderr);

    const records = readFileSync(log, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    assert.equal(records.length, 3);
    const [first, second, third] = records;
    assert.equal(first.command, 'forecast');
    assert.equal(first.status, 'ok');
    assert.equal(first.exitCode, 0);
    assert.match(first.sha256, /^[0-9a-f]{64}$/);
    assert.equal(first.rows, 100);
    assert.equal(first.series, 1);
    assert.deepEqual(first.outputs, [path('a.csv')]);
    assert.equal(first.model.path, path('model.json'));
    assert.equal(first.model.hiddenSize, 4);
    assert.equal(first.model.seriesChoices.length, 1);
    assert.equal(first.model.seriesChoices[0].id, '');
    assert.match(first.model.seriesChoices[0].transform, /^(none|log|diff|log-diff|seasonal-diff|log-seasonal-diff)$/, 'the transform auto chose');
    assert.match(first.model.seriesChoices[0].method, /^(model|naive|seasonal_naive|drift)$/);
    assert.deepEqual(first.modelAge, { periods: 0, limit: 12, series: '' });
    assert.equal(first.settings.model, path('model.json'));
    assert.ok(first.seconds > 0 && first.seconds < 60);
    assert.ok(Date.parse(first.time) >= Date.parse(first.started));

    assert.equal(second.status, 'failed');
    assert.equal(second.exitCode, 66);
    assert.equal(second.sha256, null, 'the data was never read');
    assert.match(second.message, /missing\.csv/);
    assert.equal(third.command, 'train');
    assert.equal(third.model.path, path('b.json'));
    assert.ok(third.model.valLoss > 0);
  });

  test('--quiet off a terminal: the one summary line; an unwritable --log-json is exit 73 before any work', () => {
    const quiet = runCli(['forecast', path('data.csv'), '-m', path('model.json'), '-o', path('q.csv'), '--quiet']);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.match(oneLine(quiet.stderr), /^rnncast forecast: done in [\d.]+ s; \S+data\.csv: 100 rows, 1 series; model \S+model\.json \(LSTM 1×4 ×2, 0 periods behind the data\); wrote \S+q\.csv$/);
    const unwritable = runCli(['train', path('data.csv'), '-o', path('c.json'), ...quick, '--log-json', path('no/such/folder/runs.log')]);
    assert.equal(unwritable.status, 73);
    assert.match(oneLine(unwritable.stderr), /^rnncast: cannot write \S+runs\.log: the folder \S+ does not exist$/);
    assert.equal(existsSync(path('c.json')), false);
  });

  test('--if-changed skips a run whose data, model and flags are the last run\'s; any change runs again', () => {
    const args = ['forecast', path('grow.csv'), '-m', path('model.json'), '-o', path('next.csv'), '--if-changed', '--quiet'];
    writeFileSync(path('grow.csv'), firstMonths(100));
    const first = runCli(args);
    assert.equal(first.status, 0, first.stderr);
    assert.ok(existsSync(path('next.csv.rnncast-state.json')));
    const written = statSync(path('next.csv')).mtimeMs;

    const again = runCli(args);
    assert.equal(again.status, 0, again.stderr);
    assert.match(oneLine(again.stderr), /^rnncast forecast: skipped in [\d.]+ s: nothing changed since the last run at \S+ \(the input \S+grow\.csv, the model \S+model\.json and the flags are the same\): \S+next\.csv left as it is \(--if-changed\)$/);
    assert.equal(statSync(path('next.csv')).mtimeMs, written, 'the output was not touched');

    const runs = (extra: string[] = []): boolean => {
      const result = runCli([...args, ...extra]);
      assert.equal(result.status, 0, result.stderr);
      return !/skipped/.test(result.stderr);
    };
    assert.equal(runs(['--level', '90']), true, 'another flag value');
    assert.equal(runs(['--level', '90']), false);
    assert.equal(runs(['--level', '90', '--no-chart', '--jobs', '1']), false, 'flags that only change the look do not count');
    writeFileSync(path('grow.csv'), firstMonths(101));
    assert.equal(runs(['--level', '90']), true, 'a new row');
    rmSync(path('next.csv'));
    assert.equal(runs(['--level', '90']), true, 'the output has gone');
    writeFileSync(path('model.json'), `${readFileSync(path('model.json'), 'utf8').trimEnd()}\n\n`);
    assert.equal(runs(['--level', '90']), true, 'the model changed');

    const piped = runCli(['forecast', path('grow.csv'), '-m', path('model.json'), '--if-changed']);
    assert.equal(piped.status, 2);
    assert.match(oneLine(piped.stderr), /^rnncast: --if-changed keeps what the last run read next to its output file, .*give -o FILE$/);
  });

  test('--lock: a run holding the output makes the next exit 5 naming its pid; a dead holder\'s lock is broken', () => {
    const output = path('locked.csv');
    const lockFile = `${output}.lock`;
    const holder = (pid: number) => JSON.stringify({ pid, host: hostname(), started: '2024-05-01T02:00:00.000Z', command: 'forecast', processStart: null });
    // This test's process is alive: a lock naming it is held.
    writeFileSync(lockFile, holder(process.pid));
    const log = path('lock-runs.ndjson');
    const blocked = runCli(['forecast', path('data.csv'), '-m', path('model.json'), '-o', output, '--log-json', log]);
    assert.equal(blocked.status, 5);
    assert.equal(oneLine(blocked.stderr), `rnncast: ${output} is locked by pid ${process.pid} (rnncast forecast since 2024-05-01T02:00:00.000Z): another run is writing it; not waiting (--lock-timeout 0)`);
    assert.equal(existsSync(output), false, 'nothing written');
    assert.equal(JSON.parse(readFileSync(log, 'utf8')).status, 'locked');
    const waited = runCli(['forecast', path('data.csv'), '-m', path('model.json'), '-o', output, '--lock-timeout', '1s']);
    assert.equal(waited.status, 5);
    assert.match(waited.stderr.trimEnd(), /^waiting up to 1 s for \S+locked\.csv: locked by pid \d+ \(rnncast forecast\)\n.*after waiting 1 s$/s);

    const unlocked = runCli(['forecast', path('data.csv'), '-m', path('model.json'), '-o', output, '--no-lock', '--quiet']);
    assert.equal(unlocked.status, 0, '--no-lock does not look');

    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(lockFile, holder(dead));
    const broken = runCli(['forecast', path('data.csv'), '-m', path('model.json'), '-o', output, '--quiet']);
    assert.equal(broken.status, 0, broken.stderr);
    assert.equal(existsSync(lockFile), false, 'released at the end');
  });

  test('three trainings started together on one model file: one trains, the others exit 5 at once', async () => {
    const output = path('raced.json');
    const long = ['--epochs', '300', '--patience', '300', '--hidden', '16', '--no-chart', '--quiet'];
    const results = await Promise.all([1, 2, 3].map((seed) => runCliAsync(['train', path('data.csv'), '-o', output, ...long, '--seed', String(seed)])));
    const statuses = results.map((result) => result.status).sort();
    assert.deepEqual(statuses, [0, 5, 5], results.map((result) => result.stderr).join('\n'));
    for (const result of results.filter((one) => one.status === 5)) assert.match(oneLine(result.stderr), /raced\.json is locked by pid \d+ \(rnncast train since /);
    const winner = results.find((result) => result.status === 0)!;
    assert.match(winner.stderr, /^rnncast train: done in/m);
    assert.equal(existsSync(`${output}.lock`), false);
  });

  test('forecast -m: data more than a season past the model warns; --strict exits 4 and writes nothing', () => {
    writeFileSync(path('later.csv'), firstMonths(113)); // 13 months past the model's 100
    const warned = runCli(['forecast', path('later.csv'), '-m', path('model.json'), '-o', path('later-forecast.csv')]);
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stderr, /^warning: \S+model\.json is 13 periods behind the data: trained up to 1957-04, the data ends 1958-05 \(the limit is one season, 12 periods; --max-age N sets another\)$/m);
    assert.match(warned.stderr, /13 periods behind the data\); wrote/, 'the summary says how old the model is');

    const strict = runCli(['forecast', path('later.csv'), '-m', path('model.json'), '-o', path('strict.csv'), '--strict']);
    assert.equal(strict.status, 4);
    assert.match(oneLine(strict.stderr), /^rnncast: \S+model\.json is 13 periods behind the data: .*; retrain \(rnncast train\) or update it \(rnncast update\); nothing written \(--strict\)$/);
    assert.equal(existsSync(path('strict.csv')), false);

    const allowed = runCli(['forecast', path('later.csv'), '-m', path('model.json'), '--max-age', '13', '--strict', '--quiet', '-o', path('allowed.csv')]);
    assert.equal(allowed.status, 0, allowed.stderr);
    const tight = runCli(['forecast', path('data.csv'), '-m', path('model.json'), '--max-age', '0', '--strict', '-o', path('tight.csv')]);
    assert.equal(tight.status, 0, 'no new row: fresh even at --max-age 0');
    writeFileSync(path('one-more.csv'), firstMonths(101));
    const oneMore = runCli(['forecast', path('one-more.csv'), '-m', path('model.json'), '--max-age', '0', '--strict', '-o', path('tight.csv')]);
    assert.equal(oneMore.status, 4);
    assert.match(oneMore.stderr, /is 1 period behind the data: .* \(--max-age 0\)/);
  });
});
