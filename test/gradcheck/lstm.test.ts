// Finite-difference gradient checks of the LSTM network: every parameter tensor and the input,
// 1 and 2 layers, uni- and bidirectional, each loss, and with dropout held fixed.
import { testGradchecks, type GradcheckCase } from './check.js';

const cases: GradcheckCase[] = [];
for (const numLayers of [1, 2]) {
  for (const bidirectional of [false, true]) {
    for (const loss of ['mse', 'mae', 'huber', 'quantile'] as const) cases.push({ cell: 'lstm', numLayers, bidirectional, loss });
    cases.push({ cell: 'lstm', numLayers, bidirectional, loss: 'mse', dropout: 0.3 });
  }
}

testGradchecks(cases);
