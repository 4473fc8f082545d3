// The model file's `weights` section: { "<state_dict name>": { shape, values (row-major) } }.
// Export writes float32 parameters as the shortest decimal that rounds back to the same float32,
// so files stay small and load(save(x)) is bit-exact. Import checks everything before trusting it.

import { DataError } from '../errors.js';
import type { DType } from './arena.js';
import { allocateNetwork, configProblem, type Network, type NetworkConfig } from './network.js';
import { paramLayout } from './layout.js';

export type WeightsJson = Record<string, { shape: number[]; values: number[] }>;

/** The shortest decimal (as a number) whose float32 rounding is x; x must already be a float32. */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  for (let digits = 1; digits < 10; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

export function exportWeights(net: Network): WeightsJson {
  const out: WeightsJson = {};
  const short = net.dtype === 'float32';
  for (const tensor of net.tensors) {
    const values = new Array<number>(tensor.size);
    for (let k = 0; k < tensor.size; k++) {
      const x = net.params[tensor.offset + k]!;
      values[k] = short ? shortestFloat32(x) : x;
    }
    out[tensor.name] = { shape: [...tensor.shape], values };
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const shapeText = (shape: readonly unknown[]): string => `[${shape.map((d) => String(d)).join(', ')}]`;

/**
 * A network from a `weights` section. Refuses (DataError naming the tensor) a missing or extra
 * tensor, a wrong shape or value count, and any value that is not a finite number; refuses an
 * insane config before allocating anything.
 */
export function importWeights(config: NetworkConfig, weights: unknown, dtype: DType = 'float32'): Network {
  const problem = configProblem(config);
  if (problem !== null) throw new DataError(`model config: ${problem}`);
  if (!isRecord(weights)) throw new DataError('weights: expected an object of named tensors');
  const layout = paramLayout(config);
  const expected = new Set(layout.tensors.map((t) => t.name));
  for (const key of Object.keys(weights)) {
    if (!expected.has(key)) {
      throw new DataError(`weights: unexpected tensor '${key}' for a ${config.numLayers}-layer ${config.bidirectional ? 'bidirectional ' : ''}${config.cell.toUpperCase()}`);
    }
  }
  const net = allocateNetwork(config, dtype);
  for (const tensor of layout.tensors) {
    const name = tensor.name;
    if (!Object.prototype.hasOwnProperty.call(weights, name)) {
      throw new DataError(`weights: tensor '${name}' is missing (expected shape ${shapeText(tensor.shape)})`);
    }
    const entry = weights[name];
    if (!isRecord(entry) || !Array.isArray(entry['shape']) || !Array.isArray(entry['values'])) {
      throw new DataError(`weights: tensor '${name}' must be an object with 'shape' and 'values' arrays`);
    }
    const shape = entry['shape'] as unknown[];
    if (shape.length !== tensor.shape.length || shape.some((d, i) => d !== tensor.shape[i])) {
      throw new DataError(`weights: tensor '${name}' has shape ${shapeText(shape)}, expected ${shapeText(tensor.shape)}`);
    }
    const values = entry['values'] as unknown[];
    if (values.length !== tensor.size) {
      throw new DataError(`weights: tensor '${name}' has ${values.length} values, expected ${tensor.size} for shape ${shapeText(tensor.shape)}`);
    }
    for (let k = 0; k < tensor.size; k++) {
      const v = values[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new DataError(`weights: tensor '${name}' value ${k} is not a finite number (${JSON.stringify(v) ?? String(v)})`);
      }
      net.params[tensor.offset + k] = v;
    }
  }
  return net;
}
