// After training: the ensemble's forecasts of every validation window, each series' score for the
// model and for the baselines (the safety net: a baseline that clearly beats the network on a
// series forecasts that series), and the residuals behind the model's prediction intervals.
//
// Sizes: K ensemble members, V validation windows, H horizon.
import { windowSpread } from '../forecast/intervals.js';
import { addBaselineOffsets, baseValue, createBatch, memberSpec, toDataUnits, windowUnit, type PipelineSpec, type SeriesFrame, type WindowRefs } from '../data/prepare.js';
import type { Dataset } from '../data/types.js';
import { createWorkspace, headExtraPart } from '../nn/network.js';
import { releaseWorkspace } from '../nn/workspace.js';
import type { Network } from '../nn/network.js';
import type { FallbackPolicy, ForecastMethod } from '../forecast/methods.js';
import { medianOf } from '../forecast/predict.js';
export { weighOutputs } from '../forecast/predict.js';
import { forEachPrediction } from './loop.js';


/**
 * A baseline must beat the network's validation MAE by this share to replace it on a series.
 * Measured on the bench suite: 0 (whatever did best on validation) beat 0.1 on the mean MASE,
 * the wins over seasonal naive and the datasets lost by more than 10 %.
 */
export const FALLBACK_MARGIN = 0;

/** The ensemble's outputs of some windows, in the network's space. */
export interface EnsembleOutputs {
  /** (V, H) the median output per window and step. */
  outputs: Float64Array;
  /** (V, H) the median of the part the head's known-future inputs give (headExtraPart); zeros without them. */
  future: Float64Array;
}

/** The ensemble's outputs of every validation window. */
export async function ensembleOutputs(networks: readonly Network[], frames: readonly SeriesFrame[], spec: PipelineSpec, refs: WindowRefs, signal?: AbortSignal): Promise<EnsembleOutputs | null> {
  const { horizon } = spec;
  const perMember = networks.map(() => new Float64Array(refs.count * horizon));
  const futureMember = networks.map(() => new Float64Array(refs.count * horizon));
  const batchSize = Math.max(1, Math.min(256, refs.count));
  const batch = createBatch(batchSize, spec);
  for (let k = 0; k < networks.length; k++) {
    const workspace = createWorkspace(networks[k]!, batchSize, spec.lookback);
    const out = perMember[k]!;
    const future = futureMember[k]!;
    const finished = await forEachPrediction(networks[k]!, workspace, { frames, spec: memberSpec(spec, k) }, refs, batch, (filled, prediction, start) => {
      for (let i = 0; i < filled.count * horizon; i++) out[start * horizon + i] = prediction[i]!;
      future.set(headExtraPart(networks[k]!, filled.headInput, filled.count), start * horizon);
    }, signal);
    releaseWorkspace(workspace);
    if (!finished) return null;
  }
  const outputs = medianOf(perMember);
  const future = medianOf(futureMember);
  if (spec.memberBaselines !== undefined) {
    // Members correcting different baselines: the mean of those baselines, kept whole like `future`.
    const combined = networks.length === 1 ? Float64Array.from(outputs) : outputs;
    const whole = networks.length === 1 ? Float64Array.from(future) : future;
    addBaselineOffsets(combined, frames, spec, networks.length, refs, 0, refs.count);
    addBaselineOffsets(whole, frames, spec, networks.length, refs, 0, refs.count);
    return { outputs: combined, future: whole };
  }
  return { outputs, future };
}

/** Validation evidence worth this many independent windows halves the correction weight. */
export const EVIDENCE_HALF = 2;

/**
 * How much of the network's correction to keep — of the part that does not come from the head's
 * known-future inputs (`future`, kept whole: see weighOutputs) — the least-squares weight of that
 * part against what is left of the validation targets (both in the network's space), clamped to [0, 1], then shrunk by how much
 * evidence stands behind it: w · n / (n + EVIDENCE_HALF), n the validation windows per series over
 * the horizon (windows of one series overlap, so only every horizon-th is independent; and the
 * series of a panel cover the same weeks, so a stretch that flatters the network flatters it in
 * every series: more series are not more independent evidence). Early stopping chose the network
 * on these same windows, which flatters it most where they are few: measured on the bench suite,
 * yearly series keep a seventh of their correction, monthly about half, long hourly series nine
 * tenths, and each does better than keeping all or none. Counting a panel's windows per series
 * rather than in all: on the suite's 8 panels mean MASE 1.261 → 1.250 (ansett-economy 0.868 →
 * 0.643, walmart-sales 1.256 → 1.352, act-retail-turnover 1.293 → 1.364). 1 when nothing can be
 * measured.
 */
