// The whole network: a stack of LSTM or GRU layers (each one or two directions) and a linear
// head on the final hidden state. All parameters live in ONE flat block with named views in
// PyTorch's state_dict order; the gradients use the same layout, so the optimizer, clipping
// and serialization are flat loops.
//
// Size legend: B batch, T steps (lookback), I input size, H hidden size, D directions,
// L layers, G gates (4 LSTM, 3 GRU), F horizon (head outputs), E head inputs (known-future values).
// The caller's input is (B, T, I) batch-major; inside, buffers are time-major (T, B, ·) so the
// rows of one step are contiguous for the per-step matrix product.

import { UsageError } from '../errors.js';
import { transposeInto, type FloatArray } from './gemm.js';
import { gruBackward, gruForward, type GruActivations } from './gru.js';
import { headBackward, headForward, transposeHeadWeight } from './head.js';
import {
  countParams, directions, gateCount, headInputCount, paramLayout,
  type CellKind, type NetworkConfig, type ParamLayout, type TensorView,
} from './layout.js';
import { lstmBackward, lstmForward, type BackwardScratch, type LstmActivations, type TransposedWeights } from './lstm.js';
import { createRng, type Rng } from './rng.js';
import { arenaFloat32 } from './wasm.js';

export type { CellKind, NetworkConfig, TensorView, FloatArray };
export type DType = 'float32' | 'float64';

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

