// The whole network: a stack of LSTM or GRU layers (each one or two directions) and a linear
// head (src/nn/head.ts) on the final hidden state, or on every step's. All parameters live in ONE
// flat block with named views in PyTorch's state_dict order; the gradients use the same layout,
// so the optimizer, clipping and serialization are flat loops.
//
// Size legend: B batch, T steps (lookback), I input size, H hidden size, D directions,
// L layers, G gates (4 LSTM, 3 GRU), F horizon (head outputs), E head inputs (known-future values).
// The caller's input is (B, T, I) batch-major; inside, buffers are time-major (T, B, ·) so the
// rows of one step are contiguous for the per-step matrix product. The buffers are the
// workspace's (src/nn/workspace.ts).

import { UsageError } from '../errors.js';
import { CELLS } from '../options/choices.js';
import { allocate, freeArrays, type DType } from './arena.js';
import { packPanels, type FloatArray } from './gemm.js';
import { gruBackward, gruForward } from './gru.js';
import { headBackward, headForward, transposeHeadWeight } from './head.js';
import {
  countParams, directions, gateCount, headInputCount, paramLayout,
  type CellKind, type NetworkConfig, type ParamLayout, type TensorView,
} from './layout.js';
import { lstmBackward, lstmForward } from './lstm.js';
import { createRng, type Rng } from './rng.js';
import { viewOf, type Workspace } from './workspace.js';

export type { CellKind, DType, NetworkConfig, TensorView, FloatArray, Workspace };
export { createWorkspace, releaseWorkspace } from './workspace.js';

/** The most parameters we will allocate (50M floats: 200 MB of float32 before gradients and moments). */
export const MAX_PARAMS = 50_000_000;

export interface Network {
  config: NetworkConfig;
  dtype: DType;
  params: FloatArray; // all parameters, one block
  grads: FloatArray; // same layout as params
  tensors: TensorView[]; // PyTorch state_dict order
  layout: ParamLayout;
}

/** What the head reads beside the final hidden state, and where it is applied. */
export interface HeadOptions {
  /** (B, E) row-major, or (B, T, E) with everyStep (step t's known-future inputs). Needed when config.headInputs > 0. */
  headInput?: FloatArray;
  /** Apply the head at every step of the lookback (forking sequences): output and dOutput (B, T, F). Unidirectional only. */
  everyStep?: boolean;
}

export interface ForwardOptions extends HeadOptions {
  training: boolean;
  /** The dropout masks' source; needed in training when dropout > 0 and there are 2+ layers. */
  rng?: Rng;
}

/** Why this config cannot be built, or null. Checked before any allocation. */
export function configProblem(config: NetworkConfig): string | null {
  const positiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  if (!(CELLS as readonly unknown[]).includes(config.cell)) return `cell must be ${CELLS.map((c) => `'${c}'`).join(' or ')}, got ${String(config.cell)}`;
  for (const key of ['inputSize', 'hiddenSize', 'numLayers', 'horizon'] as const) {
    if (!positiveInt(config[key])) return `${key} must be a positive integer, got ${String(config[key])}`;
  }
  const E: unknown = config.headInputs;
  if (E !== undefined && !(typeof E === 'number' && Number.isInteger(E) && E >= 0)) {
    return `headInputs must be a non-negative integer, got ${String(E)}`;
  }
  if (typeof config.bidirectional !== 'boolean') return `bidirectional must be true or false`;
  if (typeof config.dropout !== 'number' || !(config.dropout >= 0 && config.dropout < 1)) {
    return `dropout must be in [0, 1), got ${String(config.dropout)}`;
  }
  const count = countParams(config);
  if (!(count <= MAX_PARAMS)) return `the network would have ${count} parameters, more than the limit of ${MAX_PARAMS}`;
  return null;
}

/** A network with zero parameters (for import) — init is separate. */
export function allocateNetwork(config: NetworkConfig, dtype: DType): Network {
  const problem = configProblem(config);
  if (problem !== null) throw new UsageError(`invalid network: ${problem}`);
  const layout = paramLayout(config);
  return {
    config: { ...config },
    dtype,
    params: allocate(dtype, layout.total),
    grads: allocate(dtype, layout.total),
    tensors: layout.tensors,
    layout,
  };
}

