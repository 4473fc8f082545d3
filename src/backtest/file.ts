// The backtest file (PRODUCT.md, "Output"): [id,] fold, origin, <time column>, step, actual,
// forecast, lower_L, upper_L, ... — the model's forecasts, one row per series × fold × step,
// series in file order, folds earliest first. `origin` is the last time the model could see.
// An actual invented by --fill is written empty: it was never observed, and it is not scored.
import { formatTime } from '../data/time.js';
import { WIDE_ID_COLUMN } from '../data/names.js';
import { intervalColumns } from '../forecast/table.js';
import { formatNumber } from '../io/predictions.js';
import type { Cell, Table } from '../io/predictions.js';
import { originTime } from './document.js';
import type { BacktestResult } from './rolling-origin.js';

export function backtestTable(result: BacktestResult): Table {
  const { dataset, levels } = result;
  // A wide file's series are its columns: they are named in a 'series' column.
  const idName = dataset.idColumn ?? (dataset.wide ? WIDE_ID_COLUMN : null);
  const withId = idName !== null;
  const columns = [...(withId ? [idName] : []), 'fold', 'origin', dataset.timeColumn, 'step', 'actual', 'forecast', ...intervalColumns(levels)];
  const rows: Cell[][] = [];
  result.cells.forEach((folds, seriesIndex) => {
    const id = dataset.series[seriesIndex]!.id;
    for (const cell of folds) {
      const origin = originTime(result, seriesIndex, cell);
      const model = cell.methods.model;
      for (let step = 0; step < cell.actual.length; step++) {
        const row: Cell[] = withId ? [id] : [];
        row.push(cell.fold, origin, formatTime(cell.times[step]!, dataset.timeStyle), step + 1);
        row.push(cell.mask[step] ? formatNumber(cell.actual[step]!) : null, formatNumber(model.forecast[step]!));
        for (const band of model.intervals) row.push(formatNumber(band.lower[step]!), formatNumber(band.upper[step]!));
        rows.push(row);
      }
    }
  });
  return { columns, rows };
}
