// The binary trains the same model for --jobs 1 and --jobs 2 (its batches are cut into chunks that
// run on two threads), exits as soon as training is done, and still stops cleanly on SIGINT.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunkCount } from '../../src/nn/parallel/data-parallel.js';
import { dataset, runCli, runCliAndSignal, tempDir } from '../helpers/exec.js';

const temp = tempDir();
after(() => temp.cleanup());

interface ModelFile {
  config: { cell: 'lstm' | 'gru'; hiddenSize: number; numLayers: number; bidirectional: boolean; dropout: number; lookback: number; horizon: number; inputs: string[]; batchSize: number };
  weights: unknown;
  training: { history: unknown[]; stoppedBy: string };
}

function train(jobs: number, extra: string[] = []): ModelFile {
  const out = join(temp.path, `air-jobs${jobs}.json`);
  const result = runCli(['train', dataset('air-passengers.csv'), '-o', out, '--epochs', '3', '--jobs', String(jobs), '--quiet', ...extra]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(readFileSync(out, 'utf8')) as ModelFile;
}

test('train --jobs 1 and --jobs 2 write identical weights, with batches cut into chunks', () => {
  const one = train(1);
  const two = train(2);
  const { config } = one;
  const network = { ...config, inputSize: config.inputs.length };
  assert.ok(chunkCount(network, config.batchSize, config.lookback) >= 2, 'the default batches are cut: the test covers the threads');
  assert.deepEqual(two.weights, one.weights);
  assert.deepEqual(two.training.history, one.training.history);
});

test('SIGINT during training with two threads exits 130 with the model marked interrupted', async () => {
  const out = join(temp.path, 'interrupted.json');
  const result = await runCliAndSignal(
    ['train', dataset('air-passengers.csv'), '-o', out, '--epochs', '100000', '--patience', '100000', '--jobs', '2'],
    (stderr) => /epoch \d+\/100000/.test(stderr),
  );
  assert.equal(result.status, 130, result.stderr);
  const model = JSON.parse(readFileSync(out, 'utf8')) as ModelFile;
  assert.equal(model.training.stoppedBy, 'interrupted');
});
