// The summary on standard error: the model and the baselines side by side, overall, with the
// best value of each metric marked '*', and the M4-style OWA against seasonal naive.
import { metricLoss } from '../metrics/index.js';
import type { MetricValue } from '../metrics/index.js';
import type { MetricsDocument } from '../backtest/document.js';
import type { BacktestResult } from '../backtest/rolling-origin.js';
import { formatTime } from '../data/time.js';
import { METHODS } from '../backtest/rolling-origin.js';
import type { Method } from '../backtest/rolling-origin.js';
import { formatMetric, textTable } from './table.js';

const LABELS: Record<Method, string> = { model: 'model', naive: 'naive', seasonal_naive: 'seasonal naive', drift: 'drift' };


/** Methods holding the best value of a metric; none when no value is defined. Widths are not marked: narrower is only better at equal coverage. */
export function bestMethods(values: Record<Method, MetricValue>, key: string): Set<Method> {
  const best = new Set<Method>();
  if (key.startsWith('width_')) return best;
  let bestLoss = Infinity;
  for (const method of METHODS) {
    const loss = metricLoss(key, values[method]);
    if (loss === null) continue;
    if (loss < bestLoss) {
      bestLoss = loss;
      best.clear();
    }
    if (loss === bestLoss) best.add(method);
  }
  return best;
}

/** "y: overall over 3 folds from 1958-06 (4.2 s)": what the table below it sums up. */
export function summaryTitle(result: BacktestResult, seconds: number): string {
  const { dataset, layout } = result;
  const first = result.cells[0]![0]!;
  const from = formatTime(dataset.series[0]!.times[first.origin]!, dataset.timeStyle);
  const series = dataset.series.length === 1 ? dataset.target : `${dataset.series.length} series of ${dataset.target}`;
  return `${series}: overall over ${layout.folds} fold${layout.folds === 1 ? '' : 's'} from ${from} (${seconds.toFixed(1)} s)`;
}

export function summaryTable(document: MetricsDocument, title: string): string {
  const keys = Object.keys(document.overall.model).filter((key) => key !== 'mape_skipped');
  const rows: string[][] = [['metric', ...METHODS.map((method) => LABELS[method])]];
  for (const key of keys) {
    const values = {} as Record<Method, MetricValue>;
    for (const method of METHODS) values[method] = (document.overall[method] as unknown as Record<string, MetricValue>)[key] ?? null;
    const best = bestMethods(values, key);
    rows.push([key, ...METHODS.map((method) => `${formatMetric(values[method])}${best.has(method) ? '*' : ' '}`)]);
  }
  const owaValues = {} as Record<Method, MetricValue>;
  for (const method of METHODS) owaValues[method] = document.m4[method].owa;
  const owaBest = bestMethods(owaValues, 'owa');
  rows.push(['owa', ...METHODS.map((method) => `${formatMetric(owaValues[method])}${owaBest.has(method) ? '*' : ' '}`)]);
  const skipped = document.overall.model.mape_skipped;
  const notes = ['* best; coverage: closest to its level; owa: M4 mean of sMAPE and MASE relative to seasonal naive'];
  if (skipped > 0) notes.push(`mape left out ${skipped} zero actual${skipped === 1 ? '' : 's'}`);
  // The model column is the whole pipeline: where the safety net picked a baseline, say how often.
  const chosen = Object.entries(document.chosen).filter(([, count]) => count > 0);
  const cells = chosen.reduce((sum, [, count]) => sum + count, 0);
  if (cells > 0) notes.push(`the model column forecast by: ${chosen.map(([method, count]) => `${method === 'model' ? 'the network' : method.replace('_', ' ')} ${count}`).join(', ')} (of ${cells} series × folds; --fallback)`);
  return `${title}\n${textTable(rows)}\n${notes.join('\n')}\n`;
}
