// The backtest chart on standard error: for the first few series, the actuals over the tested
// span (and some history before it) with each fold's forecast drawn from its origin.
import asciichart from 'asciichart';
import { seriesTitle } from '../data/names.js';
import type { BacktestResult } from '../backtest/rolling-origin.js';
import type { ChartStyle } from './chart.js';
import { overlayPlot } from './overlay.js';

const MAX_SERIES = 3;
const LABEL_WIDTH = 13; // asciichart's 11-character labels plus the axis
const FOLD_COLORS = [asciichart.green, asciichart.blue, asciichart.red];

/** Every k-th point from `first`, the same positions for every line, so the tested span fits the terminal. */
function every(values: number[], k: number, first: number): number[] {
  if (k <= 1) return values;
  const kept: number[] = [];
  for (let i = first; i < values.length; i += k) kept.push(values[i]!);
  return kept;
}

export function backtestChart(result: BacktestResult, options: ChartStyle): string {
  const { dataset } = result;
  const plotWidth = Math.max(20, Math.min(options.width, 160) - LABEL_WIDTH);
  const out: string[] = [];
  const shown = result.cells.slice(0, MAX_SERIES);
  shown.forEach((folds, seriesIndex) => {
    const series = dataset.series[seriesIndex]!;
    const first = folds[0]!.origin;
    const last = folds[folds.length - 1]!;
    const end = last.origin + last.actual.length;
    const tested = end - first;
    // Some history before the first origin, as much as one fold's worth.
    const start = Math.max(0, first - Math.min(result.layout.horizon, Math.max(0, plotWidth - tested)));
    const span = end - start;
    const k = Math.ceil(span / plotWidth);
    const firstKept = (span - 1) % k; // so the last actual is drawn
    // The fold lines share the actuals up to their origin, so they overlap the actual line exactly there.
    const actual = Array.from(series.values.subarray(start, end));
    const lines: number[][] = [];
    const colors: (string | undefined)[] = [];
    folds.forEach((cell, index) => {
      const upToOrigin = Array.from(series.values.subarray(start, cell.origin));
      lines.push(every([...upToOrigin, ...Array.from(cell.methods.model.forecast)], k, firstKept));
      colors.push(FOLD_COLORS[index % FOLD_COLORS.length]);
    });
    lines.push(every(actual, k, firstKept));
    colors.push(asciichart.default);
    const name = seriesTitle(dataset, series.id);
    const thinned = k > 1 ? `, every ${k}th point` : '';
    const dotted = options.color ? '' : ' (solid: actuals, dotted: forecasts)';
    out.push(`${name}: actuals and the model's forecast from each of ${folds.length} origin${folds.length === 1 ? '' : 's'}${thinned}${dotted}`);
    // Without colour the fold lines would be indistinguishable from the actuals: draw them dotted.
    const plot = options.color ? asciichart.plot(lines, { height: 12, colors }) : overlayPlot(lines.slice(-1), lines.slice(0, -1), 12);
    out.push(plot, '');
  });
  if (result.cells.length > shown.length) out.push(`(${result.cells.length - shown.length} more series not drawn)`, '');
  return `${out.join('\n')}\n`;
}
