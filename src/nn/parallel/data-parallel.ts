// Data-parallel training over worker threads, with the same bits for any number of threads.
//
// A batch of B rows is cut into chunks by a rule that looks only at the work (B, the network and
// the lookback: chunkCount), never at the thread count or the clock. Every chunk runs forward and
// backward in its own rows of the caller's workspace (../workspace.ts: carveWorkspace, so no
// memory is doubled) and its weight gradient into its own buffer; the main thread then adds the
// chunk gradients into the network's, always in chunk order. The threads take chunks from a
// shared counter until none is left (chunk.ts: takeChunks), so on a busy machine a thread that
// runs does the work of one that waits; with one thread the main thread runs them all — the same
// arithmetic either way, so the same model. Batches the rule leaves whole run exactly as before
// (networkForward/networkBackward).
//
// What a chunk changes against the whole batch: only the order in which the weight gradient is
// summed over rows. Each row's forward is computed as in the whole batch, the loss (and so its
// mean over the whole batch's counted elements) is computed by the caller over the gathered
// prediction, and dropout masks come from the batch's stream drawn in networkForward's order on
// the main thread, each chunk replaying its rows' part (share.ts: replayRng).
//
// Threads share memory: with the WebAssembly kernels every buffer lives in the one shared arena
// (src/nn/arena.ts) and workers attach to it; without them the buffers are SharedArrayBuffers and
// every thread runs the TypeScript kernels. The parameters are only read during a batch.
//
// Size legend: B batch rows, T steps, I input size, H hidden size, D directions, L layers,
// G gates, F horizon, E head inputs.

import { allocate, arenaFloat32, freeArrays } from '../arena.js';
import { directions, gateCount, headInputCount, type NetworkConfig } from '../layout.js';
import { checkHeadOptions, networkBackward, networkForward, type HeadOptions, type Network } from '../network.js';
import type { Rng } from '../rng.js';
import { inArena, kernelVariant, sharedMemory } from '../wasm.js';
import { allocateWorkspace, releaseWorkspace, type Workspace } from '../workspace.js';
import { CONTROL, COMMAND, takeChunks, type ChunkSet } from './chunk.js';
import { awaitWorker, ensureWorkers, issue, setupWorker, type ChunkWorker } from './pool.js';
import { chunkBounds, describeShared, shareFloatArrays, shareable, sharedFloat32 } from './share.js';

// The chunk rule, measured on the two cores of the machine this was tuned on (bench/engine.ts):
// two chunks pay from about 1 MFLOP of matrix work each (a step of a tenth of a millisecond) when
// the threads spin briefly instead of sleeping between commands; four chunks cost nothing against
// two once each has 32 rows and a quarter GFLOP, and leave room for four cores. Chunk counts stay
// powers of two so two threads get equal shares.
/** Rows per chunk at least. */
export const MIN_CHUNK_ROWS = 8;
/** Matrix-product flops per chunk at least (forward + backward), so the hand-off stays small beside the work. */
export const MIN_CHUNK_FLOPS = 1e6;
/** Beyond two chunks: rows per chunk at least, and flops per chunk at least as a multiple of MIN_CHUNK_FLOPS. */
export const BIG_CHUNK_ROWS = 32;
export const BIG_CHUNK_FACTOR = 256;
export const MAX_CHUNKS = 4;

export interface DataParallelOptions {
  /** Threads to run chunks on, the calling thread included (1 = all chunks here, the same bits). */
  jobs: number;
  /** The chunk rule's limits (tests and the bench change them; a model trained with other limits differs in its last bits). */
  minChunkFlops?: number; // MIN_CHUNK_FLOPS
  maxChunks?: number; // MAX_CHUNKS
}

export interface DataParallel {
  net: Network;
  whole: Workspace; // the caller's workspace, for batches that stay whole
  threads: number; // threads that run chunks, this one included
  minChunkFlops: number;
  maxChunks: number;
  set: ChunkSet | null; // null when no batch up to the workspace's size is ever cut
  params: Float32Array; // the parameters the chunks read: net.params, or a shared mirror of it
  workers: ChunkWorker[]; // threads − 1 of them
  id: number;
  count: number; // rows of the last forward
  chunks: number; // chunks of the last forward
  everyStep: boolean; // whether the last forward applied the head at every step
  predictionViews: Map<number, Float32Array>; // views of whole.output: the chunks write their rows of it
  stepPredictionViews: Map<number, Float32Array>; // views of whole.stepOutput
}

let nextId = 1;

/** Matrix-product flops of one training step per sample (forward + backward), as bench/engine.ts counts them. */
export function flopsPerSample(config: NetworkConfig, lookback: number): number {
  const G = gateCount(config.cell), H = config.hiddenSize, D = directions(config), F = config.horizon, T = lookback;
  let flops = 6 * F * (D * H + headInputCount(config));
  for (let l = 0; l < config.numLayers; l++) {
    const I = l === 0 ? config.inputSize : D * H;
    flops += 3 * D * (2 * T * G * H * I + 2 * (T - 1) * G * H * H);
  }
  return flops;
}

