// The forecast chart on standard error: the last part of each series, its forecast, and the
// widest interval band, for the first few series of a file.
import asciichart from 'asciichart';
import { seriesTitle } from '../data/names.js';
import type { Dataset } from '../data/types.js';
import type { SeriesForecast } from '../forecast/predict.js';
import type { ChartStyle } from './chart.js';
import { overlayPlot } from './overlay.js';

const MAX_SERIES = 3;
const LABEL_WIDTH = 13; // asciichart's default 11-character labels plus the axis

/** Continues `history` with `tail`: asciichart draws whole lines, so shared prefixes overlap exactly. */
function extend(history: number[], tail: ArrayLike<number>): number[] {
  return [...history, ...Array.from(tail)];
}

const HEIGHT = 12;

/** Colour: the band in grey under a green forecast; asciichart draws later lines on top. */
function colourPlot(mainLines: number[][], bandLines: number[][]): string {
  const colors = [...bandLines.map(() => asciichart.darkgray), asciichart.green, asciichart.default];
  return asciichart.plot([...bandLines, ...mainLines], { height: HEIGHT, colors });
}

export function forecastChart(dataset: Dataset, forecasts: SeriesForecast[], options: ChartStyle): string {
  const shown = forecasts.slice(0, MAX_SERIES);
  const plotWidth = Math.max(20, Math.min(options.width, 160) - LABEL_WIDTH);
  const out: string[] = [];
  for (const forecast of shown) {
    const series = dataset.series.find((candidate) => candidate.id === forecast.id);
    if (!series) continue;
    const horizon = forecast.forecast.length;
    const historyLength = Math.max(1, Math.min(series.values.length, plotWidth - horizon));
    const history = Array.from(series.values.subarray(series.values.length - historyLength));
    const band = forecast.intervals.length > 0 ? forecast.intervals[forecast.intervals.length - 1] : undefined;
    const bandUsable = band !== undefined && Array.from(band.lower).every(Number.isFinite) && Array.from(band.upper).every(Number.isFinite);
    const bandLines = bandUsable ? [extend(history, band.lower), extend(history, band.upper)] : [];
    const mainLines = [extend(history, forecast.forecast), history];
    const title = `${seriesTitle(dataset, forecast.id)}: last ${historyLength} points and ${horizon} forecast steps${bandUsable ? ` (dotted: the ${band.level}% band)` : ''}`;
    out.push(title, options.color ? colourPlot(mainLines, bandLines) : overlayPlot(mainLines, bandLines, HEIGHT), '');
  }
  if (forecasts.length > shown.length) out.push(`(${forecasts.length - shown.length} more series not drawn)`, '');
  return `${out.join('\n')}\n`;
}