export interface Workspace {
  batchSize: number; // capacity in samples
  lookback: number; // T
  dInput: FloatArray; // (B, T, I) gradient w.r.t. the input, filled by networkBackward
  // Everything below is internal to forward/backward.
  x0: FloatArray; // (T, B, I) the input, time-major
  dx0: FloatArray; // (T, B, I)
  layerOut: FloatArray[]; // [L] (T, B, D·H) output of each layer, directions side by side
  dropped: FloatArray[]; // [L] (T, B, D·H) input of layer l (l ≥ 1) after dropout; [0] unused
  masks: FloatArray[]; // [L] (T, B, D·H) dropout mask of layer l's output (0 or 1/(1-p)); last unused
  weightsT: TransposedWeights[][]; // [L][D] refreshed each forward
  lstm: LstmActivations[][]; // [L][D]
  gru: GruActivations[][]; // [L][D]
  scratch: BackwardScratch;
  dOutA: FloatArray; // (T, B, D·H) gradient w.r.t. a layer's output (ping)
  dOutB: FloatArray; // (T, B, D·H) (pong)
  hFinal: FloatArray; // (B, D·H) forward final ‖ backward final
  dhFinal: FloatArray; // (B, D·H)
  headWT: FloatArray; // (D·H + E, F) head.weightᵀ, refreshed each forward
  headX: FloatArray; // (B, E) the head inputs of the last forward, or (T, B, E) time-major with everyStep
  headOut: FloatArray; // (T, B, F) every-step head output, time-major; its gradient in backward. Unidirectional only
  output: FloatArray; // (B, F)
  stepOutput: FloatArray; // (B, T, F) every-step output. Unidirectional only
  seqOut: FloatArray; // (B, T, D·H) filled on demand by sequenceOutput
  usedBatch: number; // rows of the last forward
  dropoutActive: boolean; // whether the last forward applied dropout
  everyStep: boolean; // whether the last forward applied the head at every step
  outputViews: Map<number, FloatArray>; // cached views of output per used length
  stepOutputViews: Map<number, FloatArray>; // cached views of stepOutput per used length
  seqOutViews: Map<number, FloatArray>; // cached views of seqOut per used length
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
  if (config.cell !== 'lstm' && config.cell !== 'gru') return `cell must be 'lstm' or 'gru', got ${String(config.cell)}`;
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

/**
 * A zeroed array. float32 arrays go into the WebAssembly kernel's memory when it is available
 * (`kernel` false: a plain array, for buffers handed to callers as views).
 */
export function allocate(dtype: DType, length: number, kernel = true): FloatArray {
  if (dtype === 'float64') return new Float64Array(length);
  return (kernel ? arenaFloat32(length) : null) ?? new Float32Array(length);
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

export function zeroGrads(net: Network): void {
  net.grads.fill(0);
}

export function createWorkspace(net: Network, batchSize: number, lookback: number): Workspace {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(lookback) || lookback < 1) throw new RangeError(`lookback must be a positive integer, got ${lookback}`);
  const { config, dtype } = net;
  const B = batchSize, T = lookback, I = config.inputSize, H = config.hiddenSize;
  const D = directions(config), L = config.numLayers, G = gateCount(config.cell), F = config.horizon;
  const E = headInputCount(config);
  const steps = D === 1 ? T : 0; // every-step outputs: unidirectional networks only
  const f = (n: number): FloatArray => allocate(dtype, n);
  const empty = f(0);
  const layerOut: FloatArray[] = [], dropped: FloatArray[] = [], masks: FloatArray[] = [];
  const lstm: LstmActivations[][] = [], gru: GruActivations[][] = [];
  const weightsT: TransposedWeights[][] = [];
  const useDropout = config.dropout > 0 && L > 1;
  for (let l = 0; l < L; l++) {
    layerOut.push(f(T * B * D * H));
    dropped.push(useDropout && l > 0 ? f(T * B * D * H) : empty);
    masks.push(useDropout && l < L - 1 ? f(T * B * D * H) : empty);
    const perL: LstmActivations[] = [], perG: GruActivations[] = [];
    const inputWidth = l === 0 ? I : D * H;
    weightsT.push(Array.from({ length: D }, () => ({ wih: f(inputWidth * G * H), whh: f(H * G * H), bias: f(G * H) })));
    for (let d = 0; d < D; d++) {
      if (config.cell === 'lstm') perL.push({ gates: f(T * B * 4 * H), c: f(T * B * H), tanhC: f(T * B * H) });
      else perG.push({ gates: f(T * B * 3 * H), hn: f(T * B * H), hGates: f(B * 3 * H) });
    }
    lstm.push(perL);
    gru.push(perG);
  }
  return {
    batchSize: B,
    lookback: T,
    dInput: f(B * T * I),
    x0: f(T * B * I),
    dx0: f(T * B * I),
    layerOut, dropped, masks, weightsT, lstm, gru,
    scratch: {
      dBias: f(G * H),
      dGates: f(T * B * G * H),
      dHGates: config.cell === 'gru' ? f(T * B * G * H) : empty,
      dh: f(B * H),
      dhRec: f(B * H),
      dc: f(B * H),
    },
    dOutA: f(T * B * D * H),
    dOutB: f(T * B * D * H),
    hFinal: f(B * D * H),
    dhFinal: f(B * D * H),
    headWT: f((D * H + E) * F),
    headX: f(Math.max(1, steps) * B * E),
    headOut: f(steps * B * F),
    output: allocate(dtype, B * F, false), // handed out as views: plain memory
    stepOutput: allocate(dtype, B * steps * F, false),
    seqOut: allocate(dtype, B * T * D * H, false),
    usedBatch: 0,
    dropoutActive: false,
    everyStep: false,
    outputViews: new Map(),
    stepOutputViews: new Map(),
    seqOutViews: new Map(),
  };
}

/** A cached view of the first `length` elements (allocated once per distinct length, so forward allocates nothing). */
function view(cache: Map<number, FloatArray>, array: FloatArray, length: number): FloatArray {
  let v = cache.get(length);
  if (v === undefined) {
    v = array.subarray(0, length);
    cache.set(length, v);
  }
  return v;
}

function checkBatch(ws: Workspace, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > ws.batchSize) {
    throw new RangeError(`batch size ${batchSize} outside 1..${ws.batchSize} of the workspace`);
  }
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
  if (input.length < B * T * I) throw new RangeError(`input holds ${input.length} values, expected ${B * T * I} (B ${B} × T ${T} × I ${I})`);
  checkHeadOptions(config, B, T, options);
  const everyStep = options.everyStep === true;
  if (E > 0) copyHeadInput(ws.headX, options.headInput!, B, T, E, everyStep);
  const x0 = ws.x0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = (b * T + t) * I, dst = (t * B + b) * I;
      for (let i = 0; i < I; i++) x0[dst + i] = input[src + i]!;
    }
  }
  const p = config.dropout;
  ws.dropoutActive = options.training && p > 0 && L > 1;
  if (ws.dropoutActive && options.rng === undefined) throw new RangeError('training with dropout needs an rng');
  const scale = 1 / (1 - p);
  const G = gateCount(config.cell) * H;
  for (let l = 0; l < L; l++) {
    const x = layerInput(ws, l);
    const out = ws.layerOut[l]!;
    for (let d = 0; d < D; d++) {
      const w = layout.cells[l]![d]!;
      const wT = ws.weightsT[l]![d]!;
      transposeInto(wT.wih, 0, params, w.wih, w.layerInput, G, w.layerInput);
      transposeInto(wT.whh, 0, params, w.whh, H, G, H);
      for (let j = 0; j < G; j++) wT.bias[j] = params[w.bih + j]! + params[w.bhh + j]!;
      if (config.cell === 'lstm') lstmForward(out, d * H, DH, ws.lstm[l]![d]!, x, params, w, wT, d === 1, B, T, H);
      else gruForward(out, d * H, DH, ws.gru[l]![d]!, x, params, w, wT, d === 1, B, T, H);
    }
    if (ws.dropoutActive && l < L - 1) {
      const rng = options.rng!;
      const mask = ws.masks[l]!, next = ws.dropped[l + 1]!;
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
  }
  ws.usedBatch = B;
  ws.everyStep = everyStep;
  const last = ws.layerOut[L - 1]!;
  transposeHeadWeight(ws.headWT, params, layout, { R: B, DH, E, F });
  if (everyStep) {
    // One product for the head over all T·B rows, then (T, B, F) → (B, T, F).
    headForward(ws.headOut, last, 0, DH, ws.headX, ws.headWT, params, layout, { R: T * B, DH, E, F });
    const stepOutput = ws.stepOutput;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const src = (t * B + b) * F, dst = (b * T + t) * F;
        for (let f = 0; f < F; f++) stepOutput[dst + f] = ws.headOut[src + f]!;
      }
    }
    return view(ws.stepOutputViews, stepOutput, B * T * F);
  }
  // The forward direction's final state is at the last step, the backward one's at step 0.
  const hFinal = ws.hFinal;
  for (let b = 0; b < B; b++) {
    const fwd = ((T - 1) * B + b) * DH, bwd = b * DH + H, dst = b * DH;
    for (let j = 0; j < H; j++) hFinal[dst + j] = last[fwd + j]!;
    if (D === 2) for (let j = 0; j < H; j++) hFinal[dst + H + j] = last[bwd + j]!;
  }
  headForward(ws.output, hFinal, 0, DH, ws.headX, ws.headWT, params, layout, { R: B, DH, E, F });
  return view(ws.outputViews, ws.output, B * F);
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

