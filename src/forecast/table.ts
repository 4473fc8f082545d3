// The forecast file (PRODUCT.md, "Output"). Long: [id,] <time column>, forecast, lower_L,
// upper_L, ... one row per series and step. Wide, for a wide input (--target a,b): one row per
// time, <time column>, a, a_lower_L, a_upper_L, ..., b, ... — the shape the file came in.
import { WIDE_ID_COLUMN } from '../data/names.js';
import { formatTime } from '../data/time.js';
import type { Dataset } from '../data/types.js';
import type { Cell, Table } from '../io/predictions.js';
import { formatNumber } from '../io/predictions.js';
import type { SeriesForecast } from './predict.js';

export type TableShape = 'long' | 'wide';

export function levelLabel(level: number): string {
  return String(level).replace('.', '_');
}

export function intervalColumns(levels: number[]): string[] {
  return levels.flatMap((level) => [`lower_${levelLabel(level)}`, `upper_${levelLabel(level)}`]);
}

/** Wide input → wide table unless `long`; every other input is long already. */
export function forecastTable(dataset: Dataset, forecasts: SeriesForecast[], levels: number[], long = false): Table {
  return dataset.wide && !long ? wideTable(dataset, forecasts, levels) : longTable(dataset, forecasts, levels);
}

function longTable(dataset: Dataset, forecasts: SeriesForecast[], levels: number[]): Table {
  const idName = dataset.idColumn ?? (dataset.wide ? WIDE_ID_COLUMN : null);
  const columns = [...(idName === null ? [] : [idName]), dataset.timeColumn, 'forecast', ...intervalColumns(levels)];
  const rows: Cell[][] = [];
  for (const series of forecasts) {
    for (let step = 0; step < series.forecast.length; step++) {
      const row: Cell[] = idName === null ? [] : [series.id];
      row.push(formatTime(series.times[step]!, dataset.timeStyle), formatNumber(series.forecast[step]!));
      for (const band of series.intervals) row.push(formatNumber(band.lower[step]!), formatNumber(band.upper[step]!));
      rows.push(row);
    }
  }
  return { columns, rows };
}

/** One row per forecast time (in time order); a series with no forecast at a time leaves its cells empty. */
function wideTable(dataset: Dataset, forecasts: SeriesForecast[], levels: number[]): Table {
  const perSeries = 1 + 2 * levels.length;
  const columns = [dataset.timeColumn];
  for (const series of forecasts) columns.push(series.id, ...intervalColumns(levels).map((name) => `${series.id}_${name}`));
  const times = [...new Set(forecasts.flatMap((series) => Array.from(series.times)))].sort((a, b) => a - b);
  const rowOf = new Map(times.map((time, index) => [time, index]));
  const rows: Cell[][] = times.map((time) => {
    const row: Cell[] = new Array<Cell>(1 + forecasts.length * perSeries).fill(null);
    row[0] = formatTime(time, dataset.timeStyle);
    return row;
  });
  forecasts.forEach((series, k) => {
    const at = 1 + k * perSeries;
    for (let step = 0; step < series.forecast.length; step++) {
      const row = rows[rowOf.get(series.times[step]!)!]!;
      row[at] = formatNumber(series.forecast[step]!);
      series.intervals.forEach((band, b) => {
        row[at + 1 + 2 * b] = formatNumber(band.lower[step]!);
        row[at + 2 + 2 * b] = formatNumber(band.upper[step]!);
      });
    }
  });
  return { columns, rows };
}