export interface InitOptions {
  seed: number;
  dtype?: DType; // 'float32'
  /** 'pytorch' (nn.Linear's init) or 'zero': head weight and bias exactly 0, so the untrained network outputs 0. */
  headInit?: 'pytorch' | 'zero'; // 'pytorch'
}

/**
 * PyTorch's default initialisation from our seeded generator: every recurrent tensor
 * U(−1/√H, 1/√H); the head as nn.Linear (kaiming-uniform with a = √5, which is
 * U(−1/√fan_in, 1/√fan_in) for the weight, and the same bound for the bias; fan_in = D·H + E).
 * Drawn tensor by tensor in state_dict order, each row-major. The head comes last, so a zero
 * head leaves the recurrent weights as they would be.
 */
export function createNetwork(config: NetworkConfig, options: InitOptions): Network {
  const net = allocateNetwork(config, options.dtype ?? 'float32');
  const rng = createRng(options.seed);
  const zeroHead = options.headInit === 'zero';
  const rnnBound = 1 / Math.sqrt(config.hiddenSize);
  const headBound = 1 / Math.sqrt(directions(config) * config.hiddenSize + headInputCount(config));
  for (const tensor of net.tensors) {
    const head = tensor.name.startsWith('head.');
    if (head && zeroHead) continue; // allocated as zeros
    const bound = head ? headBound : rnnBound;
    for (let k = 0; k < tensor.size; k++) net.params[tensor.offset + k] = (2 * rng.nextFloat() - 1) * bound;
  }
  return net;
}

/** Returns the network's arena memory now (see freeArrays); it must not be used afterwards. */
export function releaseNetwork(net: Network): void {
  freeArrays(net.params, net.grads);
}

export function zeroGrads(net: Network): void {
  net.grads.fill(0);
}

function checkBatch(ws: Workspace, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > ws.batchSize) {
    throw new RangeError(`batch size ${batchSize} outside 1..${ws.batchSize} of the workspace`);
  }
}

/** Throws when a forward of B rows over T steps cannot take these head options. */
export function checkHeadOptions(config: NetworkConfig, B: number, T: number, options: HeadOptions): void {
  const everyStep = options.everyStep === true;
  if (everyStep && config.bidirectional) {
    throw new RangeError('every-step outputs need a unidirectional network: a bidirectional state at step t has already read the steps after t');
  }
  const E = headInputCount(config);
  if (E === 0) return;
  const needed = B * (everyStep ? T : 1) * E;
  if (options.headInput === undefined) throw new RangeError(`this network's head reads ${E} inputs per ${everyStep ? 'step' : 'sample'}: pass headInput`);
  if (options.headInput.length < needed) {
    throw new RangeError(`headInput holds ${options.headInput.length} values, expected ${needed} (B ${B}${everyStep ? ` × T ${T}` : ''} × E ${E})`);
  }
}

/** out (T, B, W) ← x (B, T, W): from the caller's batch-major layout to time-major. */
function toTimeMajor(out: FloatArray, x: FloatArray, B: number, T: number, W: number): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = (b * T + t) * W, dst = (t * B + b) * W;
      for (let k = 0; k < W; k++) out[dst + k] = x[src + k]!;
    }
  }
}

/** out (B, T, W) ← x (T, B, W): back to the caller's layout. */
function toBatchMajor(out: FloatArray, x: FloatArray, B: number, T: number, W: number): void {
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const src = (t * B + b) * W, dst = (b * T + t) * W;
      for (let k = 0; k < W; k++) out[dst + k] = x[src + k]!;
    }
  }
}

function layerInput(ws: Workspace, l: number): FloatArray {
  if (l === 0) return ws.x0;
  return ws.dropoutActive ? ws.layers[l]!.dropped : ws.layers[l - 1]!.out;
}

/**
 * Forward pass over input (B, T, I) row-major. Returns (B, F) — (B, T, F) with everyStep — a
 * view owned by ws that the next forward overwrites. In training with dropout > 0 the masks are
 * drawn from rng, in (layer, sample, step, unit) order.
 */
