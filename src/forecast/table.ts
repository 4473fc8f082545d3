// The forecast file (PRODUCT.md, "Output"): [id,] <time column>, forecast, lower_L, upper_L, ...
import { formatTime } from '../data/time.js';
import type { Dataset } from '../data/types.js';
import type { Cell, Table } from '../io/predictions.js';
import { formatNumber } from '../io/predictions.js';
import type { SeriesForecast } from './predict.js';

export function levelLabel(level: number): string {
  return String(level).replace('.', '_');
}

export function intervalColumns(levels: number[]): string[] {
  return levels.flatMap((level) => [`lower_${levelLabel(level)}`, `upper_${levelLabel(level)}`]);
}

export function forecastTable(dataset: Dataset, forecasts: SeriesForecast[], levels: number[]): Table {
  const withId = dataset.idColumn !== null;
  const columns = [...(withId ? [dataset.idColumn!] : []), dataset.timeColumn, 'forecast', ...intervalColumns(levels)];
  const rows: Cell[][] = [];
  for (const series of forecasts) {
    for (let step = 0; step < series.forecast.length; step++) {
      const row: Cell[] = withId ? [series.id] : [];
      row.push(formatTime(series.times[step]!, dataset.timeStyle), formatNumber(series.forecast[step]!));
      for (const band of series.intervals) row.push(formatNumber(band.lower[step]!), formatNumber(band.upper[step]!));
      rows.push(row);
    }
  }
  return { columns, rows };
}
