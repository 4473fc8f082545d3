// The backtest as Excel workbooks: -o FILE.xlsx holds the backtest table and, on a second sheet,
// the run's settings with the per-series scores; --metrics-out FILE.xlsx holds the metrics
// document flattened to tables (overall, per series, per fold) and the same settings.
import { seriesTitle } from '../data/names.js';
import type { Dataset } from '../data/types.js';
import { describeTimeForm } from '../forecast/workbook.js';
import type { Cell, Table } from '../io/predictions.js';
import { settingsTable, type Sheet } from '../io/workbook.js';
import type { MetricSet } from '../metrics/index.js';
import type { MetricsDocument } from './document.js';
import { METHODS, type Method } from './rolling-origin.js';

function metricNames(document: MetricsDocument): string[] {
  return Object.keys(document.overall.model).filter((key) => key !== 'mape_skipped');
}

/** One row per method: `lead` cells first, then every metric. */
function methodRows(lead: Cell[], sets: Partial<Record<Method, MetricSet>>, names: string[]): Cell[][] {
  return METHODS.filter((method) => sets[method] !== undefined).map((method) => {
    const set = sets[method] as unknown as Record<string, Cell>;
    return [...lead, method, ...names.map((name) => set[name] ?? null)];
  });
}

export function backtestSettings(dataset: Dataset, document: MetricsDocument, input: string): Table {
  const { settings, gate } = document;
  return settingsTable({
    input,
    'input sha256': dataset.sha256,
    'time column': dataset.timeColumn,
    'time form': describeTimeForm(dataset),
    target: dataset.target,
    features: dataset.features.join(', ') || '(none)',
    frequency: dataset.freq.code,
    series: settings.series,
    folds: settings.folds,
    stride: settings.stride,
    horizon: settings.horizon,
    lookback: settings.lookback,
    season: settings.season,
    window: settings.window ?? 'expanding',
    refit: settings.refit,
    'interval levels': settings.levels.join(', ') || 'none',
    seed: settings.seed,
    gate: gate === undefined ? undefined : gate.message,
  });
}

/** Per series and method: the series' mean over folds of every metric. */
export function seriesScores(dataset: Dataset, document: MetricsDocument): Table {
  const names = metricNames(document);
  const rows = document.series.flatMap((entry) => methodRows([seriesTitle(dataset, entry.id)], entry, names));
  return { columns: ['series', 'method', ...names], rows };
}

export function backtestSheets(table: Table, dataset: Dataset, document: MetricsDocument, input: string): Sheet[] {
  return [
    { name: 'backtest', tables: [table] },
    { name: 'run', tables: [backtestSettings(dataset, document, input), seriesScores(dataset, document)] },
  ];
}

export function metricsSheets(dataset: Dataset, document: MetricsDocument, input: string): Sheet[] {
  const names = metricNames(document);
  const overall: Table = { columns: ['method', ...names], rows: methodRows([], document.overall, names) };
  const folds: Table = {
    columns: ['fold', 'origin', 'method', ...names],
    rows: document.folds.flatMap((fold) => methodRows([fold.fold, fold.origin], fold, names)),
  };
  return [
    { name: 'overall', tables: [overall] },
    { name: 'series', tables: [seriesScores(dataset, document)] },
    { name: 'folds', tables: [folds] },
    { name: 'run', tables: [backtestSettings(dataset, document, input)] },
  ];
}
