// Suite "engine": training throughput, single-window inference latency and achieved GFLOP/s of
// the float32 engine on the configurations of issue 6 (input size 1, as bench/torch_engine.py).
// One training step = zero grads, forward, MSE, backward, clip-norm 1.0, Adam.
// Each configuration is time-boxed, so the whole suite stays well under a minute.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clipGradNorm } from '../src/nn/clip.js';
import { directions, gateCount } from '../src/nn/layout.js';
import { lossForwardBackward } from '../src/nn/loss.js';
import {
  createNetwork, createWorkspace, networkBackward, networkForward, zeroGrads, type CellKind, type NetworkConfig,
} from '../src/nn/network.js';
import { createOptimizer, optimizerStep } from '../src/nn/optimizer.js';
import { createRng } from '../src/nn/rng.js';
import { wasmKernels } from '../src/nn/wasm.js';

export interface EngineResult {
  suite: 'engine';
  name: string;
  cell: CellKind;
  samplesPerSec: number;
  torchSamplesPerSec: number | null; // filled in by the PyTorch side
  inferMs: number;
  gflops: number; // matrix-product GFLOP/s achieved in training
  kernel: 'wasm-simd' | 'typescript'; // which matrix-product kernel ran
}

interface BenchConfig { name: string; lookback: number; hidden: number; layers: number; batch: number; horizon: number }

export const ENGINE_CONFIGS: BenchConfig[] = [
  { name: 'small', lookback: 24, hidden: 32, layers: 1, batch: 32, horizon: 1 },
  { name: 'medium', lookback: 48, hidden: 64, layers: 2, batch: 64, horizon: 12 },
  { name: 'large', lookback: 96, hidden: 128, layers: 2, batch: 128, horizon: 24 },
];

/** Seconds of timed training steps per configuration (after warm-up). */
const TRAIN_SECONDS = 2.5;
/** Seconds of timed single-window forwards per configuration. */
const INFER_SECONDS = 0.4;

/** Matrix-product flops of one training step (forward + backward); elementwise work not counted. */
export function trainingFlops(config: NetworkConfig, batch: number, lookback: number): number {
  const G = gateCount(config.cell), H = config.hiddenSize, D = directions(config), F = config.horizon;
  const B = batch, T = lookback;
  let forward = 2 * B * F * D * H;
  let backward = 2 * 2 * B * F * D * H;
  for (let l = 0; l < config.numLayers; l++) {
    const I = l === 0 ? config.inputSize : D * H;
    const input = 2 * T * B * G * H * I, recurrent = 2 * (T - 1) * B * G * H * H;
    forward += D * (input + recurrent);
    backward += D * (2 * input + 2 * recurrent); // dW and dx, for both products
  }
  return forward + backward;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs body for about `seconds` after a warm-up of up to `warmup` calls (cut short for slow bodies). */
function timeBox(seconds: number, warmup: number, body: () => void): number[] {
  const warmEnd = performance.now() + seconds * 200;
  for (let k = 0; k < warmup && (k === 0 || performance.now() < warmEnd); k++) body();
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || times.length < 3) {
    const start = performance.now();
    body();
    times.push(performance.now() - start);
  }
  return times;
}

export function benchOne(c: BenchConfig, cell: CellKind, trainSeconds = TRAIN_SECONDS, inferSeconds = INFER_SECONDS): EngineResult {
  const config: NetworkConfig = { cell, inputSize: 1, hiddenSize: c.hidden, numLayers: c.layers, bidirectional: false, dropout: 0, horizon: c.horizon };
  const net = createNetwork(config, { seed: 42, dtype: 'float32' });
  const ws = createWorkspace(net, c.batch, c.lookback);
  const rng = createRng(1);
  const x = Float32Array.from({ length: c.batch * c.lookback }, () => rng.nextFloat() * 2 - 1);
  const y = Float32Array.from({ length: c.batch * c.horizon }, () => rng.nextFloat() * 2 - 1);
  const dPred = new Float32Array(c.batch * c.horizon);
  const opt = createOptimizer({ kind: 'adam', lr: 1e-3, weightDecay: 0 }, net);
  const step = (): void => {
    zeroGrads(net);
    const out = networkForward(net, ws, x, c.batch, { training: true });
    lossForwardBackward('mse', out, y, null, c.batch * c.horizon, dPred);
    networkBackward(net, ws, dPred, c.batch);
    clipGradNorm(net, 1.0);
    optimizerStep(opt, net);
  };
  const stepMs = median(timeBox(trainSeconds, 3, step));
  const ws1 = createWorkspace(net, 1, c.lookback);
  const window = x.subarray(0, c.lookback);
  const inferMs = median(timeBox(inferSeconds, 20, () => { networkForward(net, ws1, window, 1, { training: false }); }));
  return {
    suite: 'engine',
    name: c.name,
    cell,
    samplesPerSec: c.batch / (stepMs / 1000),
    torchSamplesPerSec: null,
    inferMs,
    gflops: trainingFlops(config, c.batch, c.lookback) / (stepMs / 1000) / 1e9,
    kernel: wasmKernels() === null ? 'typescript' : 'wasm-simd',
  };
}

export async function runEngineBench(options: { json: boolean }): Promise<EngineResult[]> {
  const results: EngineResult[] = [];
  if (!options.json) {
    console.log(`engine kernel: ${wasmKernels() === null ? 'TypeScript (dist/assembly/kernels.wasm not built)' : 'WebAssembly SIMD'}`);
    console.log('engine  config  cell   train samples/s   infer ms   GFLOP/s');
  }
  for (const c of ENGINE_CONFIGS) {
    for (const cell of ['lstm', 'gru'] as const) {
      const r = benchOne(c, cell);
      results.push(r);
      if (options.json) console.log(JSON.stringify(r));
      else {
        console.log(`engine  ${r.name.padEnd(7)} ${r.cell.padEnd(5)} ${r.samplesPerSec.toFixed(0).padStart(16)} ${r.inferMs.toFixed(3).padStart(10)} ${r.gflops.toFixed(2).padStart(9)}`);
      }
    }
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await runEngineBench({ json: process.argv.includes('--json') });
}
