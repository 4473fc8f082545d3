// Finite-difference gradient checks of the LSTM network: every parameter tensor and the input,
// 1 and 2 layers, uni- and bidirectional, each loss, and with dropout held fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseName, gradcheck, GRADCHECK_TOLERANCE, type GradcheckCase } from './check.js';

const cases: GradcheckCase[] = [];
for (const numLayers of [1, 2]) {
  for (const bidirectional of [false, true]) {
    for (const loss of ['mse', 'mae', 'huber', 'quantile'] as const) cases.push({ cell: 'lstm', numLayers, bidirectional, loss });
    cases.push({ cell: 'lstm', numLayers, bidirectional, loss: 'mse', dropout: 0.3 });
  }
}

for (const c of cases) {
  test(`gradcheck ${caseName(c)}`, () => {
    const { errors, worst } = gradcheck(c);
    console.log(`${caseName(c)}: max relative error ${worst.toExponential(2)}`);
    for (const [name, error] of Object.entries(errors)) {
      assert.ok(error <= GRADCHECK_TOLERANCE, `${name}: relative error ${error} > ${GRADCHECK_TOLERANCE}`);
    }
  });
}
