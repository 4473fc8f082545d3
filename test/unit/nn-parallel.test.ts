// Data-parallel training (src/nn/parallel/): the chunk rule, and the same bits for one thread
// and two — through the engine and through the training loop — with and without the
// WebAssembly kernels, dropout, bidirectional layers, short last batches, head inputs and
// every-step outputs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { lossForwardBackward } from '../../src/nn/loss.js';
import {
  createNetwork, createWorkspace, networkBackward, networkForward, zeroGrads, type NetworkConfig,
} from '../../src/nn/network.js';
import {
  chunkCount, createDataParallel, dataParallelBackward, dataParallelForward, releaseDataParallel, MAX_CHUNKS,
} from '../../src/nn/parallel/data-parallel.js';
import { shutdownWorkers } from '../../src/nn/parallel/pool.js';
import { chunkBounds } from '../../src/nn/parallel/share.js';
import { createRng } from '../../src/nn/rng.js';
import { uniform } from '../helpers/uniform.js';
import { arenaUsage } from '../../src/nn/arena.js';
import { kernelVariants, setKernelVariant, setWasmEnabled, wasmKernels, type KernelVariant } from '../../src/nn/wasm.js';
import { fitFrame, inputSize, windowRefs, type PipelineSpec } from '../../src/data/prepare.js';
import { makeDataset } from '../helpers/dataset.js';
import { defaults } from '../helpers/training.js';
import { trainNetwork } from '../../src/train/loop.js';

/** Chunked against whole-batch weight gradients: the same sums in another order (float32). */
const ORDER_TOLERANCE = 1e-5;

after(() => shutdownWorkers());

const bits = (x: Float32Array | Float64Array): Uint32Array => new Uint32Array(x.buffer, x.byteOffset, x.byteLength / 4);

const data = (seed: number, n: number): Float32Array => uniform(seed, n, 'float32') as Float32Array;

test('chunk bounds: fixed by the batch size, whole 4-row tiles, none empty, covering the batch', () => {
  assert.deepEqual(chunkBounds(64, 2), [0, 32, 64]);
  assert.deepEqual(chunkBounds(30, 2), [0, 16, 30]);
  assert.deepEqual(chunkBounds(5, 2), [0, 4, 5]);
  assert.deepEqual(chunkBounds(3, 2), [0, 3]);
  assert.deepEqual(chunkBounds(7, 1), [0, 7]);
  for (let B = 1; B <= 200; B++) {
    for (let n = 1; n <= 5; n++) {
      const bounds = chunkBounds(B, n);
      assert.equal(bounds[0], 0);
      assert.equal(bounds[bounds.length - 1], B);
      assert.ok(bounds.length - 1 <= n);
      for (let c = 0; c + 1 < bounds.length; c++) {
        assert.ok(bounds[c + 1]! > bounds[c]!, `B ${B} n ${n}: ${bounds.join(',')}`);
        if (c + 2 < bounds.length) assert.equal((bounds[c + 1]! - bounds[c]!) % 4, 0);
      }
    }
  }
});

test('chunk count: from the work alone, whole for tiny batches, at most MAX_CHUNKS', () => {
  const config: NetworkConfig = { cell: 'lstm', inputSize: 1, hiddenSize: 128, numLayers: 2, bidirectional: false, dropout: 0, horizon: 24 };
  assert.equal(chunkCount(config, 1, 96), 1);
  assert.equal(chunkCount(config, 128, 96), MAX_CHUNKS);
  assert.equal(chunkCount({ ...config, hiddenSize: 64, horizon: 12 }, 64, 48), 2);
  assert.equal(chunkCount({ ...config, hiddenSize: 32, numLayers: 1, horizon: 1 }, 32, 24), 2);
  assert.equal(chunkCount({ ...config, hiddenSize: 4, numLayers: 1, horizon: 1 }, 32, 12), 1);
  for (let B = 1; B <= 300; B++) assert.ok([1, 2, 4].includes(chunkCount(config, B, 96)));
  assert.equal(chunkCount({ ...config, hiddenSize: 4, numLayers: 1 }, 128, 4), 1);
  for (let B = 1; B <= 256; B++) assert.ok(chunkCount(config, B, 96) <= Math.max(1, Math.floor(B / 8)));
});

