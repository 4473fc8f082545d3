// rnncast's forecast against PyTorch loading the same model file (test/torch/compare_cli.py), and
// the PyTorch side's own self-test on hand-built model files (test/torch/selftest_check_forecast.py).
// Runs when Debian's python3-torch is installed; the tool and the other tests never need it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/exec.js';

const python = '/usr/bin/python3';
const torchMissing = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0;
const skip = torchMissing ? 'python3-torch is not installed' : false;

function runPython(script: string): void {
  const result = spawnSync(python, [join(repoRoot, script)], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  process.stdout.write(result.stdout.replace(/^/gm, '# '));
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /^\d+ passed, 0 failed$/m);
}

test('forecasts match PyTorch recomputing them from the model file and the CSV (every --transform, --scale, --calendar on and off, lstm/gru, layers, bidirectional, ensembles, panels)', { skip }, () => {
  runPython('test/torch/compare_cli.py');
});

test('check_forecast.py passes its self-test on hand-built model files', { skip }, () => {
  runPython('test/torch/selftest_check_forecast.py');
});
