// Forecast metrics: one import for the backtest and the report.
export { mae, rmse, mape, smape, mase, maseScale, type MapeResult, type MaseScale, type Values } from './point.js';
export { coverage, meanWidth } from './interval.js';
export {
  computeMetrics,
  coverageKey,
  widthKey,
  levelKey,
  finiteOrNull,
  metricLoss,
  type MetricSet,
  type MetricValue,
  type MetricsInput,
  type IntervalInput,
} from './metric-set.js';
export { meanMetricSets, m4Summary, owa, type M4Summary } from './aggregate.js';
export { normalCdf, normalQuantile, zForLevel } from './normal.js';
