// Interruptions and concurrent runs lose nothing. SIGTERM (SIGINT is in forecast.test.ts
// and backtest.test.ts) during train, forecast and backtest; two runs racing for one output path;
// SIGKILL, which no handler sees, before the write.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { binPath, dataset, repoRoot, runCli, runCliAndSignal, tempDir, runCliAsync } from '../helpers/exec.js';
import type { CliResult } from '../helpers/exec.js';
import { secondSignalLine } from '../../src/cli/main.js';

const air = dataset('air-passengers.csv');
const EARLIER = 'earlier output: must survive the interruption\n';
// Long enough that only the signal can end it.
const endless = ['--epochs', '1000000', '--steps', '100000000', '--patience', '1000000', '--hidden', '8'];
const epochLine = (stderr: string): boolean => /round \d+\/\d+ step/.test(stderr);

const runAsync = (args: string[]): Promise<CliResult> => runCliAsync(args);

/** The last line of stderr: the one a cron mail shows. No stack either way. */
function lastLine(stderr: string): string {
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  return stderr.trimEnd().split('\n').at(-1) ?? '';
}

describe('hardening: interruptions and concurrent runs', () => {
  const temp = tempDir('rnncast-signals-');
  let folderCount = 0;
  const folder = (): string => {
    const path = join(temp.path, `case-${folderCount++}`);
    mkdirSync(path);
    return path;
  };
  const model = join(temp.path, 'air.model.json');
  before(() => {
    const result = runCli(['train', air, '-o', model, '--epochs', '2', '--hidden', '4', '--quiet']);
    assert.equal(result.status, 0, result.stderr);
  });
  after(() => temp.cleanup());

  test('SIGTERM during train: 130, and -o holds a loadable model marked interrupted', async () => {
    const dir = folder();
    const output = join(dir, 'model.json');
    writeFileSync(output, EARLIER);
    const result = await runCliAndSignal(['train', air, '-o', output, ...endless, '--no-chart'], epochLine, 'SIGTERM');
    assert.equal(result.status, 130, result.stderr);
    assert.match(lastLine(result.stderr), /^rnncast: interrupted: saved the best model so far \(round \d+\) to /);
    const saved = JSON.parse(readFileSync(output, 'utf8'));
    assert.equal(saved.training.stoppedBy, 'interrupted');
    assert.ok(saved.training.bestEpoch >= 1);
    const forecast = runCli(['forecast', air, '-m', output, '--quiet']);
    assert.equal(forecast.status, 0, forecast.stderr);
    assert.equal(forecast.stdout.trim().split('\n').length, 1 + 18);
    assert.deepEqual(readdirSync(dir), ['model.json'], 'no temp file left behind');
  });

  test('a second signal stops at once: 130, one line saying so, the old model kept, no temp file', async () => {
    const dir = folder();
    const output = join(dir, 'model.json');
    writeFileSync(output, EARLIER);
    const result = await new Promise<CliResult>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      const child = spawn(process.execPath, [binPath, 'train', air, '-o', output, ...endless, '--no-chart'], { env, cwd: repoRoot });
      let stderr = '';
      let sent = false;
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (!sent && epochLine(stderr)) {
          sent = true;
          // Both before the loop can look at the first: the impatient user's Ctrl-C Ctrl-C.
          child.kill('SIGINT');
          child.kill('SIGTERM');
        }
      });
      child.stdout.resume();
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ status: code ?? 128, stdout: signal ?? '', stderr }));
      child.stdin.end();
    });
    assert.deepEqual(readdirSync(dir), ['model.json'], 'no temp file left behind');
    const last = lastLine(result.stderr);
    // The two signals are sent back to back, but on a loaded machine the first can be handled
    // (and its clean stop finish saving) before the second arrives. Either way the run says
    // what it did: the old file untouched, or the whole interrupted model and where it went.
    if (readFileSync(output, 'utf8') === EARLIER) {
      assert.equal(result.status, 130, result.stderr);
      assert.equal(last, 'rnncast: interrupted twice: stopped at once, without saving anything');
    } else {
      const saved = JSON.parse(readFileSync(output, 'utf8'));
      assert.equal(saved.training.stoppedBy, 'interrupted');
      assert.match(result.stderr, /rnncast: interrupted: saved the best model so far \(round \d+\) to |after saving .*model\.json$/m);
      assert.ok(!result.stderr.includes('without saving anything'), result.stderr);
      // 130, or, when the second SIGTERM lands in Node's own exit after everything is written,
      // the signal's default action (the kernel reports the signal, not a code).
      assert.ok(result.status === 130 || result.stdout === 'SIGTERM', `status ${result.status} ${result.stdout}`);
    }
  });

  test('the second signal\'s line names what the first signal\'s stop had already written', () => {
    assert.equal(secondSignalLine([]), 'rnncast: interrupted twice: stopped at once, without saving anything');
    assert.equal(secondSignalLine(['/tmp/a.json']), 'rnncast: interrupted twice: stopped at once, after saving /tmp/a.json');
  });

  test('SIGINT during forecast (training first): 130, the earlier -o file and --save-model exactly as they were', async () => {
    const dir = folder();
    const output = join(dir, 'next.csv');
    const saved = join(dir, 'yesterday.model.json');
    writeFileSync(output, EARLIER);
    writeFileSync(saved, readFileSync(model));
    const result = await runCliAndSignal(['forecast', air, '-o', output, '--save-model', saved, ...endless, '--no-chart'], epochLine, 'SIGINT');
    assert.equal(result.status, 130, result.stderr);
    assert.match(lastLine(result.stderr), /^rnncast: interrupted while training; no forecast written and .*yesterday\.model\.json left as it was$/);
    assert.equal(readFileSync(output, 'utf8'), EARLIER);
    assert.equal(readFileSync(saved, 'utf8'), readFileSync(model, 'utf8'), 'yesterday\'s model is not replaced by a half-trained one');
    assert.deepEqual(readdirSync(dir).sort(), ['next.csv', 'yesterday.model.json']);
  });

  test('SIGTERM during backtest: 130, the earlier backtest and metrics files exactly as they were', async () => {
    const dir = folder();
    const output = join(dir, 'bt.csv');
    const metrics = join(dir, 'metrics.json');
    writeFileSync(output, EARLIER);
    writeFileSync(metrics, EARLIER);
    const result = await runCliAndSignal(
      ['backtest', air, '-o', output, '--metrics-out', metrics, ...endless, '--no-chart', '--jobs', '2'],
      (stderr) => stderr.includes('backtest: 3 folds'),
      'SIGTERM',
    );
    assert.equal(result.status, 130, result.stderr);
    assert.match(lastLine(result.stderr), /^rnncast: interrupted/);
    assert.equal(readFileSync(output, 'utf8'), EARLIER);
    assert.equal(readFileSync(metrics, 'utf8'), EARLIER);
    assert.deepEqual(readdirSync(dir).sort(), ['bt.csv', 'metrics.json']);
  });

  // --no-lock: these runs overlap on purpose, to show the atomic write alone keeps files whole.
  test('four forecasts racing for one path (--no-lock): the file is one run\'s complete output, no temp files', async () => {
    const dir = folder();
    const output = join(dir, 'race.csv');
    writeFileSync(output, EARLIER);
    // Different --level → different columns: a mix of two runs could not pass for either.
    const levels = ['80,95', '50', '99', 'none'];
    const expected = levels.map((level) => runCli(['forecast', air, '-m', model, '--quiet', '--level', level]).stdout);
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(levels.map((level) => runAsync(['forecast', air, '-m', model, '--quiet', '--level', level, '-o', output, '--no-lock'])));
      for (const result of results) assert.equal(result.status, 0, result.stderr);
      const written = readFileSync(output, 'utf8');
      assert.ok(expected.includes(written), `round ${round}: not one run's complete output:\n${written.slice(0, 300)}`);
      const lines = written.trimEnd().split('\n');
      assert.equal(lines.length, 1 + 18);
      const width = lines[0]!.split(',').length;
      for (const line of lines) assert.equal(line.split(',').length, width, line);
      assert.deepEqual(readdirSync(dir), ['race.csv'], 'no temp file left behind');
    }
  });

  test('two trainings racing for one model path (--no-lock): a complete, loadable model of one of them', async () => {
    const dir = folder();
    const output = join(dir, 'model.json');
    const results = await Promise.all(['1', '2'].map((seed) => runAsync(['train', air, '-o', output, '--epochs', '3', '--hidden', '16', '--seed', seed, '--quiet', '--no-lock'])));
    for (const result of results) assert.equal(result.status, 0, result.stderr);
    const saved = JSON.parse(readFileSync(output, 'utf8'));
    assert.ok([1, 2].includes(saved.training.seed));
    assert.equal(saved.weights['rnn.weight_hh_l0'].values.length, 64 * 16);
    assert.equal(runCli(['forecast', air, '-m', output, '--quiet']).status, 0);
    assert.deepEqual(readdirSync(dir), ['model.json']);
  });

  test('SIGKILL while training: no partial file, the old one or none; the next run breaks the dead run\'s lock', async () => {
    const dir = folder();
    const kept = join(dir, 'kept.csv');
    const fresh = join(dir, 'fresh.model.json');
    writeFileSync(kept, EARLIER);
    const killed = await Promise.all([
      runCliAndSignal(['forecast', air, '-o', kept, ...endless, '--no-chart'], epochLine, 'SIGKILL'),
      runCliAndSignal(['train', air, '-o', fresh, ...endless, '--no-chart'], epochLine, 'SIGKILL'),
    ]);
    for (const result of killed) assert.equal(result.status, 128, `killed by the signal, no exit code; stderr: ${result.stderr}`);
    assert.equal(readFileSync(kept, 'utf8'), EARLIER);
    assert.equal(existsSync(fresh), false);
    assert.deepEqual(readdirSync(dir).sort(), ['fresh.model.json.lock', 'kept.csv', 'kept.csv.lock'], 'no partial or temp file; the killed runs\' locks');
    const next = await runAsync(['forecast', air, '-m', model, '-o', kept, '--quiet']);
    assert.equal(next.status, 0, next.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['fresh.model.json.lock', 'kept.csv'], 'the stale lock was broken, and released at the end');
  });
});
