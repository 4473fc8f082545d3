// The loss curves after training: train solid, validation dotted without colour (two colours with).
import type { EpochRecord } from '../io/model-file.js';
import { downsample, lineChart } from './chart.js';
import type { ChartStyle } from './chart.js';
import { overlayPlot } from './overlay.js';

const HEIGHT = 10;
const LABEL_WIDTH = 12;

export function lossChart(history: EpochRecord[], options: ChartStyle): string {
  const train = history.map((epoch) => epoch.trainLoss);
  const validation = history.every((epoch) => epoch.valLoss !== null) ? history.map((epoch) => epoch.valLoss ?? Number.NaN) : null;
  if (options.color) {
    const curves = validation ? [train, validation] : [train];
    const labels = validation ? ['train loss', 'validation loss'] : ['train loss'];
    return lineChart(curves, { width: options.width, height: HEIGHT, color: true, labels });
  }
  const points = Math.max(10, Math.min(options.width, 160) - LABEL_WIDTH);
  const plot = overlayPlot([downsample(train, points)], validation ? [downsample(validation, points)] : [], HEIGHT);
  return `loss by round (solid: train${validation ? ', dotted: validation' : ''})\n${plot}`;
}
