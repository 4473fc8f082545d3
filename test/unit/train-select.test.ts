// The correction weight (src/train/select.ts): the least-squares weight of the network's output
// against the validation targets, shrunk by the evidence — counted per series, not per panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitFrame, windowRefs } from '../../src/data/prepare.js';
import { correctionWeight, EVIDENCE_HALF } from '../../src/train/select.js';
import { pipelineSpec } from '../helpers/spec.js';
import { makeDataset } from '../helpers/dataset.js';

const spec = pipelineSpec({ lookback: 4 });
const values = Array.from({ length: 60 }, (_, t) => 10 + 3 * Math.sin(t / 2) + (t % 3));

test('correctionWeight by hand: the clamped least-squares weight times n / (n + EVIDENCE_HALF), n windows over the horizon', () => {
  const dataset = makeDataset([{ values }]);
  const frames = [fitFrame(dataset.series[0]!, false, spec, dataset, 0.3)];
  const refs = windowRefs(frames, 'val', spec.horizon);
  const { scale } = frames[0]!.state;
  // Outputs half of each target's correction, plus a little noise: the fitted weight is about 2.
  const outputs = new Float64Array(refs.count * 2);
  let cross = 0;
  let squares = 0;
  for (let k = 0; k < refs.count; k++) {
    for (let h = 0; h < 2; h++) {
      const origin = refs.origin[k]!;
      const target = (values[origin + h]! - values[origin - 1]!) / scale;
      const output = 0.5 * target + 0.01 * Math.cos(k + h);
      outputs[k * 2 + h] = output;
      cross += target * output;
      squares += output * output;
    }
  }
  const future = new Float64Array(outputs.length);
  const n = refs.count / 2;
  assert.ok(cross / squares > 1, 'the fit is clamped to 1');
  assert.equal(correctionWeight({ outputs, future }, frames, spec, refs), n / (n + EVIDENCE_HALF));
  // Outputs four times as large: the least-squares weight (below 1 now), then shrunk.
  const doubled = outputs.map((output) => 4 * output);
  const weight = correctionWeight({ outputs: doubled, future }, frames, spec, refs);
  assert.ok(Math.abs(weight - (cross / (4 * squares)) * (n / (n + EVIDENCE_HALF))) < 1e-12);
});

test('correctionWeight: a panel of two copies of a series keeps the weight of the series alone', () => {
  const single = makeDataset([{ values }]);
  const pair = makeDataset([{ id: 'a', values }, { id: 'b', values }]);
  const oneFrame = [fitFrame(single.series[0]!, false, spec, single, 0.3)];
  const twoFrames = pair.series.map((series) => fitFrame(series, false, spec, pair, 0.3));
  const oneRefs = windowRefs(oneFrame, 'val', spec.horizon);
  const twoRefs = windowRefs(twoFrames, 'val', spec.horizon);
  assert.equal(twoRefs.count, 2 * oneRefs.count);
  const outputs = Float64Array.from({ length: oneRefs.count * 2 }, (_, i) => 0.1 * Math.sin(i));
  const both = new Float64Array(outputs.length * 2);
  both.set(outputs);
  both.set(outputs, outputs.length);
  const one = correctionWeight({ outputs, future: new Float64Array(outputs.length) }, oneFrame, spec, oneRefs);
  const two = correctionWeight({ outputs: both, future: new Float64Array(both.length) }, twoFrames, spec, twoRefs);
  assert.ok(one > 0 && one < 1);
  assert.ok(Math.abs(one - two) < 1e-12, `${one} vs ${two}`);
});
