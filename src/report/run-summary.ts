// The one line that ends every successful run on standard error, so a cron mail or a log file holds
// one line per run: what was read, with which model, what it scored, what was written, how long.
import type { RunRecord } from '../io/run-log.js';
import { formatMetric } from './table.js';

function count(value: number, one: string): string {
  return `${value} ${one}${value === 1 ? '' : 's'}`;
}

function modelPart(record: RunRecord): string | null {
  const { model, modelAge } = record;
  if (model === null) return null;
  // The same shape the training line shows: "LSTM 1×64 ×2" for two networks.
  const shape = `${model.cell.toUpperCase()} ${model.numLayers}×${model.hiddenSize}${model.ensemble > 1 ? ` ×${model.ensemble}` : ''}`;
  const details = [shape];
  if (modelAge !== null) details.push(`${count(modelAge.periods, 'period')} behind the data`);
  else if (model.valLoss !== null) details.push(`validation loss ${formatMetric(model.valLoss)}`);
  return model.path === null ? details.join(', ') : `model ${model.path} (${details.join(', ')})`;
}

/** "MASE: model 0.81, seasonal naive 0.93" from a backtest's overall metrics. */
function metricsPart(record: RunRecord): string | null {
  const overall = record.metrics?.overall as Record<string, Record<string, number | null>> | undefined;
  if (overall?.model === undefined) return null;
  const mase = (method: string): string => formatMetric(overall[method]?.mase ?? null);
  return `MASE: model ${mase('model')}, seasonal naive ${mase('seasonal_naive')}`;
}

export function runSummary(record: RunRecord): string {
  const head = `rnncast ${record.command}: ${record.status === 'skipped' ? 'skipped' : 'done'} in ${record.seconds.toFixed(1)} s`;
  if (record.status === 'skipped') return `${head}: ${record.message}`;
  const input = record.input === '-' ? 'standard input' : record.input;
  const parts = [
    record.rows === null || record.series === null ? input : `${input}: ${count(record.rows, 'row')}, ${record.series} series`,
    modelPart(record),
    metricsPart(record),
    `wrote ${record.outputs.length === 0 ? 'standard output' : record.outputs.join(', ')}`,
  ];
  return `${head}; ${parts.filter((part): part is string => part !== null).join('; ')}`;
}
