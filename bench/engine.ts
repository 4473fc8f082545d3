// Suite "engine": training throughput, single-window inference latency and achieved GFLOP/s of
// the float32 engine on the benchmark configurations (input size 1, as bench/torch_engine.py).
// One training step = zero grads, forward, MSE, backward, clip-norm 1.0, Adam, through the
// data-parallel path the training loop uses (src/nn/parallel/): once on one thread and once on
// `threads` (default: the cores), in alternating slices so a busy machine hurts both alike.
// Each configuration is time-boxed, so the whole suite stays well under a minute.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clipGradNorm } from '../src/nn/clip.js';
import { directions, gateCount } from '../src/nn/layout.js';
import { lossForwardBackward } from '../src/nn/loss.js';
import { freeArrays } from '../src/nn/arena.js';
import {
  createNetwork, createWorkspace, networkForward, releaseNetwork, releaseWorkspace, zeroGrads, type CellKind, type NetworkConfig,
} from '../src/nn/network.js';
import { createOptimizer, optimizerStep } from '../src/nn/optimizer.js';
import { chunkCount, createDataParallel, dataParallelBackward, dataParallelForward, releaseDataParallel } from '../src/nn/parallel/data-parallel.js';
import { shutdownWorkers } from '../src/nn/parallel/pool.js';
import { createRng } from '../src/nn/rng.js';
import { kernelVariant, wasmKernels } from '../src/nn/wasm.js';

export interface EngineResult {
  suite: 'engine';
  name: string;
  cell: CellKind;
  samplesPerSec: number; // on `threads` threads
  threads: number; // threads that ran the chunks (the default: one per core)
  chunks: number; // chunks each batch is cut into (chunkCount: from the work alone)
  singleThreadSamplesPerSec: number; // the same chunks on one thread (--jobs 1)
  singleThreadCpuSamplesPerSec: number; // on one thread, per CPU-second: what a busy machine disturbs least
  torchSamplesPerSec: number | null; // filled in by the PyTorch side
  inferMs: number;
  gflops: number; // matrix-product GFLOP/s achieved in training, on `threads` threads
  kernel: 'wasm-relaxed-simd' | 'wasm-simd' | 'typescript'; // which build of the kernels ran
}

interface BenchConfig { name: string; lookback: number; hidden: number; layers: number; batch: number; horizon: number }

export const ENGINE_CONFIGS: BenchConfig[] = [
  { name: 'small', lookback: 24, hidden: 32, layers: 1, batch: 32, horizon: 1 },
  { name: 'medium', lookback: 48, hidden: 64, layers: 2, batch: 64, horizon: 12 },
  { name: 'large', lookback: 96, hidden: 128, layers: 2, batch: 128, horizon: 24 },
];

/** Seconds of timed training steps per configuration and thread count (after warm-up). */
const TRAIN_SECONDS = 2;
/** Alternating slices of timed steps per thread count. */
const SLICES = 5;
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

