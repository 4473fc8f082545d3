// Aggregating metric sets: per fold → per series → overall (PRODUCT.md: "overall" is the mean
// over series of each series' mean over folds), plus the M4-style pooled means and OWA.
import type { MetricSet, MetricValue } from './metric-set.js';

/**
 * Key-wise mean of metric sets, ignoring nulls: a metric that is undefined for one fold does not
 * make the whole mean undefined. null where every set has null. mape_skipped is summed (a count).
 * Keys keep the order of first appearance.
 */
export function meanMetricSets(sets: readonly MetricSet[]): MetricSet {
  const sums = new Map<string, { sum: number; n: number }>();
  let skipped = 0;
  for (const set of sets) {
    for (const [key, value] of Object.entries(set) as [string, MetricValue][]) {
      if (key === 'mape_skipped') {
        skipped += value ?? 0;
        continue;
      }
      const entry = sums.get(key) ?? { sum: 0, n: 0 };
      if (value !== null && Number.isFinite(value)) {
        entry.sum += value;
        entry.n++;
      }
      sums.set(key, entry);
    }
  }
  const mean: Record<string, MetricValue> = { mae: null, rmse: null, mape: null, smape: null, mase: null };
  for (const [key, { sum, n }] of sums) mean[key] = n === 0 ? null : sum / n;
  mean.mape_skipped = skipped;
  return mean as unknown as MetricSet;
}

export interface M4Summary {
  /** Mean sMAPE over every (series, fold) forecast with a defined sMAPE. */
  smape: MetricValue;
  /** Mean MASE over every (series, fold) forecast with a defined MASE. */
  mase: MetricValue;
  /** Forecasts behind each mean. */
  smapeCount: number;
  maseCount: number;
}

function pooledMean(sets: readonly MetricSet[], key: 'smape' | 'mase'): { mean: MetricValue; count: number } {
  let sum = 0;
  let count = 0;
  for (const set of sets) {
    const value = set[key];
    if (value === null || !Number.isFinite(value)) continue;
    sum += value;
    count++;
  }
  return { mean: count === 0 ? null : sum / count, count };
}

/**
 * The M4 competition's summary: sMAPE and MASE averaged over all forecasts pooled (here every
 * series × fold), not series-first. Equal to the "overall" values when every series has the
 * same number of folds and no nulls; it differs when some forecasts are undefined.
 */
export function m4Summary(forecasts: readonly MetricSet[]): M4Summary {
  const s = pooledMean(forecasts, 'smape');
  const m = pooledMean(forecasts, 'mase');
  return { smape: s.mean, mase: m.mean, smapeCount: s.count, maseCount: m.count };
}

/**
 * M4's overall weighted average: ½ (sMAPE / sMAPE_ref + MASE / MASE_ref), both from m4Summary.
 * M4's reference was Naive2 (seasonally adjusted naive); seasonal naive is the closest baseline
 * we have. Below 1 beats the reference. null when any part is missing or a reference is 0.
 */
export function owa(method: M4Summary, reference: M4Summary): MetricValue {
  const { smape, mase } = method;
  const refSmape = reference.smape;
  const refMase = reference.mase;
  if (smape === null || mase === null || refSmape === null || refMase === null) return null;
  if (!(refSmape > 0) || !(refMase > 0)) return null;
  return 0.5 * (smape / refSmape + mase / refMase);
}
