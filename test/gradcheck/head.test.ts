// Finite-difference gradient checks of the head's two extensions, for both cells, 1 and 2 layers
// (with dropout between them): known-future head inputs (the head weight's extra columns), and
// the head applied at every step (forking sequences), alone and together.
import { testGradchecks, type GradcheckCase } from './check.js';

const cases: GradcheckCase[] = [];
for (const cell of ['lstm', 'gru'] as const) {
  for (const numLayers of [1, 2]) {
    const dropout = numLayers > 1 ? 0.3 : 0;
    cases.push({ cell, numLayers, bidirectional: false, loss: 'mse', headInputs: 2, dropout });
    cases.push({ cell, numLayers, bidirectional: true, loss: 'huber', headInputs: 3 });
    cases.push({ cell, numLayers, bidirectional: false, loss: 'mse', everyStep: true, dropout });
    cases.push({ cell, numLayers, bidirectional: false, loss: 'quantile', headInputs: 2, everyStep: true, dropout });
  }
}

testGradchecks(cases);