function kernelName(): EngineResult['kernel'] {
  return wasmKernels() === null ? 'typescript' : `wasm-${kernelVariant()}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The process's CPU time in ms (all its threads). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs body for about `seconds` (and `least` times) after a warm-up of up to `warmup` calls (cut
 * short for slow bodies); the wall and CPU milliseconds of each call (CPU: the whole process's).
 */
function timeBox(seconds: number, warmup: number, body: () => void, least = 3): { wall: number[]; cpu: number[] } {
  const warmEnd = performance.now() + seconds * 200;
  for (let k = 0; k < warmup && (k === 0 || performance.now() < warmEnd); k++) body();
  const wall: number[] = [], cpu: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || wall.length < least) {
    const start = performance.now(), startCpu = cpuMs();
    body();
    wall.push(performance.now() - start);
    cpu.push(cpuMs() - startCpu);
  }
  return { wall, cpu };
}

/** One training step of `config` on a batch, through the data-parallel path on `jobs` threads. */
async function trainingStep(config: NetworkConfig, c: BenchConfig, jobs: number): Promise<{ step: () => void; threads: number; release: () => void }> {
  const net = createNetwork(config, { seed: 42, dtype: 'float32' });
  const ws = createWorkspace(net, c.batch, c.lookback);
  const dp = await createDataParallel(net, ws, { jobs });
  const rng = createRng(1);
  const x = Float32Array.from({ length: c.batch * c.lookback }, () => rng.nextFloat() * 2 - 1);
  const y = Float32Array.from({ length: c.batch * c.horizon }, () => rng.nextFloat() * 2 - 1);
  const dPred = new Float32Array(c.batch * c.horizon);
  const opt = createOptimizer({ kind: 'adam', lr: 1e-3, weightDecay: 0 }, net);
  const step = (): void => {
    zeroGrads(net);
    const out = dataParallelForward(dp, x, c.batch);
    lossForwardBackward('mse', out, y, null, c.batch * c.horizon, dPred);
    dataParallelBackward(dp, dPred, c.batch);
    clipGradNorm(net, 1.0);
    optimizerStep(opt, net);
  };
  // Rounds build many large trainers: their arena memory goes back at once, not when a collection happens to run.
  const release = (): void => {
    releaseDataParallel(dp);
    releaseWorkspace(ws);
    releaseNetwork(net);
    freeArrays(opt.m, opt.v);
  };
  return { step, threads: dp.threads, release };
}

export async function benchOne(
  c: BenchConfig, cell: CellKind, trainSeconds = TRAIN_SECONDS, inferSeconds = INFER_SECONDS, jobs = availableParallelism(),
): Promise<EngineResult> {
  const config: NetworkConfig = { cell, inputSize: 1, hiddenSize: c.hidden, numLayers: c.layers, bidirectional: false, dropout: 0, horizon: c.horizon };
  const one = await trainingStep(config, c, 1);
  const many = await trainingStep(config, c, jobs);
  const oneTimes: number[] = [], oneCpu: number[] = [], manyTimes: number[] = [];
  for (let slice = 0; slice < SLICES; slice++) {
    const single = timeBox(trainSeconds / SLICES, slice === 0 ? 3 : 0, one.step, 1);
    oneTimes.push(...single.wall);
    oneCpu.push(...single.cpu); // the other trainer's workers sleep meanwhile: this thread's time
    manyTimes.push(...timeBox(trainSeconds / SLICES, slice === 0 ? 3 : 0, many.step, 1).wall);
  }
  one.release();
  many.release();
  const stepMs = median(manyTimes), oneStepMs = median(oneTimes);
  const net = createNetwork(config, { seed: 42, dtype: 'float32' });
  const ws1 = createWorkspace(net, 1, c.lookback);
  const window = Float32Array.from({ length: c.lookback }, (_, k) => Math.sin(k));
  const inferMs = median(timeBox(inferSeconds, 20, () => { networkForward(net, ws1, window, 1, { training: false }); }).wall);
  releaseWorkspace(ws1);
  releaseNetwork(net);
  return {
    suite: 'engine',
    name: c.name,
    cell,
    samplesPerSec: c.batch / (stepMs / 1000),
    threads: many.threads,
    chunks: chunkCount(config, c.batch, c.lookback),
    singleThreadSamplesPerSec: c.batch / (oneStepMs / 1000),
    singleThreadCpuSamplesPerSec: c.batch / (median(oneCpu) / 1000),
    torchSamplesPerSec: null,
    inferMs,
    gflops: trainingFlops(config, c.batch, c.lookback) / (stepMs / 1000) / 1e9,
    kernel: kernelName(),
  };
}

export async function runEngineBench(options: { json: boolean }): Promise<EngineResult[]> {
  const results: EngineResult[] = [];
  if (!options.json) {
    console.log(`engine kernels: ${kernelName()}`);
    console.log('engine  config  cell   1 thread/s  threads   samples/s  chunks   infer ms   GFLOP/s');
  }
  for (const c of ENGINE_CONFIGS) {
    for (const cell of ['lstm', 'gru'] as const) {
      const r = await benchOne(c, cell);
      results.push(r);
      if (options.json) console.log(JSON.stringify(r));
      else {
        console.log(`engine  ${r.name.padEnd(7)} ${r.cell.padEnd(5)} ${r.singleThreadSamplesPerSec.toFixed(0).padStart(11)} ${String(r.threads).padStart(8)} ${r.samplesPerSec.toFixed(0).padStart(11)} ${String(r.chunks).padStart(7)} ${r.inferMs.toFixed(3).padStart(10)} ${r.gflops.toFixed(2).padStart(9)}`);
      }
    }
  }
  await shutdownWorkers();
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await runEngineBench({ json: process.argv.includes('--json') });
}
