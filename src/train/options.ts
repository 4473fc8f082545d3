// Model and training options (PRODUCT.md, "Model and training options"), defaults next to each field.
import type { ScaleKind } from '../data/scale.js';
import type { TransformKind } from '../data/transform.js';
import type { FallbackPolicy } from '../forecast/methods.js';

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
  epochs: number; // 200: passes over the training windows at most
  steps: number; // optimizer steps at most (the budget that keeps long series fast)
  maxTime: number | null; // seconds of training at most; null = no limit
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
  transform: TransformKind; // 'auto'
  ensemble: number; // networks from different seeds, combined by the median per step
  fallback: FallbackPolicy; // 'auto': a baseline that clearly beats the network on a series forecasts it
  calendar: boolean; // calendar inputs (hour of day, day of week, day of year) as sine/cosine pairs
  seed: number; // 42
  jobs: number; // cores
}
