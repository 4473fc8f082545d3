// The forecast as an Excel workbook: the forecast table on one sheet; on a second, the run's
// settings and a summary per series (what the model saw last, where the forecast goes).
import { seriesTitle } from '../data/names.js';
import { describeFrequency, formatTime } from '../data/time.js';
import type { Dataset } from '../data/types.js';
import type { ModelFile } from '../io/model-file.js';
import { formatNumber } from '../io/predictions.js';
import type { Table } from '../io/predictions.js';
import { settingsTable, type Sheet } from '../io/workbook.js';
import type { SeriesForecast } from './predict.js';

export interface ForecastRun {
  /** The input as given. */
  input: string;
  /** -m FILE, or undefined when the model was trained on the fly. */
  modelPath?: string;
  levels: number[];
}

/** How the time column was read, in words: 'M/d/yyyy', 'ISO date-time', with the zone if any. */
export function describeTimeForm(dataset: Dataset): string {
  const style = dataset.timeStyle;
  const form = style.kind === 'pattern' || style.kind === 'custom' ? style.pattern! : `ISO ${style.kind}`.replace('ISO epoch-', 'epoch ');
  return style.zone ? `${form}, on ${style.zone}'s clock` : form;
}

export function runSettings(dataset: Dataset, model: ModelFile, run: ForecastRun): Table {
  const { config, data, training } = model;
  return settingsTable({
    rnncast: model.rnncast,
    input: run.input,
    'input sha256': dataset.sha256,
    rows: dataset.rowCount,
    'time column': dataset.timeColumn,
    'time form': describeTimeForm(dataset),
    target: dataset.target,
    features: dataset.features.join(', ') || '(none)',
    'id column': dataset.idColumn ?? (dataset.wide ? '(one series per target column)' : '(none)'),
    frequency: `${dataset.freq.code} (${describeFrequency(dataset.freq)})`,
    model: run.modelPath ?? 'trained on the fly',
    'model created': model.created,
    cell: `${config.cell} ${config.numLayers}×${config.hiddenSize}${config.bidirectional ? ' bidirectional' : ''}`,
    lookback: config.lookback,
    horizon: config.horizon,
    transform: data.transform,
    scale: config.scale,
    epochs: training.epochs,
    'best epoch': training.bestEpoch,
    'stopped by': training.stoppedBy,
    seed: training.seed,
    'interval levels': run.levels.join(', ') || 'none',
  });
}

/** Per series: points, the last time and value seen, the forecast's span and first and last values. */
export function seriesSummary(dataset: Dataset, forecasts: SeriesForecast[]): Table {
  const columns = ['series', 'points', 'filled', 'last time', 'last value', 'forecast from', 'forecast to', 'first forecast', 'last forecast'];
  const rows = forecasts.map((forecast) => {
    const series = dataset.series.find((candidate) => candidate.id === forecast.id)!;
    const n = series.values.length;
    const filled = series.imputed.reduce((sum, flag) => sum + flag, 0);
    const h = forecast.forecast.length;
    return [
      seriesTitle(dataset, forecast.id), n, filled, formatTime(series.times[n - 1]!, dataset.timeStyle), formatNumber(series.values[n - 1]!),
      formatTime(forecast.times[0]!, dataset.timeStyle), formatTime(forecast.times[h - 1]!, dataset.timeStyle),
      formatNumber(forecast.forecast[0]!), formatNumber(forecast.forecast[h - 1]!),
    ];
  });
  return { columns, rows };
}

export function forecastSheets(table: Table, dataset: Dataset, model: ModelFile, forecasts: SeriesForecast[], run: ForecastRun): Sheet[] {
  return [
    { name: 'forecast', tables: [table] },
    { name: 'run', tables: [runSettings(dataset, model, run), seriesSummary(dataset, forecasts)] },
  ];
}
