// A PipelineSpec for tests that build frames and batches by hand: a naive baseline, no features,
// no calendar, no per-window scaling, lookback 3 and horizon 2, then overrides.
import type { PipelineSpec } from '../../src/data/prepare.js';

export function pipelineSpec(overrides: Partial<PipelineSpec> = {}): PipelineSpec {
  return {
    lookback: 3, horizon: 2, baseline: { kind: 'naive', season: 1 }, features: [], futureFeatures: [], calendar: [], headCalendar: false, scale: 'standard', windowScale: false,
    ...overrides,
  };
}