export function networkForward(net: Network, ws: Workspace, input: FloatArray, batchSize: number, options: ForwardOptions): FloatArray {
  checkBatch(ws, batchSize);
  const { config, params, layout } = net;
  const B = batchSize, T = ws.lookback, I = config.inputSize, H = config.hiddenSize;
  const D = directions(config), L = config.numLayers, F = config.horizon, DH = D * H, E = headInputCount(config);
  const GH = gateCount(config.cell) * H;
  if (input.length < B * T * I) throw new RangeError(`input holds ${input.length} values, expected ${B * T * I} (B ${B} × T ${T} × I ${I})`);
  checkHeadOptions(config, B, T, options);
  const everyStep = options.everyStep === true;
  const p = config.dropout;
  ws.dropoutActive = options.training && p > 0 && L > 1;
  if (ws.dropoutActive && options.rng === undefined) throw new RangeError('training with dropout needs an rng');
  toTimeMajor(ws.x0, input, B, T, I);
  if (E > 0) toTimeMajor(ws.headX, options.headInput!, B, everyStep ? T : 1, E);

  for (let l = 0; l < L; l++) {
    const x = layerInput(ws, l);
    const { out, cells } = ws.layers[l]!;
    for (let d = 0; d < D; d++) {
      const w = layout.cells[l]![d]!, cell = cells[d]!, wT = cell.weightsT;
      packPanels(wT.wih, params, w.wih, GH, w.layerInput);
      packPanels(wT.whh, params, w.whh, GH, H);
      for (let j = 0; j < GH; j++) wT.bias[j] = params[w.bih + j]! + params[w.bhh + j]!;
      if (config.cell === 'lstm') lstmForward(out, d * H, DH, cell, wT, x, w, d === 1, B, T, H);
      else gruForward(out, d * H, DH, cell, wT, x, params, w, d === 1, B, T, H);
    }
    if (ws.dropoutActive && l < L - 1) drawDropout(ws.layers[l]!.mask, ws.layers[l + 1]!.dropped, out, options.rng!, p, B, T, DH);
  }

  ws.usedBatch = B;
  ws.everyStep = everyStep;
  const last = ws.layers[L - 1]!.out;
  transposeHeadWeight(ws.headWT, params, layout, { R: B, DH, E, F });
  if (everyStep) {
    // One product for the head over all T·B rows.
    headForward(ws.headOut, last, 0, DH, ws.headX, ws.headWT, params, layout, { R: T * B, DH, E, F });
    toBatchMajor(ws.stepOutput, ws.headOut, B, T, F);
    return viewOf(ws.stepOutputViews, ws.stepOutput, B * T * F);
  }
  // The forward direction's final state is at the last step, the backward one's at step 0.
  const hFinal = ws.hFinal;
  for (let b = 0; b < B; b++) {
    const fwd = ((T - 1) * B + b) * DH, bwd = b * DH + H, dst = b * DH;
    for (let j = 0; j < H; j++) hFinal[dst + j] = last[fwd + j]!;
    if (D === 2) for (let j = 0; j < H; j++) hFinal[dst + H + j] = last[bwd + j]!;
  }
  headForward(ws.output, hFinal, 0, DH, ws.headX, ws.headWT, params, layout, { R: B, DH, E, F });
  return viewOf(ws.outputViews, ws.output, B * F);
}

/** Inverted dropout on a layer's output: mask and next (T, B, D·H), drawn in (sample, step, unit) order. */
function drawDropout(mask: FloatArray, next: FloatArray, out: FloatArray, rng: Rng, p: number, B: number, T: number, DH: number): void {
  const scale = 1 / (1 - p);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = (t * B + b) * DH;
      for (let j = 0; j < DH; j++) {
        const m = rng.nextFloat() < p ? 0 : scale;
        mask[row + j] = m;
        next[row + j] = out[row + j]! * m;
      }
    }
  }
}

/**
 * Backward pass for the last forward, given dOutput = ∂loss/∂output: (B, F), or (B, T, F) after
 * an everyStep forward. ADDS into net.grads and fills ws.dInput (B, T, I).
 */
