// Known-future covariates in PyTorch: the model file and the CSV alone, read as the README says
// (test/torch/check_future.py), give rnncast's forecast. Runs when Debian's python3-torch is installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dataset, repoRoot, runCli, tempDir } from '../helpers/exec.js';

const python = '/usr/bin/python3';
const torchMissing = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0;
const temp = tempDir();
after(() => temp.cleanup());

test('PyTorch loads a model with known-future covariates and recomputes its forecast from what the README says the head reads', { skip: torchMissing ? 'python3-torch is not installed' : false }, () => {
  const sales = dataset('store-sales.csv');
  for (const transform of ['diff', 'seasonal-diff']) {
    const modelPath = join(temp.path, `${transform}.model.json`);
    const train = runCli(['train', sales, '--future-features', 'promo,holiday', '--calendar', 'false', '--transform', transform, '--fallback', 'none', '--steps', '200', '--hidden', '16', '--quiet', '-o', modelPath]);
    assert.equal(train.status, 0, train.stderr);
    const forecast = runCli(['forecast', sales, '-m', modelPath, '--level', 'none', '--quiet']);
    assert.equal(forecast.status, 0, forecast.stderr);
    const ours = forecast.stdout.trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
    const torch = spawnSync(python, [join(repoRoot, 'test/torch/check_future.py'), modelPath, sales], { encoding: 'utf8' });
    assert.equal(torch.status, 0, torch.stderr);
    const theirs = torch.stdout.trim().split('\n').map(Number);
    assert.equal(theirs.length, 14);
    const worst = Math.max(...ours.map((value, h) => Math.abs(value - theirs[h]!) / Math.max(1, Math.abs(theirs[h]!))));
    console.log(`# --transform ${transform}: largest relative difference to PyTorch (float64) ${worst.toExponential(2)}`);
    assert.ok(worst < 1e-6, `${transform}: ${ours.join(' ')} vs ${theirs.join(' ')}`);
  }
});
