// Training options for tests: every flag's default (src/options/flags.ts), one thread, the step
// budget's floor (the CLI resolves it from the lookback: defaultSteps), then overrides.
import { trainingFlags } from '../../src/options/flags.js';
import { defaultValue } from '../../src/options/spec.js';
import type { ResolvedTrainingOptions, TrainingOptions } from '../../src/train/options.js';
import { DEFAULT_STEPS } from '../../src/train/settings.js';

export function defaults(overrides: Partial<TrainingOptions> = {}): ResolvedTrainingOptions {
  const options = Object.fromEntries(Object.entries(trainingFlags).map(([key, spec]) => [key, defaultValue(spec)])) as TrainingOptions;
  return { ...options, jobs: 1, ...overrides, steps: overrides.steps ?? DEFAULT_STEPS, ensemble: overrides.ensemble ?? 1 };
}
