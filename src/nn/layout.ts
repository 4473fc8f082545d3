// Where each named tensor lives in the one flat parameter block. The order and the names are
// PyTorch's state_dict order for `rnn = nn.LSTM/GRU(...)` followed by `head = nn.Linear(...)`,
// so export, import and the fixtures line up with no renaming.
//
// Size legend: I input size, H hidden size, G gates (4 LSTM, 3 GRU), D directions, L layers,
// F horizon, E head inputs.

import type { CellKind } from '../options/choices.js';

export type { CellKind };

export interface NetworkConfig {
  cell: CellKind;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /** Inverted dropout probability on the outputs of every recurrent layer but the last. */
  dropout: number;
  /** Outputs of the head: steps forecast at once. */
  horizon: number;
  /**
   * Extra per-sample inputs the head reads beside the final hidden state (known-future values):
   * head = nn.Linear(D·H + E, F) on cat([hFinal, extra]). 0 when absent.
   */
  headInputs?: number;
}

export interface TensorView {
  name: string;
  shape: number[];
  /** Start in Network.params (and Network.grads). */
  offset: number;
  size: number;
}

/** Offsets of one direction of one layer's tensors in the flat block. */
export interface CellOffsets {
  wih: number; // (G·H, inputSize of the layer)
  whh: number; // (G·H, H)
  bih: number; // (G·H)
  bhh: number; // (G·H)
  layerInput: number;
}

export interface ParamLayout {
  tensors: TensorView[];
  /** cells[layer][direction] */
  cells: CellOffsets[][];
  headWeight: number; // (horizon, D·H + E)
  headBias: number; // (horizon)
  total: number;
}

export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? 4 : 3;
}

export function directions(config: NetworkConfig): number {
  return config.bidirectional ? 2 : 1;
}

/** E: the head's extra inputs (0 when the config leaves it out). */
export function headInputCount(config: NetworkConfig): number {
  return config.headInputs ?? 0;
}

/** The parameter count, computed in plain numbers so callers can refuse absurd sizes before allocating. */
export function countParams(config: NetworkConfig): number {
  const G = gateCount(config.cell);
  const H = config.hiddenSize;
  const D = directions(config);
  let total = 0;
  for (let layer = 0; layer < config.numLayers; layer++) {
    const input = layer === 0 ? config.inputSize : D * H;
    total += D * (G * H * input + G * H * H + 2 * G * H);
  }
  return total + config.horizon * (D * H + headInputCount(config)) + config.horizon;
}

export function paramLayout(config: NetworkConfig): ParamLayout {
  const G = gateCount(config.cell);
  const H = config.hiddenSize;
  const D = directions(config);
  const tensors: TensorView[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]): number => {
    const size = shape.reduce((a, b) => a * b, 1);
    tensors.push({ name, shape, offset, size });
    offset += size;
    return offset - size;
  };
  const cells: CellOffsets[][] = [];
  for (let layer = 0; layer < config.numLayers; layer++) {
    const layerInput = layer === 0 ? config.inputSize : D * H;
    const perDirection: CellOffsets[] = [];
    for (let d = 0; d < D; d++) {
      const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
      const wih = add(`rnn.weight_ih${suffix}`, [G * H, layerInput]);
      const whh = add(`rnn.weight_hh${suffix}`, [G * H, H]);
      const bih = add(`rnn.bias_ih${suffix}`, [G * H]);
      const bhh = add(`rnn.bias_hh${suffix}`, [G * H]);
      perDirection.push({ wih, whh, bih, bhh, layerInput });
    }
    cells.push(perDirection);
  }
  const headWeight = add('head.weight', [config.horizon, D * H + headInputCount(config)]);
  const headBias = add('head.bias', [config.horizon]);
  return { tensors, cells, headWeight, headBias, total: offset };
}
