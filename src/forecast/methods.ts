// What can forecast a series: the network, or one of the baselines that the safety net may pick
// instead (train/select.ts). Shared by the model file, forecasting and the backtest.
export const FORECAST_METHODS = ['model', 'naive', 'seasonal_naive', 'drift'] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];
export type BaselineMethod = Exclude<ForecastMethod, 'model'>;

export const FALLBACK_POLICIES = ['auto', 'none'] as const;
export type FallbackPolicy = (typeof FALLBACK_POLICIES)[number];