/** How many chunks a batch of `batchSize` rows is cut into: from the work alone, never from threads or time. */
export function chunkCount(config: NetworkConfig, batchSize: number, lookback: number, minChunkFlops = MIN_CHUNK_FLOPS, maxChunks = MAX_CHUNKS): number {
  const work = batchSize * flopsPerSample(config, lookback);
  const fits = (chunks: number): boolean => (chunks <= 2
    ? batchSize >= chunks * MIN_CHUNK_ROWS && work >= chunks * minChunkFlops
    : batchSize >= chunks * BIG_CHUNK_ROWS && work >= chunks * BIG_CHUNK_FACTOR * minChunkFlops);
  let chunks = 1;
  while (2 * chunks <= maxChunks && fits(2 * chunks)) chunks *= 2;
  return chunks;
}

/**
 * Prepares data-parallel training of `net` on batches of up to whole.batchSize rows. Starts the
 * worker threads it needs (none when jobs is 1 or no batch is ever cut). In a worker thread it
 * stays on that thread: nested pools would only fight over the same cores.
 */
export async function createDataParallel(net: Network, whole: Workspace, options: DataParallelOptions): Promise<DataParallel> {
  const { config } = net;
  const B = whole.batchSize, T = whole.lookback, F = config.horizon, E = headInputCount(config);
  const steps = directions(config) === 1 ? T : 1; // rows of every-step outputs per sample
  const minChunkFlops = options.minChunkFlops ?? MIN_CHUNK_FLOPS;
  const maxChunks = options.maxChunks ?? MAX_CHUNKS;
  let most = 1; // the most chunks any batch up to B rows is cut into
  for (let count = 1; count <= B; count++) most = Math.max(most, chunkCount(config, count, T, minChunkFlops, maxChunks));
  const dp: DataParallel = {
    net, whole, threads: 1, minChunkFlops, maxChunks, set: null, params: net.params as Float32Array, workers: [], id: nextId++,
    count: 0, chunks: 1, everyStep: false, predictionViews: new Map(), stepPredictionViews: new Map(),
  };
  if (most < 2 || net.dtype !== 'float32') return dp;

  // Chunks work inside the caller's workspace, so it must be visible to every thread: with the
  // kernels it is in the arena already but for its output buffers, which move to shared memory here.
  shareFloatArrays(whole);
  whole.outputViews.clear();
  whole.stepOutputViews.clear();
  // The parameters are read by every chunk: in place when other threads can see them, else a mirror refreshed per batch.
  dp.params = shareable(net.params as Float32Array);
  const nets = Array.from({ length: most }, (): Network => ({
    ...net,
    params: dp.params,
    grads: (inArena(net.grads) ? arenaFloat32(net.grads.length) : null) ?? sharedFloat32(net.grads.length),
  }));
  const own = nets.map((chunkNet) => shareFloatArrays(allocateWorkspace(chunkNet, 0, T)));
  const dropped = config.dropout > 0 && config.numLayers > 1 ? (config.numLayers - 1) * B * T * directions(config) * config.hiddenSize : 0;
  const inKernelMemory = (n: number): Float32Array => shareable(allocate('float32', n) as Float32Array);
  dp.set = {
    nets, whole, own,
    next: new Int32Array(new SharedArrayBuffer(4)),
    input: inKernelMemory(B * T * config.inputSize),
    headInput: inKernelMemory(B * steps * E),
    dPrediction: inKernelMemory(B * steps * F),
    uniforms: sharedFloat32(dropped),
    carved: new Map(),
  };
  // In a worker thread too (ensemble members train in workers): the caller's `jobs` is its share
  // of the cores (backtest folds get jobs / folds running).
  const wanted = Math.max(1, Math.min(options.jobs, most));
  if (wanted > 1) {
    dp.workers = await ensureWorkers(wanted - 1);
    const described = describeShared(dp.set);
    const memory = sharedMemory();
    for (const w of dp.workers) setupWorker(w, { trainer: dp.id, memory, variant: kernelVariant(), set: described });
  }
  dp.threads = dp.workers.length + 1;
  return dp;
}

/**
 * Lets the workers drop their views of this trainer's buffers, then returns the memory the
 * trainer allocated (the chunks' gradients and fixed buffers, the batch's copies). The network
 * and the caller's workspace stay the caller's.
 */