export function correctionWeight({ outputs, future }: EnsembleOutputs, frames: readonly SeriesFrame[], spec: PipelineSpec, refs: WindowRefs): number {
  const { horizon } = spec;
  let cross = 0;
  let squares = 0;
  for (let k = 0; k < refs.count; k++) {
    const frame = frames[refs.series[k]!]!;
    const origin = refs.origin[k]!;
    const unit = windowUnit(frame, spec, origin);
    for (let h = 0; h < horizon; h++) {
      const target = origin + h;
      if (!frame.real[target]) continue;
      const known = future[k * horizon + h]!;
      const output = outputs[k * horizon + h]! - known;
      cross += ((frame.values[target]! - baseValue(frame, spec, origin, h)) / unit - known) * output;
      squares += output * output;
    }
  }
  if (!(squares > 0)) return 1;
  const fitted = Math.min(1, Math.max(0, cross / squares));
  const evidence = refs.count / (horizon * seriesIn(refs));
  return (fitted * evidence) / (evidence + EVIDENCE_HALF);
}

/** How many series the windows come from (they are in series order). */
function seriesIn(refs: WindowRefs): number {
  let count = 0;
  for (let k = 0; k < refs.count; k++) if (k === 0 || refs.series[k] !== refs.series[k - 1]) count++;
  return Math.max(count, 1);
}

/** The baselines' forecast of step h from origin T of a raw series, as the backtest computes them. */
export function baselineAt(method: Exclude<ForecastMethod, 'model'>, raw: Float64Array, origin: number, step: number, season: number): number {
  const last = raw[origin - 1]!;
  switch (method) {
    case 'naive':
      return last;
    case 'seasonal_naive':
      return origin >= season && season > 1 ? raw[origin - season + (step % season)]! : last;
    case 'drift':
      return origin > 1 ? last + ((step + 1) * (last - raw[0]!)) / (origin - 1) : last;
  }
}

export interface SeriesScores {
  /** Mean absolute validation error per method, in data units; NaN without validation targets. */
  mae: Record<ForecastMethod, number>;
  /** Validation targets counted. */
  count: number;
  /** Validation windows with at least one target counted. */
  windows: number;
}

export interface Selection {
  /** Per frame: its scores and the method that forecasts it. */
  scores: SeriesScores[];
  methods: ForecastMethod[];
  /** (H) sorted absolute residuals of the model in the network's space (series forecast by the model). */
  residuals: Float64Array[];
  /** (H) the same, each divided by its window's spread over lookback and horizon (where that is above 0), sorted. */
  scaledResiduals: Float64Array[];
  windows: number;
}

/**
 * Scores every method on each series' validation windows and picks, per series, the network
 * unless a baseline beats it by FALLBACK_MARGIN (policy 'auto'). `raw[i]` is frame i's series in
 * data units.
 */
export function selectMethods(outputs: Float64Array, frames: readonly SeriesFrame[], raw: readonly Float64Array[], spec: PipelineSpec, refs: WindowRefs, season: number, policy: FallbackPolicy): Selection {
  const { horizon } = spec;
  const sums = frames.map(() => ({ model: 0, naive: 0, seasonal_naive: 0, drift: 0 }));
  const counts = frames.map(() => 0);
  const windows = frames.map(() => 0);
  // (V, H) per window and step; NaN where there is no real target (or no spread to scale by).
  const residuals = new Float64Array(refs.count * horizon).fill(Number.NaN);
  const scaled = new Float64Array(refs.count * horizon).fill(Number.NaN);
  for (let k = 0; k < refs.count; k++) {
    const index = refs.series[k]!;
    const frame = frames[index]!;
    const series = raw[index]!;
    const origin = refs.origin[k]!;
    const sum = sums[index]!;
    // How much the series moved over this window, its targets included, in the residuals' units.
    const unit = windowUnit(frame, spec, origin);
    const spread = windowSpread(frame.values, frame.real, origin + horizon, spec.lookback + horizon) / unit;
    windows[index]! += 1;
    for (let h = 0; h < horizon; h++) {
      const target = origin + h;
      if (!frame.real[target]) continue;
      const actual = series[target]!;
      const output = outputs[k * horizon + h]!;
      const base = baseValue(frame, spec, origin, h);
      sum.model += Math.abs(actual - toDataUnits(output, base, frame.state, unit));
      sum.naive += Math.abs(actual - baselineAt('naive', series, origin, h, season));
      sum.seasonal_naive += Math.abs(actual - baselineAt('seasonal_naive', series, origin, h, season));
      sum.drift += Math.abs(actual - baselineAt('drift', series, origin, h, season));
      counts[index]! += 1;
      const residual = Math.abs((frame.values[target]! - base) / unit - output);
      residuals[k * horizon + h] = residual;
      if (spread > 0) scaled[k * horizon + h] = residual / spread;
    }
  }
  const scores: SeriesScores[] = sums.map((sum, index) => {
    const n = counts[index]!;
    const mean = (value: number): number => (n === 0 ? Number.NaN : value / n);
    return { mae: { model: mean(sum.model), naive: mean(sum.naive), seasonal_naive: mean(sum.seasonal_naive), drift: mean(sum.drift) }, count: n, windows: windows[index]! };
  });
  const methods = scores.map((score) => chooseMethod(score, policy, horizon));
  const useModel = methods.some((method) => method === 'model');
  // The windows of the series the network forecasts (all of them when it forecasts none), pooled and sorted per step.
  const kept = refs.series.map((index) => (useModel && methods[index] !== 'model' ? 0 : 1));
  const pooled = (values: Float64Array): Float64Array[] =>
    Array.from({ length: horizon }, (_, h) => {
      const counted = (k: number): boolean => kept[k] === 1 && !Number.isNaN(values[k * horizon + h]!);
      let count = 0;
      for (let k = 0; k < refs.count; k++) if (counted(k)) count++;
      // Counted first so each step is one typed array of its exact size (big panels hold millions).
      const step = new Float64Array(count);
      let at = 0;
      for (let k = 0; k < refs.count; k++) if (counted(k)) step[at++] = values[k * horizon + h]!;
      return step.sort();
    });
  return { scores, methods, residuals: pooled(residuals), scaledResiduals: pooled(scaled), windows: refs.count };
}

