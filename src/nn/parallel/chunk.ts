// One chunk of a data-parallel batch, forward and backward: the same function runs on the main
// thread and in a worker (worker.ts), so a chunk's bits do not depend on where it ran.
// Also the layout of the control block the threads synchronise on.
//
// Size legend: B rows of the batch, T steps, I input size, F horizon, D·H layer output width, L layers.

import { directions, headInputCount } from '../layout.js';
import { networkBackward, networkForward, type Network } from '../network.js';
import { carveWorkspace, type Workspace } from '../workspace.js';
import { replayRng } from './share.js';

/** Everything the chunks of one trainer share; in a worker, views of the main thread's buffers. */
export interface ChunkSet {
  /** [chunks] the shared parameters with the chunk's own gradients. */
  nets: Network[];
  /** The caller's workspace: each chunk works in its own rows of every batch-sized buffer. */
  whole: Workspace;
  /** [chunks] workspaces of batch size 0: the buffers that do not scale with the batch (transposed weights, packing), the chunk's own. */
  own: Workspace[];
  /** [0] the next chunk to run: every thread takes chunks from it until none is left. */
  next: Int32Array;
  input: Float32Array; // (B, T, I) the batch
  headInput: Float32Array; // (B, E), or (B, T, E) with every-step outputs: the head's extra inputs
  dPrediction: Float32Array; // (B, F), or (B, T, F) with every-step outputs: ∂loss/∂prediction for the whole batch
  uniforms: Float32Array; // ((L−1)·B·T·D·H) the batch's dropout draws in networkForward's order; empty without dropout
  /** Per batch size: the chunk workspaces carved out of `whole` (each thread builds its own views). */
  carved: Map<number, Workspace[]>;
}

/** Chunk c's workspace for batches of `count` rows (carved once per batch size and thread). */
function chunkWorkspace(set: ChunkSet, c: number, bounds: number[], count: number): Workspace {
  let list = set.carved.get(count);
  if (list === undefined) set.carved.set(count, (list = []));
  return (list[c] ??= carveWorkspace(set.whole, set.own[c]!, bounds[c]!, bounds[c + 1]!));
}

/** Forward of chunk c (rows bounds[c]..bounds[c+1]) of a batch of `count` rows, in training mode. */
export function chunkForward(set: ChunkSet, c: number, bounds: number[], count: number, dropout: boolean, everyStep: boolean): void {
  const net = set.nets[c]!, ws = chunkWorkspace(set, c, bounds, count);
  const { config } = net;
  const r0 = bounds[c]!, r1 = bounds[c + 1]!;
  const T = ws.lookback, I = config.inputSize, E = headInputCount(config) * (everyStep ? T : 1);
  const input = set.input.subarray(r0 * T * I, r1 * T * I);
  const headInput = set.headInput.subarray(r0 * E, r1 * E);
  const rowWidth = T * directions(config) * config.hiddenSize;
  const rng = dropout ? replayRng(set.uniforms, count, r0, r1, rowWidth, config.numLayers - 1) : undefined;
  networkForward(net, ws, input, r1 - r0, { training: true, rng, headInput, everyStep });
}

/** Backward of chunk c into its own gradients (zeroed first). */
export function chunkBackward(set: ChunkSet, c: number, bounds: number[], count: number, everyStep: boolean): void {
  const net = set.nets[c]!, ws = chunkWorkspace(set, c, bounds, count);
  const { config } = net;
  const F = config.horizon * (everyStep ? ws.lookback : 1);
  const r0 = bounds[c]!, r1 = bounds[c + 1]!;
  // The forward may have run on another thread: its buffers are shared, its bookkeeping is not.
  ws.usedBatch = r1 - r0;
  ws.everyStep = everyStep;
  ws.dropoutActive = config.dropout > 0 && config.numLayers > 1; // chunks always train
  net.grads.fill(0);
  networkBackward(net, ws, set.dPrediction.subarray(r0 * F, r1 * F), r1 - r0);
}

/**
 * Runs chunks of the batch until none is left, taking each from set.next: a thread that runs
 * (when another is descheduled on a busy machine) does more of them. Which thread runs a chunk
 * never changes its bits: all its state is its own.
 */
export function takeChunks(set: ChunkSet, command: number, bounds: number[], count: number, dropout: boolean, everyStep: boolean): void {
  const chunks = bounds.length - 1;
  for (let c = Atomics.add(set.next, 0, 1); c < chunks; c = Atomics.add(set.next, 0, 1)) {
    if (command === COMMAND.FORWARD) chunkForward(set, c, bounds, count, dropout, everyStep);
    else chunkBackward(set, c, bounds, count, everyStep);
  }
}

// The control block: one Int32Array on a SharedArrayBuffer per worker. The main thread writes
// the arguments, bumps SEQ and notifies; the worker takes chunks until none is left, writes
// STATUS, stores SEQ into DONE and notifies. Atomics.wait on both sides: no message per batch.
export const CONTROL = {
  SEQ: 0, // commands issued
  DONE: 1, // commands finished
  COMMAND: 2,
  TRAINER: 3, // which trainer's chunk set
  COUNT: 4, // rows of the batch
  CHUNKS: 5, // chunks of the batch
  DROPOUT: 8, // 1 when the forward draws dropout masks
  STATUS: 9, // 0 ok, 1 failed: the error waits on the worker's port
  EVERY_STEP: 10, // 1 when the head runs at every step
  LENGTH: 16,
} as const;

export const COMMAND = { SETUP: 1, FORWARD: 2, BACKWARD: 3, RELEASE: 4, QUIT: 5 } as const;