/** headX ← the head inputs: (B, E) as given, or (B, T, E) → (T, B, E) with everyStep. */
function copyHeadInput(headX: FloatArray, headInput: FloatArray, B: number, T: number, E: number, everyStep: boolean): void {
  if (!everyStep) {
    for (let k = 0; k < B * E; k++) headX[k] = headInput[k]!;
    return;
  }
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = (b * T + t) * E, dst = (t * B + b) * E;
      for (let e = 0; e < E; e++) headX[dst + e] = headInput[src + e]!;
    }
  }
}

function layerInput(ws: Workspace, l: number): FloatArray {
  if (l === 0) return ws.x0;
  return ws.dropoutActive ? ws.dropped[l]! : ws.layerOut[l - 1]!;
}

/** The last layer's full output sequence (B, T, D·H) of the last forward; a view owned by ws. */
export function sequenceOutput(ws: Workspace): FloatArray {
  const B = ws.usedBatch, T = ws.lookback;
  const last = ws.layerOut[ws.layerOut.length - 1]!;
  const DH = last.length / (T * ws.batchSize);
  const seq = ws.seqOut;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = (t * B + b) * DH, dst = (b * T + t) * DH;
      for (let j = 0; j < DH; j++) seq[dst + j] = last[src + j]!;
    }
  }
  return view(ws.seqOutViews, seq, B * T * DH);
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
    // (B, T, F) → (T, B, F), then the head's gradient reaches the output of every step at once.
    const dHead = ws.headOut;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const src = (b * T + t) * F, dst = (t * B + b) * F;
        for (let f = 0; f < F; f++) dHead[dst + f] = dOutput[src + f]!;
      }
    }
    headBackward(dOut, 0, DH, grads, dHead, ws.layerOut[L - 1]!, 0, ws.headX, params, layout, { R: T * B, DH, E, F });
  } else {
    const dhFinal = ws.dhFinal;
    dhFinal.fill(0, 0, B * DH);
    headBackward(dhFinal, 0, DH, grads, dOutput, ws.hFinal, 0, ws.headX, params, layout, { R: B, DH, E, F });
    for (let b = 0; b < B; b++) {
      const fwd = ((T - 1) * B + b) * DH, bwd = b * DH + H, src = b * DH;
      for (let j = 0; j < H; j++) dOut[fwd + j] = dhFinal[src + j]!;
      if (D === 2) for (let j = 0; j < H; j++) dOut[bwd + j] = dhFinal[src + H + j]!;
    }
  }
  for (let l = L - 1; l >= 0; l--) {
    const x = layerInput(ws, l);
    const dx = l === 0 ? ws.dx0 : dNext;
    const inWidth = l === 0 ? I : DH;
    dx.fill(0, 0, T * B * inWidth);
    const out = ws.layerOut[l]!;
    for (let d = 0; d < D; d++) {
      const w = layout.cells[l]![d]!;
      if (config.cell === 'lstm') {
        lstmBackward(dx, grads, dOut, out, d * H, DH, ws.lstm[l]![d]!, x, params, w, ws.scratch, d === 1, B, T, H);
      } else {
        gruBackward(dx, grads, dOut, out, d * H, DH, ws.gru[l]![d]!, x, params, w, ws.scratch, d === 1, B, T, H);
      }
    }
    if (l > 0 && ws.dropoutActive) {
      const mask = ws.masks[l - 1]!;
      for (let k = 0; k < T * B * DH; k++) dx[k] = dx[k]! * mask[k]!;
    }
    if (l > 0) {
      const swap = dOut;
      dOut = dNext;
      dNext = swap;
    }
  }
  const dx0 = ws.dx0, dInput = ws.dInput;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = (t * B + b) * I, dst = (b * T + t) * I;
      for (let i = 0; i < I; i++) dInput[dst + i] = dx0[src + i]!;
    }
  }
}
