// What can forecast a series: the network, or one of the baselines that the safety net may pick
// instead (train/select.ts). Declared with the other closed lists in src/options/choices.ts.
export { FALLBACK_POLICIES, FORECAST_METHODS } from '../options/choices.js';
export type { FallbackPolicy, ForecastMethod } from '../options/choices.js';
import type { ForecastMethod } from '../options/choices.js';
export type BaselineMethod = Exclude<ForecastMethod, 'model'>;
