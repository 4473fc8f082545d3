// Training options for tests: every flag's default (src/options/flags.ts), one thread, then overrides.
import { trainingFlags } from '../../src/options/flags.js';
import { defaultValue } from '../../src/options/spec.js';
import type { TrainingOptions } from '../../src/train/options.js';

export function defaults(overrides: Partial<TrainingOptions> = {}): TrainingOptions {
  const options = Object.fromEntries(Object.entries(trainingFlags).map(([key, spec]) => [key, defaultValue(spec)])) as TrainingOptions;
  return { ...options, jobs: 1, ...overrides };
}