interface Case { name: string; config: NetworkConfig; B: number; T: number; counts: number[]; everyStep?: boolean }
const cases: Case[] = [
  { name: 'lstm 1 layer', config: { cell: 'lstm', inputSize: 2, hiddenSize: 12, numLayers: 1, bidirectional: false, dropout: 0, horizon: 3 }, B: 21, T: 6, counts: [21, 17, 9, 3] },
  { name: 'gru 2 layers bidirectional', config: { cell: 'gru', inputSize: 3, hiddenSize: 10, numLayers: 2, bidirectional: true, dropout: 0, horizon: 4 }, B: 16, T: 5, counts: [16, 11] },
  { name: 'lstm 3 layers dropout', config: { cell: 'lstm', inputSize: 1, hiddenSize: 9, numLayers: 3, bidirectional: true, dropout: 0.3, horizon: 2 }, B: 24, T: 7, counts: [24, 13] },
  { name: 'gru 2 layers dropout', config: { cell: 'gru', inputSize: 2, hiddenSize: 16, numLayers: 2, bidirectional: false, dropout: 0.5, horizon: 5 }, B: 20, T: 4, counts: [20, 8] },
  { name: 'lstm 4 chunks dropout', config: { cell: 'lstm', inputSize: 1, hiddenSize: 8, numLayers: 2, bidirectional: false, dropout: 0.4, horizon: 2 }, B: 130, T: 3, counts: [130, 100, 64, 20] },
  { name: 'gru head inputs bidirectional', config: { cell: 'gru', inputSize: 2, hiddenSize: 10, numLayers: 1, bidirectional: true, dropout: 0, horizon: 3, headInputs: 3 }, B: 20, T: 5, counts: [20, 9] },
  { name: 'lstm every step dropout', config: { cell: 'lstm', inputSize: 2, hiddenSize: 9, numLayers: 2, bidirectional: false, dropout: 0.3, horizon: 2 }, B: 24, T: 6, counts: [24, 13], everyStep: true },
  { name: 'gru every step head inputs', config: { cell: 'gru', inputSize: 1, hiddenSize: 12, numLayers: 2, bidirectional: false, dropout: 0.2, horizon: 4, headInputs: 2 }, B: 70, T: 4, counts: [70, 40, 9], everyStep: true },
];

interface StepResult { prediction: Float32Array; grads: Float32Array; chunks: number; threads: number }

/** Forward and backward of `count` rows through the data-parallel path (tiny work floor: every batch of 8+ rows is cut). */
async function parallelSteps(c: Case, jobs: number, minChunkFlops = 1): Promise<StepResult[]> {
  const net = createNetwork(c.config, { seed: 5 });
  const ws = createWorkspace(net, c.B, c.T);
  const dp = await createDataParallel(net, ws, { jobs, minChunkFlops });
  const rng = createRng(9);
  const results: StepResult[] = [];
  const steps = c.everyStep === true ? c.T : 1;
  for (const count of c.counts) {
    const x = data(count, count * c.T * c.config.inputSize);
    const outputs = count * steps * c.config.horizon;
    const y = data(count + 1, outputs);
    const headInput = data(count + 2, count * steps * (c.config.headInputs ?? 0));
    const d = new Float32Array(outputs);
    zeroGrads(net);
    const prediction = Float32Array.from(dataParallelForward(dp, x, count, rng, { headInput, everyStep: c.everyStep }));
    assert.equal(prediction.length, outputs);
    lossForwardBackward('mse', prediction, y, null, outputs, d);
    dataParallelBackward(dp, d, count);
    results.push({ prediction, grads: Float32Array.from(net.grads), chunks: dp.chunks, threads: dp.threads });
  }
  releaseDataParallel(dp);
  return results;
}

const kernelModes = wasmKernels() === null ? [false] : [true, false];
for (const kernels of kernelModes) {
  for (const c of cases) {
    test(`${c.name}${kernels ? '' : ', TypeScript kernels'}: one thread and two give the same bits`, async () => {
      setWasmEnabled(kernels);
      try {
        const one = await parallelSteps(c, 1);
        assert.ok(one.some((r) => r.chunks >= 2), 'some batch was cut');
        assert.equal(one[0]!.threads, 1);
        const many = one[0]!.chunks > 2 ? [2, 3] : [2];
        for (const jobs of many) {
          const other = await parallelSteps(c, jobs);
          assert.equal(other[0]!.threads, jobs);
          for (let k = 0; k < one.length; k++) {
            assert.equal(other[k]!.chunks, one[k]!.chunks);
            assert.deepEqual(bits(other[k]!.prediction), bits(one[k]!.prediction));
            assert.deepEqual(bits(other[k]!.grads), bits(one[k]!.grads));
          }
        }
      } finally {
        setWasmEnabled(true);
      }
    });

    test(`${c.name}${kernels ? '' : ', TypeScript kernels'}: chunks give the whole batch's predictions and dropout masks, its gradients to rounding`, async () => {
      setWasmEnabled(kernels);
      try {
        const chunked = await parallelSteps(c, 2);
        const whole = await parallelSteps(c, 2, Number.POSITIVE_INFINITY);
        let worst = 0;
        for (let k = 0; k < chunked.length; k++) {
          assert.equal(whole[k]!.chunks, 1);
          assert.deepEqual(bits(chunked[k]!.prediction), bits(whole[k]!.prediction));
          const g = chunked[k]!.grads, w = whole[k]!.grads;
          for (let j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[j]! - w[j]!) / (1e-3 + Math.abs(w[j]!)));
        }
        console.log(`  ${c.name}: max relative gradient difference chunked vs whole ${worst.toExponential(2)}`);
        assert.ok(worst <= ORDER_TOLERANCE, String(worst));
      } finally {
        setWasmEnabled(true);
      }
    });
  }
}