export function networkBackward(net: Network, ws: Workspace, dOutput: FloatArray, batchSize: number): void {
  checkBatch(ws, batchSize);
  if (batchSize !== ws.usedBatch) throw new RangeError(`backward for batch ${batchSize} after a forward of ${ws.usedBatch}`);
  const { config, params, grads, layout } = net;
  const B = batchSize, T = ws.lookback, I = config.inputSize, H = config.hiddenSize;
  const D = directions(config), L = config.numLayers, F = config.horizon, DH = D * H, E = headInputCount(config);
  const expected = (ws.everyStep ? B * T : B) * F;
  if (dOutput.length < expected) throw new RangeError(`dOutput holds ${dOutput.length} values, expected ${expected}${ws.everyStep ? ' (B, T, F) after an every-step forward' : ' (B, F)'}`);
  let dOut = ws.dOutA, dNext = ws.dOutB;
  dOut.fill(0, 0, T * B * DH);
  if (ws.everyStep) {
    // The head's gradient reaches the output of every step at once.
    toTimeMajor(ws.headOut, dOutput, B, T, F);
    headBackward(dOut, 0, DH, grads, ws.headOut, ws.layers[L - 1]!.out, 0, ws.headX, params, layout, { R: T * B, DH, E, F }, ws.scratch.pack);
  } else {
    const dhFinal = ws.dhFinal;
    dhFinal.fill(0, 0, B * DH);
    headBackward(dhFinal, 0, DH, grads, dOutput, ws.hFinal, 0, ws.headX, params, layout, { R: B, DH, E, F }, ws.scratch.pack);
    for (let b = 0; b < B; b++) {
      const fwd = ((T - 1) * B + b) * DH, bwd = b * DH + H, src = b * DH;
      for (let j = 0; j < H; j++) dOut[fwd + j] = dhFinal[src + j]!;
      if (D === 2) for (let j = 0; j < H; j++) dOut[bwd + j] = dhFinal[src + H + j]!;
    }
  }
  for (let l = L - 1; l >= 0; l--) {
    const x = layerInput(ws, l);
    const dx = l === 0 ? ws.dx0 : dNext;
    dx.fill(0, 0, T * B * (l === 0 ? I : DH));
    const { out, cells } = ws.layers[l]!;
    for (let d = 0; d < D; d++) {
      const w = layout.cells[l]![d]!;
      if (config.cell === 'lstm') lstmBackward(dx, grads, dOut, out, d * H, DH, cells[d]!, x, params, w, ws.scratch, d === 1, B, T, H);
      else gruBackward(dx, grads, dOut, out, d * H, DH, cells[d]!, x, params, w, ws.scratch, d === 1, B, T, H);
    }
    if (l > 0) {
      if (ws.dropoutActive) {
        const mask = ws.layers[l - 1]!.mask;
        for (let k = 0; k < T * B * DH; k++) dx[k] = dx[k]! * mask[k]!;
      }
      const swap = dOut;
      dOut = dNext;
      dNext = swap;
    }
  }
  toBatchMajor(ws.dInput, ws.dx0, B, T, I);
}

/**
 * (B, F) the part of the head's output that its extra (known-future) inputs give, headInput (B, E) ·
 * W[:, D·H:]ᵀ, in float64: the forecast keeps it whole and weighs only the rest (src/train/select.ts).
 * Zeros when the head reads nothing but the hidden state.
 */
export function headExtraPart(net: Network, headInput: ArrayLike<number>, batchSize: number): Float64Array {
  const { config, params, layout } = net;
  const F = config.horizon, E = headInputCount(config), DH = directions(config) * config.hiddenSize;
  const out = new Float64Array(batchSize * F); // (B, F)
  if (E === 0) return out;
  for (let r = 0; r < batchSize; r++) {
    for (let f = 0; f < F; f++) {
      const row = layout.headWeight + f * (DH + E) + DH;
      let sum = 0;
      for (let e = 0; e < E; e++) sum += params[row + e]! * headInput[r * E + e]!;
      out[r * F + f] = sum;
    }
  }
  return out;
}
