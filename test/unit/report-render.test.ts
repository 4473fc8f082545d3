import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lineChart } from '../../src/report/chart.js';
import { lossChart } from '../../src/report/loss-chart.js';
import { seriesCharts } from '../../src/report/inspect-summary.js';
import { textTable } from '../../src/report/table.js';
import { makeDataset } from '../helpers/dataset.js';
import { repoRoot } from '../helpers/exec.js';

test('textTable: the first column left-aligned, numbers right-aligned, no trailing spaces', () => {
  assert.equal(textTable([['metric', 'model', 'naive'], ['mase', '0.8*', '1.2'], ['coverage_80', '0.75', '-']], '  '),
    '  metric       model  naive\n  mase          0.8*    1.2\n  coverage_80   0.75      -');
});

test('charts take only what they draw: values and a style, colour or not', () => {
  const history = [1, 0.5, 0.25].map((trainLoss, i) => ({ epoch: i + 1, trainLoss, valLoss: trainLoss * 2 }));
  const plain = lossChart(history, { width: 60, color: false });
  assert.match(plain, /^loss by round \(solid: train, dotted: validation\)/);
  assert.doesNotMatch(plain, /\x1b\[/, 'no escape codes without colour');
  const coloured = lossChart(history, { width: 60, color: true });
  assert.match(coloured, /\x1b\[36m──\x1b\[0m train loss/, 'legend: the colour, the line, reset');
  assert.match(lineChart([[1, 2, 3]], { width: 40, color: false }), /┼|┤/);
  const many = makeDataset(Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, values: [1, 2, 3 + i] })));
  const charts = seriesCharts(many, { width: 40, color: false });
  assert.match(charts, /^\ny — id s0\n/);
  assert.match(charts, /\(charts for the first 8 of 10 series\)\n$/);
});

test('src/report renders from what it is given: it imports nothing from src/cli', () => {
  const folder = join(repoRoot, 'src', 'report');
  for (const file of readdirSync(folder)) {
    assert.doesNotMatch(readFileSync(join(folder, file), 'utf8'), /from '\.\.\/cli\//, file);
  }
});
