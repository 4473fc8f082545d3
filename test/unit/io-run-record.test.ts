import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appendRunLog, runLogLine, statusOf } from '../../src/io/run-log.js';
import type { RunRecord } from '../../src/io/run-log.js';
import { readRunState, settingsFingerprint, statePathFor, unchangedSince, writeRunState } from '../../src/io/run-state.js';
import type { RunKey } from '../../src/io/run-state.js';
import { runSummary } from '../../src/report/run-summary.js';
import { repoRoot, tempDir } from '../helpers/exec.js';

function record(fields: Partial<RunRecord> = {}): RunRecord {
  return {
    time: '2024-05-02T02:00:03.000Z', started: '2024-05-02T02:00:00.000Z', rnncast: '0.1.0', pid: 42, command: 'forecast', input: 'sales.csv',
    sha256: 'ab'.repeat(32), rows: 120, series: 3, model: null, outputs: ['next.csv'], settings: { model: 'm.json' },
    metrics: null, modelAge: null, status: 'ok', exitCode: 0, message: null, seconds: 3.2, ...fields,
  };
}

test('a run record is one JSON line; non-finite numbers become null; the status follows the exit code', () => {
  const line = runLogLine(record({ seconds: Number.NaN, message: 'two\nlines' }));
  assert.equal(line.split('\n').length, 2, 'one line and its newline');
  const parsed = JSON.parse(line) as RunRecord;
  assert.equal(parsed.seconds, null);
  assert.equal(parsed.message, 'two\nlines');
  assert.deepEqual([0, 1, 2, 3, 4, 5, 65, 73, 130].map(statusOf), ['ok', 'failed', 'failed', 'gate-failed', 'stale-model', 'locked', 'failed', 'failed', 'interrupted']);
});

test('the summary line names the input, the model, its age or score, and the outputs', () => {
  const model = { path: 'm.json', cell: 'lstm', hiddenSize: 8, numLayers: 1, ensemble: 1, lookback: 24, horizon: 18, transform: 'diff', valLoss: 0.01234, seriesChoices: [] };
  assert.equal(
    runSummary(record({ model, modelAge: { periods: 3, limit: 12, series: '' } })),
    'rnncast forecast: done in 3.2 s; sales.csv: 120 rows, 3 series; model m.json (LSTM 1×8, 3 periods behind the data); wrote next.csv',
  );
  assert.equal(
    runSummary(record({ command: 'train', model, outputs: ['m.json'] })),
    'rnncast train: done in 3.2 s; sales.csv: 120 rows, 3 series; model m.json (LSTM 1×8, validation loss 0.01234); wrote m.json',
  );
  assert.equal(
    runSummary(record({ command: 'train', model: { ...model, ensemble: 2 }, outputs: ['m.json'] })),
    'rnncast train: done in 3.2 s; sales.csv: 120 rows, 3 series; model m.json (LSTM 1×8 ×2, validation loss 0.01234); wrote m.json',
  );
  const metrics = { overall: { model: { mase: 0.8123 }, seasonal_naive: { mase: 0.93456 } } };
  assert.match(runSummary(record({ command: 'backtest', metrics, outputs: [] })), /; MASE: model 0\.8123, seasonal naive 0\.9346; wrote standard output$/);
  assert.equal(runSummary(record({ status: 'skipped', message: 'nothing changed' })), 'rnncast forecast: skipped in 3.2 s: nothing changed');
});

test('concurrent appends from many processes: every line whole, none lost', async () => {
  const dir = tempDir();
  try {
    const log = join(dir.path, 'runs.ndjson');
    const module = pathToFileURL(join(repoRoot, 'dist', 'src', 'io', 'run-log.js')).href;
    // Long lines (a panel's per-series choices) make torn writes likely if appends were not atomic.
    const writer = `
      const { appendRunLog } = await import(${JSON.stringify(module)});
      const choices = Array.from({ length: 400 }, (_, i) => ({ id: 'series-' + i, transform: 'log', method: 'model' }));
      for (let i = 0; i < 25; i++) appendRunLog(${JSON.stringify(log)}, { pid: process.pid, i, choices });`;
    const writers = 4;
    const exits = await Promise.all(
      Array.from({ length: writers }, () => new Promise<number | null>((resolve) => spawn(process.execPath, ['--input-type=module', '-e', writer], { stdio: 'inherit' }).on('close', resolve))),
    );
    assert.deepEqual(exits, Array(writers).fill(0));
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, writers * 25);
    const seen = new Set(lines.map((line) => {
      const parsed = JSON.parse(line) as { pid: number; i: number; choices: unknown[] };
      assert.equal(parsed.choices.length, 400);
      return `${parsed.pid}/${parsed.i}`;
    }));
    assert.equal(seen.size, writers * 25);
  } finally {
    dir.cleanup();
  }
});

test('appending where it cannot: one OutputError naming the file and --log-json', () => {
  assert.throws(() => appendRunLog('/nonexistent-folder/runs.log', record()), { name: 'OutputError', message: /^cannot append the run record to \/nonexistent-folder\/runs\.log \(--log-json\): the folder does not exist$/ });
});

test('--if-changed state: the same data, model, flags and tool, with every output still there, is unchanged', () => {
  const dir = tempDir();
  try {
    const output = join(dir.path, 'next.csv');
    const state = statePathFor(output);
    assert.equal(state, join(dir.path, 'next.csv.rnncast-state.json'));
    const key: RunKey = { command: 'forecast', rnncast: '0.1.0', input: 'a'.repeat(64), model: 'b'.repeat(64), settings: settingsFingerprint({ horizon: '6', model: 'm.json' }) };
    assert.equal(unchangedSince(readRunState(state), key), false, 'no state yet');
    writeFileSync(output, 'x');
    writeRunState(state, key, [output]);
    assert.equal(unchangedSince(readRunState(state), key), true);
    assert.equal(settingsFingerprint({ model: 'm.json', horizon: '6' }), key.settings, 'the order flags come in does not matter');
    for (const changed of [{ input: 'c'.repeat(64) }, { model: 'd'.repeat(64) }, { model: null }, { settings: settingsFingerprint({ horizon: '7', model: 'm.json' }) }, { rnncast: '0.2.0' }, { command: 'backtest' }]) {
      assert.equal(unchangedSince(readRunState(state), { ...key, ...changed }), false, JSON.stringify(changed));
    }
    rmSync(output);
    assert.equal(unchangedSince(readRunState(state), key), false, 'an output that has gone is written again');
    writeFileSync(state, '{ not json');
    assert.equal(readRunState(state), null, 'a damaged state file means: run');
  } finally {
    dir.cleanup();
  }
});
