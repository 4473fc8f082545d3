// The forecast chart on standard error: the last part of each series, its forecast, and the
// widest interval band, for the first few series of a file.
import asciichart from 'asciichart';
import type { CommandContext } from '../cli/context.js';
import type { Dataset } from '../data/types.js';
import type { SeriesForecast } from '../forecast/predict.js';

const MAX_SERIES = 3;
const LABEL_WIDTH = 13; // asciichart's default 11-character labels plus the axis

/** Continues `history` with `tail`: asciichart draws whole lines, so shared prefixes overlap exactly. */
function extend(history: number[], tail: ArrayLike<number>): number[] {
  return [...history, ...Array.from(tail)];
}

export function forecastChart(dataset: Dataset, forecasts: SeriesForecast[], context: CommandContext): string {
  const shown = forecasts.slice(0, MAX_SERIES);
  const plotWidth = Math.max(20, Math.min(context.columns, 160) - LABEL_WIDTH);
  const out: string[] = [];
  for (const forecast of shown) {
    const series = dataset.series.find((candidate) => candidate.id === forecast.id);
    if (!series) continue;
    const horizon = forecast.forecast.length;
    const historyLength = Math.max(1, Math.min(series.values.length, plotWidth - horizon));
    const history = Array.from(series.values.subarray(series.values.length - historyLength));
    const band = forecast.intervals.length > 0 ? forecast.intervals[forecast.intervals.length - 1] : undefined;
    const lines: number[][] = [];
    const colors: string[] = [];
    const bandUsable = band !== undefined && Array.from(band.lower).every(Number.isFinite) && Array.from(band.upper).every(Number.isFinite);
    if (bandUsable) {
      lines.push(extend(history, band.lower), extend(history, band.upper));
      colors.push(asciichart.darkgray, asciichart.darkgray);
    }
    lines.push(extend(history, forecast.forecast), history);
    colors.push(asciichart.green, asciichart.default);
    const title = `${forecast.id === '' ? dataset.target : `${dataset.idColumn} ${forecast.id}`}: last ${historyLength} points and ${horizon} forecast steps${bandUsable ? ` (band: ${band.level}%)` : ''}`;
    out.push(title, asciichart.plot(lines, { height: 12, colors: context.color ? colors : undefined }), '');
  }
  if (forecasts.length > shown.length) out.push(`(${forecasts.length - shown.length} more series not drawn)`, '');
  return `${out.join('\n')}\n`;
}
