// The readable form of an InspectSummary.
import type { Dataset } from '../data/types.js';
import { seriesTitle } from '../data/names.js';
import type { InspectSummary } from '../inspect/summary.js';
import { lineChart } from './chart.js';
import type { ChartStyle } from './chart.js';
import { textTable } from './table.js';

/** More series than this: charts for the first ones only (a note says so). */
const MAX_CHARTS = 8;

const table = (rows: string[][]): string => textTable(rows, '  ');

function number(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) return value.toExponential(3);
  return String(Number(value.toPrecision(6)));
}

export function renderSummary(summary: InspectSummary): string {
  const out: string[] = [];
  const source = summary.source === '-' ? '<stdin>' : summary.source;
  out.push(`${source}: ${summary.rows} rows, ${summary.columns.length} columns, sha256 ${summary.sha256.slice(0, 12)}`);
  out.push('columns');
  out.push(table(summary.columns.map((column) => [
    column.name, column.type, column.role, column.missing > 0 ? `${column.missing} missing` : '',
  ])));
  const form = `${summary.timePattern ?? summary.timeFormat}${summary.zone === undefined ? '' : `, ${summary.zone}`}`;
  out.push(`time       ${summary.timeRange.start} … ${summary.timeRange.end} (${form})`);
  out.push(`frequency  ${summary.freq.code}: ${summary.freq.description}, season ${summary.freq.season}`);
  const gaps = summary.gaps.missingTimestamps;
  out.push(`gaps       ${gaps === 0 ? 'none' : `${gaps} missing timestamps in ${summary.gaps.seriesWithGaps} series`}`);
  out.push(`missing    ${summary.missing.values === 0 ? 'none' : `${summary.missing.values} values`}`);
  const ahead = summary.knownAhead;
  if (ahead !== undefined) {
    const rows = ahead.fewest === ahead.most ? `${ahead.most} row${ahead.most === 1 ? '' : 's'}` : `${ahead.fewest} to ${ahead.most} rows`;
    const where = summary.series.length > 1 ? ` in ${ahead.series} of ${summary.series.length} series` : '';
    out.push(`ahead      ${ahead.features.join(', ')}: ${ahead.series === 0 ? 'no rows after the data give them' : `${rows} after the data${where} (${ahead.start} … ${ahead.end})`}`);
  }
  const hint = summary.seasonalityHint;
  out.push(`season     ${hint.lag === null ? 'no clear seasonal lag' : `dominant autocorrelation lag ${hint.lag}`} (usual for ${summary.freq.code}: ${hint.expected})`);
  const choice = summary.transform;
  if (choice !== undefined) out.push(`transform  ${choice.why !== null ? choice.why.replace(/^transform auto: /, 'auto (default flags): ') : `cannot train with default flags: ${choice.error ?? ''}`}`);
  out.push(`series${summary.idColumn === null ? '' : ` (by ${summary.idColumn})`}, target ${summary.target}${summary.features.length ? `, features ${summary.features.join(', ')}` : ''}`);
  const header = ['id', 'count', 'filled', 'start', 'end', 'min', 'mean', 'max', 'std', 'lag'];
  out.push(table([header, ...summary.series.map((s) => [
    s.id === '' ? '-' : s.id, String(s.count), String(s.imputed), s.start, s.end,
    number(s.min), number(s.mean), number(s.max), number(s.std), s.seasonality.lag === null ? '-' : String(s.seasonality.lag),
  ])]));
  return out.join('\n');
}

/** One chart per series, titled, for the first few series. */
export function seriesCharts(dataset: Dataset, style: ChartStyle): string {
  const shown = dataset.series.slice(0, MAX_CHARTS);
  const out = shown.map((series) => {
    const title = series.id === '' || dataset.wide ? seriesTitle(dataset, series.id) : `${dataset.target} — ${dataset.idColumn} ${series.id}`;
    return `\n${title}\n${lineChart([Array.from(series.values)], { ...style, height: 10 })}\n`;
  });
  if (dataset.series.length > shown.length) out.push(`(charts for the first ${shown.length} of ${dataset.series.length} series)\n`);
  return out.join('');
}
