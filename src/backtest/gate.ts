// --fail-if-worse-than: does the model lose to a baseline on the overall value of one metric?
// Lower is better (coverage: closer to nominal, via metricLoss). A tie passes; a metric that
// cannot be computed for either side fails, because a cron gate must not publish on no evidence.
import type { MetricSet } from '../metrics/index.js';
import { metricLoss } from '../metrics/index.js';
import type { BaselineMethod } from './baselines.js';
import type { Method } from './rolling-origin.js';

import type { GateBaseline, GateMetric } from '../options/choices.js';

export type { GateBaseline, GateMetric };

export interface GateDecision {
  /** As the flag spells it. */
  baseline: GateBaseline;
  metric: GateMetric;
  model: number | null;
  reference: number | null;
  passed: boolean;
  /** One line for the user, naming both numbers. */
  message: string;
}

export function gateMethod(baseline: GateBaseline): BaselineMethod {
  return baseline === 'seasonal-naive' ? 'seasonal_naive' : baseline;
}

const show = (value: number | null): string => (value === null ? 'undefined' : String(Number(value.toPrecision(4))));

export function decideGate(overall: Record<Method, MetricSet>, baseline: GateBaseline, metric: GateMetric): GateDecision {
  const model = overall.model[metric];
  const reference = overall[gateMethod(baseline)][metric];
  const modelLoss = metricLoss(metric, model);
  const referenceLoss = metricLoss(metric, reference);
  const name = metric.toUpperCase();
  const label = baseline.replace('-', ' ');
  const flag = `--fail-if-worse-than ${baseline}`;
  if (modelLoss === null || referenceLoss === null) {
    return { baseline, metric, model, reference, passed: false, message: `gate failed: cannot compare ${name} (model ${show(model)}, ${label} ${show(reference)}) (${flag})` };
  }
  const passed = modelLoss <= referenceLoss;
  const verb = passed ? (modelLoss === referenceLoss ? 'ties' : 'beats') : 'is worse than';
  const message = `gate ${passed ? 'passed' : 'failed'}: model ${name} ${show(model)} ${verb} ${label} ${name} ${show(reference)} (${flag})`;
  return { baseline, metric, model, reference, passed, message };
}
