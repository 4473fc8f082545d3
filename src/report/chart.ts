// ASCII line charts (asciichart) as a string for standard error, downsampled to the width.
import asciichart from 'asciichart';

/** What every chart needs from the terminal. */
export interface ChartStyle {
  /** Total width in characters, labels included. */
  width: number;
  /** Colours (a terminal without NO_COLOR); without them, lines are told apart by solid and dotted. */
  color: boolean;
}

export interface ChartOptions extends ChartStyle {
  height?: number; // default 10
  /** One per series: a legend line under the chart. */
  labels?: string[];
}

/** Bucket means to `points` values; NaN ignored (an all-NaN bucket repeats the previous value). */
export function downsample(values: readonly number[], points: number): number[] {
  const n = values.length;
  const buckets = Math.min(points, n);
  const out: number[] = [];
  let previous = NaN;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * n) / buckets));
    let sum = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      const value = values[i]!;
      if (Number.isFinite(value)) {
        sum += value;
        count++;
      }
    }
    previous = count > 0 ? sum / count : previous;
    out.push(previous);
  }
  // Leading all-NaN buckets take the first real value.
  const first = out.find((value) => !Number.isNaN(value));
  return first === undefined ? [] : out.map((value) => (Number.isNaN(value) ? first : value));
}

function decimalsFor(min: number, max: number): number {
  const range = max - min || Math.abs(max) || 1;
  return Math.max(0, Math.min(4, 2 - Math.floor(Math.log10(range))));
}

export function lineChart(seriesList: number[][], options: ChartOptions): string {
  const height = options.height ?? 10;
  let min = Infinity;
  let max = -Infinity;
  for (const series of seriesList) {
    for (const value of series) {
      if (!Number.isFinite(value)) continue;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (min === Infinity) return '(no values to chart)';
  const decimals = decimalsFor(min, max);
  const labelWidth = Math.max(min.toFixed(decimals).length, max.toFixed(decimals).length);
  const points = Math.max(10, options.width - labelWidth - 2);
  const longest = Math.max(...seriesList.map((series) => series.length));
  const plotted = seriesList
    .map((series) => downsample(series, Math.max(1, Math.round((points * series.length) / longest))))
    .filter((series) => series.length > 0);
  const palette = [asciichart.cyan, asciichart.magenta, asciichart.green, asciichart.yellow, asciichart.blue, asciichart.red];
  const text = asciichart.plot(plotted, {
    height,
    offset: 3,
    format: (x: number) => x.toFixed(decimals).padStart(labelWidth),
    ...(options.color ? { colors: palette } : {}),
  });
  if (!options.labels || options.labels.length === 0) return text;
  const legend = options.labels
    .map((label, i) => (options.color ? `${palette[i % palette.length]}──${asciichart.reset} ${label}` : `── ${label}`))
    .join('   ');
  return `${text}\n${' '.repeat(labelWidth + 2)}${legend}`;
}