/**
 * Validation windows worth this many independent forecasts (windows over the horizon; the windows
 * of one series overlap) let the best baseline replace the network on a series. With less, the
 * validation MAEs are too noisy to choose by, and a baseline must be below FALLBACK_THIN_SHARE of
 * the network's error: otherwise the network stays, which with so little evidence is its
 * baseline — chosen in-sample on the whole training part — plus a correction shrunk towards zero
 * (correctionWeight). Measured on the bench suite against switching on any evidence: mean MASE
 * 1.492 → 1.431, wins over seasonal naive 33 → 34 of 39, datasets worse by > 10 % 2 → 1
 * (livestock-sheep-asia 4.467 → 3.488, us-real-gnp 1.600 → 0.958, boston-robberies 1.722 →
 * 1.397). Never switching on thin evidence gave 1.434; thresholds of 1, 2 or 3, estimated from
 * the runs with and without the net, did worse, 6 or 8 no better.
 */
export const FALLBACK_EVIDENCE = 5;

/**
 * With less evidence than FALLBACK_EVIDENCE, a baseline replaces the network only below this share
 * of its validation MAE. A few validation windows can fall just after a level shift, where a
 * network correcting seasonal naive still reads the old level a season back while naive already
 * follows the new one, and naive looks twice as good there without being so in the weeks after.
 * Measured on the bench suite (offline, per series and fold, from a run without the net and its
 * validation errors; bench/suite-results.md): 0.5 → mean MASE 1.4293, geometric mean
 * of model / seasonal naive 0.8084, 1 dataset worse than seasonal naive by > 10 %
 * (ansett-economy 0.643 against 0.573); 0.4 → 1.4301, 0.8079, none (ansett 0.610, while
 * us-unemployment-by-industry, where the network never beat its naive baseline and seasonal naive
 * halves its validation error, keeps half its gain: 2.373 → 2.436); 1/3, 1/4 or never → 1.4316,
 * 0.8083, none. It still switches a network several times worse than a baseline, as after
 * `rnncast update` meets a level shift.
 */
export const FALLBACK_THIN_SHARE = 0.4;

/**
 * The network, unless a baseline's validation MAE is below (1 - FALLBACK_MARGIN) of the network's,
 * or below FALLBACK_THIN_SHARE of it where the evidence is thin (FALLBACK_EVIDENCE).
 */
export function chooseMethod(score: SeriesScores, policy: FallbackPolicy, horizon: number): ForecastMethod {
  if (policy === 'none' || !(score.count > 0) || !Number.isFinite(score.mae.model)) return 'model';
  const thin = score.windows / horizon < FALLBACK_EVIDENCE;
  let best: ForecastMethod = 'model';
  let bestMae = score.mae.model * (thin ? FALLBACK_THIN_SHARE : 1 - FALLBACK_MARGIN);
  for (const method of ['seasonal_naive', 'naive', 'drift'] as const) {
    if (score.mae[method] < bestMae) {
      best = method;
      bestMae = score.mae[method];
    }
  }
  return best;
}

/** The raw target of each series, for scoring in data units. */
export function rawSeries(dataset: Dataset, indices: readonly number[]): Float64Array[] {
  return indices.map((index) => dataset.series[index]!.values);
}
