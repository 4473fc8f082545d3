// Weights export/import: bit-exact round trips through JSON text, and every refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/errors.js';
import { createNetwork, type NetworkConfig } from '../../src/nn/network.js';
import { exportWeights, importWeights, shortestFloat32 } from '../../src/nn/serialize.js';

/** The raw bits of a float32 array (its own elements only: arena arrays share one buffer). */
const bits = (x: Float32Array | Float64Array): Uint32Array => new Uint32Array(x.buffer, x.byteOffset, x.byteLength / 4);

const config: NetworkConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, dropout: 0, horizon: 4 };

test('float32 round trip through JSON text is bit-exact, with short numbers', () => {
  const net = createNetwork(config, { seed: 1, dtype: 'float32' });
  const text = JSON.stringify(exportWeights(net));
  const back = importWeights(config, JSON.parse(text), 'float32');
  assert.deepEqual(bits(back.params), bits(net.params));
  // No value needs more than 9 significant digits.
  const longest = Math.max(...(text.match(/-?\d\.?\d*(e-?\d+)?/g) ?? []).map((s) => s.replace(/^-?0?\.?0*/, '').replace(/e.*$/, '').replace('.', '').length));
  assert.ok(longest <= 9, `longest mantissa ${longest}`);
});

test('float64 round trip is bit-exact', () => {
  const net = createNetwork({ ...config, cell: 'gru', bidirectional: false }, { seed: 2, dtype: 'float64' });
  const back = importWeights(net.config, JSON.parse(JSON.stringify(exportWeights(net))), 'float64');
  assert.deepEqual(back.params, net.params);
});

test('shortestFloat32 picks the shortest decimal that rounds back', () => {
  assert.equal(shortestFloat32(Math.fround(0.1)), 0.1);
  assert.equal(shortestFloat32(Math.fround(-1.5e-7)), -1.5e-7);
  assert.equal(shortestFloat32(0), 0);
  for (let k = 0; k < 1000; k++) {
    const x = Math.fround(Math.sin(k) * 10 ** ((k % 20) - 10));
    assert.equal(Math.fround(shortestFloat32(x)), x);
  }
});

test('exported names and shapes follow the PyTorch state_dict', () => {
  const w = exportWeights(createNetwork(config, { seed: 1 }));
  assert.deepEqual(Object.keys(w).slice(0, 8), [
    'rnn.weight_ih_l0', 'rnn.weight_hh_l0', 'rnn.bias_ih_l0', 'rnn.bias_hh_l0',
    'rnn.weight_ih_l0_reverse', 'rnn.weight_hh_l0_reverse', 'rnn.bias_ih_l0_reverse', 'rnn.bias_hh_l0_reverse',
  ]);
  assert.deepEqual(w['rnn.weight_ih_l0']!.shape, [12, 2]);
  assert.deepEqual(w['rnn.weight_ih_l1']!.shape, [12, 6]);
  assert.deepEqual(w['head.weight']!.shape, [4, 6]);
  assert.deepEqual(w['head.bias']!.shape, [4]);
  assert.equal(Object.keys(w).length, 18);
});

function rejects(weights: unknown, pattern: RegExp, cfg: NetworkConfig = config): void {
  assert.throws(() => importWeights(cfg, weights), (e: unknown) => e instanceof DataError && pattern.test(e.message));
}

test('importWeights refuses bad weights, naming the tensor', () => {
  const good = (): Record<string, { shape: unknown; values: unknown[] }> => exportWeights(createNetwork(config, { seed: 1 }));
  let w = good();
  delete w['rnn.bias_hh_l1_reverse'];
  rejects(w, /'rnn\.bias_hh_l1_reverse' is missing \(expected shape \[12\]\)/);
  w = good();
  w['rnn.weight_ih_l0'] = { shape: [2, 12], values: w['rnn.weight_ih_l0']!.values };
  rejects(w, /'rnn\.weight_ih_l0' has shape \[2, 12\], expected \[12, 2\]/);
  w = good();
  w['head.bias']!.values.pop();
  rejects(w, /'head\.bias' has 3 values, expected 4/);
  w = good();
  w['head.weight']!.values[5] = 'x';
  rejects(w, /'head\.weight' value 5 is not a finite number/);
  w = good();
  w['head.weight']!.values[0] = null;
  rejects(w, /'head\.weight' value 0/);
  w = good();
  (w as Record<string, unknown>)['rnn.weight_ih_l2'] = { shape: [1], values: [0] };
  rejects(w, /unexpected tensor 'rnn\.weight_ih_l2'/);
  w = good();
  (w as Record<string, unknown>)['head.weight'] = [1, 2];
  rejects(w, /'head\.weight' must be an object/);
  rejects(null, /expected an object/);
  rejects([], /expected an object/);
  // A JSON NaN cannot exist, but a non-finite number from elsewhere can.
  w = good();
  w['head.bias']!.values[0] = Infinity;
  rejects(w, /'head\.bias' value 0 is not a finite number/);
});

test('importWeights refuses an absurd config before allocating', () => {
  rejects({}, /more than the limit/, { ...config, hiddenSize: 1e9 });
  rejects({}, /hiddenSize must be a positive integer/, { ...config, hiddenSize: 2.5 });
  rejects({}, /numLayers must be a positive integer/, { ...config, numLayers: 0 });
  rejects({}, /dropout must be in \[0, 1\)/, { ...config, dropout: 1 });
  rejects({}, /cell must be/, { ...config, cell: 'rnn' as 'lstm' });
});
