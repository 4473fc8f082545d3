// Model and training options (PRODUCT.md, "Model and training options"), as typed options.
// Declared once, with their defaults and limits, in src/options/flags.ts.
import type { trainingFlags } from '../options/flags.js';
import type { OptionsOf } from '../options/spec.js';

export type { CellKind, OptimizerKind, TrainingLoss } from '../options/choices.js';

export type TrainingOptions = OptionsOf<typeof trainingFlags>;

/** Training options once the data is known: the step budget (`--steps`, else defaultSteps) and the ensemble size (`--ensemble`, else one member per baseline) resolved. */
export type ResolvedTrainingOptions = TrainingOptions & { steps: number; ensemble: number };
