// Property: a model file round-trips bit-exactly. Any network shape, any float32 weights
// (tiny, huge, subnormal), any scalers and calibration: exportWeights → serializeModel → atomic
// write → readModelFile (validateModel) → importWeights gives the same bits, and the document
// written again is the same document.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { MODEL_FORMAT, MODEL_VERSION, readModelFile, serializeModel, validateModel } from '../../src/io/model-file.js';
import type { ModelFile } from '../../src/io/model-file.js';
import { createNetwork } from '../../src/nn/network.js';
import type { NetworkConfig } from '../../src/nn/network.js';
import { exportWeights, importWeights } from '../../src/nn/serialize.js';

const folder = mkdtempSync(join(tmpdir(), 'rnncast-property-model-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** The raw bits of a float32 array (its own elements only: arena arrays share one buffer). */
const bits = (x: Float32Array | Float64Array): Uint32Array => new Uint32Array(x.buffer, x.byteOffset, x.byteLength / 4);

// JSON has no -0 (JSON.stringify(-0) is "0"): the one value a model file cannot keep bit-exact,
// and one that computes the same. Everything else must come back with the same bits.
const notMinusZero = (x: number): boolean => !Object.is(x, -0);
const finiteFloat32 = fc.float({ noNaN: true, noDefaultInfinity: true }).filter(notMinusZero);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).filter(notMinusZero);

const modelCase = fc.record({
  network: fc.record({
    cell: fc.constantFrom<NetworkConfig['cell']>('lstm', 'gru'),
    inputSize: fc.integer({ min: 1, max: 3 }),
    hiddenSize: fc.integer({ min: 1, max: 6 }),
    numLayers: fc.integer({ min: 1, max: 2 }),
    bidirectional: fc.boolean(),
    dropout: fc.constantFrom(0, 0.25),
    horizon: fc.integer({ min: 1, max: 4 }),
  }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  // Weights overwritten at random places with any float32, subnormals and extremes included.
  overwrites: fc.array(fc.tuple(fc.nat(), finiteFloat32), { maxLength: 20 }),
  ids: fc.uniqueArray(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 }),
  names: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }).filter((name) => !['__proto__', 'constructor', 'prototype'].includes(name)), { minLength: 3, maxLength: 3 }),
  // Scalers are float32-range numbers: the loader refuses anything beyond (65).
  center: fc.double({ min: -3.4e38, max: 3.4e38, noNaN: true }).filter(notMinusZero),
  scale: fc.double({ min: 1e-30, max: 3.4e38, noNaN: true }),
  lastValue: finite,
  residuals: fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 12 }),
  transform: fc.constantFrom<ModelFile['data']['transform']>('auto', 'none', 'log', 'diff', 'seasonal-diff'),
  baseline: fc.constantFrom<ModelFile['data']['baseline']>('none', 'naive', 'drift', 'seasonal', 'two-season'),
  log: fc.boolean(),
  method: fc.constantFrom<ModelFile['data']['series'][number]['method']>('model', 'naive', 'seasonal_naive', 'drift'),
  stoppedBy: fc.constantFrom<ModelFile['training']['stoppedBy']>('early-stopping', 'max-epochs', 'interrupted', 'diverged'),
});

type ModelCase = typeof modelCase extends fc.Arbitrary<infer T> ? T : never;

function modelOf(c: ModelCase, weights: ModelFile['weights']): ModelFile {
  const names = c.names.slice(0, c.network.inputSize);
  const inputs = [`${names[0]}:level`, ...names.slice(1)];
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    created: '2026-01-01T00:00:00.000Z',
    rnncast: '0.0.0-property',
    config: {
      cell: c.network.cell, hiddenSize: c.network.hiddenSize, numLayers: c.network.numLayers, bidirectional: c.network.bidirectional,
      dropout: c.network.dropout, lookback: 5, horizon: c.network.horizon, inputs, loss: 'huber', optimizer: 'adamw', lr: 0.003,
      weightDecay: 0.01, batchSize: 16, epochs: 9, steps: 900, maxTime: null, patience: 3, minDelta: 0.0001, clipNorm: 1, clipValue: null, valSize: 0.2,
      scale: 'standard', ensemble: 1, fallback: 'auto', forking: false, calendar: true, headInputs: [],
    },
    data: {
      timeColumn: 'time', target: names[0]!, features: names.slice(1), futureFeatures: [], idColumn: c.ids.length > 1 ? 'id' : null, freq: 'D', season: 7,
      transform: c.transform, baseline: c.baseline, baseSeason: c.baseline === 'seasonal' || c.baseline === 'two-season' ? 7 : 1, calendar: [], headCalendar: false, correctionWeight: 0.5, why: null,
      timeStyle: { kind: 'date', offsetMinutes: null, zulu: false, separator: 'T', seconds: false, fractionDigits: 0 },
      series: c.ids.map((id, s) => ({
        id, lastTime: '2020-01-31', lastValue: c.lastValue, rows: 40 + s, log: c.log, center: c.center, scale: c.scale, nonNegative: false,
        method: c.method, validation: { model: 1.5, naive: 2, seasonal_naive: 0.25, drift: 3 },
        scaler: { kind: 'standard', inputs: names.slice(1).map((name, i) => ({ name, center: c.center + i, scale: c.scale })) },
      })),
      fingerprint: { sha256: 'ab'.repeat(32), rows: 123 },
    },
    weights,
    ensembleWeights: [],
    training: {
      epochs: 9, bestEpoch: 4, steps: 90, stoppedBy: c.stoppedBy,
      history: [{ epoch: 1, step: 10, trainLoss: 0.5, valLoss: null }, { epoch: 2, step: 20, trainLoss: 0.25, valLoss: 0.125 }],
      seed: c.seed, seconds: 1.5,
      members: [{ seed: c.seed, rounds: 9, bestEpoch: 4, steps: 90, stoppedBy: c.stoppedBy, initialLoss: 0.5, bestLoss: 0.25 }],
    },
    calibration: {
      method: 'split-conformal', space: 'normalized', windows: c.residuals.length,
      residuals: Array.from({ length: c.network.horizon }, () => [...c.residuals].sort((a, b) => a - b)),
      rms: Array.from({ length: c.network.horizon }, () => 0.5),
    },
  };
}

test('model files round-trip bit-exactly: weights, scalers, calibration, the whole document', () => {
  let count = 0;
  fc.assert(
    fc.property(modelCase, (c) => {
      const net = createNetwork(c.network, { seed: c.seed, dtype: 'float32' });
      for (const [at, value] of c.overwrites) net.params[at % net.params.length] = value;
      const model = modelOf(c, exportWeights(net));
      const path = join(folder, `model-${count++}.json`);
      writeFileAtomic(path, serializeModel(model));
      const loaded = readModelFile(path);
      const back = importWeights({ ...c.network, inputSize: loaded.config.inputs.length }, loaded.weights, 'float32');
      assert.deepEqual(bits(back.params), bits(net.params), 'weights: the same bits');
      // Every number in the document survives text, not only the weights.
      assert.deepEqual(loaded, validateModel(JSON.parse(JSON.stringify(model)), path));
      assert.deepEqual(loaded.data.series.map((s) => s.scaler.inputs.map((i) => [i.center, i.scale])), model.data.series.map((s) => s.scaler.inputs.map((i) => [i.center, i.scale])));
      assert.equal(loaded.data.series[0]!.lastValue, c.lastValue);
      // Written again, the same text: nothing is lost or reordered by a load.
      assert.equal(serializeModel(loaded), readFileSync(path, 'utf8'));
    }),
    { seed: 42, numRuns: 150 },
  );
});