test('the worker threads run the build of the kernels the main thread runs', { skip: wasmKernels() === null || !kernelVariants().includes('relaxed-simd') ? 'one build of the kernels' : false }, async () => {
  const c = cases[2]!;
  const run = async (which: KernelVariant, jobs: number): Promise<StepResult[]> => {
    setKernelVariant(which);
    try {
      return await parallelSteps(c, jobs);
    } finally {
      setKernelVariant('relaxed-simd');
    }
  };
  // With fused multiply-adds the builds round differently: a worker on the other build would show.
  const one = await run('simd', 1), two = await run('simd', 2);
  for (let k = 0; k < one.length; k++) assert.deepEqual(bits(two[k]!.grads), bits(one[k]!.grads));
});

test('whole batches run exactly as networkForward/networkBackward', async () => {
  const c = cases[0]!;
  const net = createNetwork(c.config, { seed: 5 });
  const ref = createNetwork(c.config, { seed: 5 });
  const dp = await createDataParallel(net, createWorkspace(net, c.B, c.T), { jobs: 2 });
  const ws = createWorkspace(ref, c.B, c.T);
  const x = data(1, c.B * c.T * 2), d = data(2, c.B * 3);
  zeroGrads(net);
  zeroGrads(ref);
  assert.deepEqual(bits(Float32Array.from(dataParallelForward(dp, x, c.B))), bits(Float32Array.from(networkForward(ref, ws, x, c.B, { training: true }))));
  dataParallelBackward(dp, d, c.B);
  networkBackward(ref, ws, d, c.B);
  assert.equal(dp.chunks, 1);
  assert.deepEqual(bits(net.grads), bits(ref.grads));
  releaseDataParallel(dp);
});

test('chunks live inside the caller\'s workspace: little new memory, and the workspace still serves whole batches', { skip: wasmKernels() === null ? 'no kernels: no arena to measure' : false }, async () => {
  const c = { ...cases[1]!, B: 64, T: 12 }; // a batch whose buffers outweigh the fixed ones (weights, packing) each chunk has
  const net = createNetwork(c.config, { seed: 5 });
  const inUse = (): number => arenaUsage().top - arenaUsage().free;
  const before = inUse();
  const ws = createWorkspace(net, c.B, c.T);
  const workspaceBytes = inUse() - before;
  const dp = await createDataParallel(net, ws, { jobs: 2, minChunkFlops: 1 });
  const added = inUse() - before - workspaceBytes;
  assert.ok(added < workspaceBytes / 2, `${added} bytes for the chunks beside a workspace of ${workspaceBytes}`);
  const x = data(3, c.B * c.T * c.config.inputSize);
  zeroGrads(net);
  const chunked = Float32Array.from(dataParallelForward(dp, x, c.B));
  dataParallelBackward(dp, new Float32Array(c.B * c.config.horizon).fill(0.1), c.B);
  assert.equal(dp.chunks, 2);
  const fresh = createWorkspace(net, c.B, c.T);
  const expected = Float32Array.from(networkForward(net, fresh, x, c.B, { training: false }));
  assert.deepEqual(bits(Float32Array.from(networkForward(net, ws, x, c.B, { training: false }))), bits(expected));
  assert.deepEqual(bits(chunked), bits(expected));
  releaseDataParallel(dp);
});

test('the training loop gives the same model for --jobs 1 and --jobs 2, batches cut into chunks, dropout and forking on', async () => {
  const lookback = 24, horizon = 6;
  const r = createRng(1);
  const values = Array.from({ length: 200 }, (_, k) => Math.sin(k / 5) + 0.3 * (r.nextFloat() - 0.5));
  const dataset = makeDataset([{ values, imputed: [150] }]);
  const spec: PipelineSpec = { lookback, horizon, baseline: { kind: 'naive', season: 1 }, features: [], futureFeatures: [], calendar: [], headCalendar: false, scale: 'standard', windowScale: false };
  const frames = [fitFrame(dataset.series[0]!, false, spec, dataset, 0.2)];
  const data = { frames, spec, train: windowRefs(frames, 'train', horizon), val: windowRefs(frames, 'val', horizon) };
  const config: NetworkConfig = { cell: 'lstm', inputSize: inputSize(spec), hiddenSize: 32, numLayers: 2, bidirectional: false, dropout: 0.2, horizon };
  const options = defaults({ hiddenSize: 32, numLayers: 2, dropout: 0.2, horizon, lookback, epochs: 2, batchSize: 48, lr: 0.01, seed: 7 });
  assert.equal(chunkCount(config, 48, lookback), 2, 'full batches are cut');
  for (const forking of [false, true]) {
    const one = await trainNetwork(data, config, { ...options, forking, jobs: 1 });
    const two = await trainNetwork(data, config, { ...options, forking, jobs: 2 });
    assert.deepEqual(bits(two.network.params), bits(one.network.params));
    assert.deepEqual(two.history, one.history);
  }
});