export function releaseDataParallel(dp: DataParallel): void {
  for (const w of dp.workers) {
    w.control[CONTROL.TRAINER] = dp.id;
    issue(w, COMMAND.RELEASE);
    awaitWorker(w);
  }
  dp.workers = [];
  const set = dp.set;
  if (set === null) return;
  dp.set = null;
  for (const ws of set.own) releaseWorkspace(ws);
  freeArrays(...set.nets.map((n) => n.grads), set.input, set.headInput, set.dPrediction);
}

function runChunks(dp: DataParallel, command: number, count: number, chunks: number, dropout: boolean, everyStep: boolean): void {
  const set = dp.set!;
  const bounds = chunkBounds(count, chunks);
  const threads = Math.min(dp.threads, bounds.length - 1);
  Atomics.store(set.next, 0, 0);
  for (let k = 1; k < threads; k++) {
    const w = dp.workers[k - 1]!, control = w.control;
    control[CONTROL.TRAINER] = dp.id;
    control[CONTROL.COUNT] = count;
    control[CONTROL.CHUNKS] = chunks;
    control[CONTROL.DROPOUT] = dropout ? 1 : 0;
    control[CONTROL.EVERY_STEP] = everyStep ? 1 : 0;
    issue(w, command);
  }
  let failure: unknown = null;
  try {
    takeChunks(set, command, bounds, count, dropout, everyStep);
  } catch (error: unknown) {
    failure = error;
  }
  // Wait for every worker even after a failure here, so none is still writing when we return.
  for (let k = 1; k < threads; k++) {
    try {
      awaitWorker(dp.workers[k - 1]!);
    } catch (error: unknown) {
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
}

/**
 * Training forward of `count` rows of input (B, T, I). Returns the prediction (B, F) — (B, T, F)
 * with head.everyStep — a view owned by dp that the next forward overwrites. Dropout masks come
 * from rng, as networkForward draws them; head as networkForward's options.
 */
export function dataParallelForward(dp: DataParallel, input: Float32Array, count: number, rng?: Rng, head: HeadOptions = {}): Float32Array {
  const { net, whole } = dp;
  const { config } = net;
  const T = whole.lookback, F = config.horizon, E = headInputCount(config);
  const everyStep = head.everyStep === true;
  const chunks = dp.set === null ? 1 : chunkCount(config, count, T, dp.minChunkFlops, dp.maxChunks);
  dp.count = count;
  dp.chunks = chunks;
  dp.everyStep = everyStep;
  if (chunks < 2) return networkForward(net, whole, input, count, { training: true, rng, ...head }) as Float32Array;
  if (count > whole.batchSize) throw new RangeError(`batch size ${count} outside 1..${whole.batchSize} of the workspace`);
  checkHeadOptions(config, count, T, head);
  const set = dp.set!;
  const steps = everyStep ? T : 1;
  if (E > 0) set.headInput.set(head.headInput!.subarray(0, count * steps * E));
  if (dp.params !== net.params) dp.params.set(net.params);
  set.input.set(input.subarray(0, count * T * config.inputSize));
  const dropout = config.dropout > 0 && config.numLayers > 1;
  if (dropout) {
    if (rng === undefined) throw new RangeError('training with dropout needs an rng');
    const draws = (config.numLayers - 1) * count * T * directions(config) * config.hiddenSize;
    for (let k = 0; k < draws; k++) set.uniforms[k] = rng.nextFloat();
  }
  runChunks(dp, COMMAND.FORWARD, count, chunks, dropout, everyStep);
  const [views, output] = everyStep ? [dp.stepPredictionViews, whole.stepOutput] : [dp.predictionViews, whole.output];
  let view = views.get(count);
  if (view === undefined) views.set(count, (view = output.subarray(0, count * steps * F) as Float32Array));
  return view;
}

/** Backward of the last forward given dPrediction (B, F), or (B, T, F) after an every-step forward; ADDS the batch's gradient into net.grads. */
export function dataParallelBackward(dp: DataParallel, dPrediction: Float32Array, count: number): void {
  if (count !== dp.count) throw new RangeError(`backward for batch ${count} after a forward of ${dp.count}`);
  if (dp.chunks < 2) {
    networkBackward(dp.net, dp.whole, dPrediction, count);
    return;
  }
  const set = dp.set!;
  const width = (dp.everyStep ? dp.whole.lookback : 1) * dp.net.config.horizon;
  if (dPrediction.length < count * width) throw new RangeError(`dPrediction holds ${dPrediction.length} values, expected ${count * width}`);
  set.dPrediction.set(dPrediction.subarray(0, count * width));
  runChunks(dp, COMMAND.BACKWARD, count, dp.chunks, false, dp.everyStep);
  const grads = dp.net.grads;
  const n = grads.length;
  for (let c = 0; c < chunkBounds(count, dp.chunks).length - 1; c++) {
    const chunkGrads = set.nets[c]!.grads;
    for (let k = 0; k < n; k++) grads[k]! += chunkGrads[k]!;
  }
}
