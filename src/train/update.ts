// `rnncast update`: a saved model fine-tuned on the data as it is now. Every ensemble member
// starts from its saved weights and trains for a small budget on the windows the data now holds
// (in worker threads from the CLI, as in training), early-stopping on the newest ones (the most
// recent --val-size share, as in training); round 0 scores the saved weights, so an update that
// cannot improve them keeps them. The series keep their saved scales (the network learned in
// those units); series new to a panel, and series that were too short to train on, get scales
// fitted on their own training part. Then the share of the correction kept, the safety net's
// choice per series and the interval calibration are measured again on the newest windows, and
// the update is recorded in the model's lineage.
//
// The optimizer starts afresh: Adam's moments are not saved in the model file (they would triple
// its size, two numbers per weight and member, and they describe the gradients of the old data).
// The fine-tune runs at the model's own learning rate: fresh moments make the first steps move
// every weight by about that rate, which could undo a converged model, but round 0 keeps the saved
// weights unless training beats them on the newest windows.
import { DataError, where } from '../errors.js';
import { fitFrame, frameFor, specReach, windowRefs, type SeriesFrame } from '../data/prepare.js';
import type { Dataset } from '../data/types.js';
import { firstOrigin, minimumLength } from '../data/window.js';
import { logForNewSeries, specOf, stateOf } from '../forecast/predict.js';
import { seriesProgress } from '../forecast/staleness.js';
import { networkConfigOf } from '../io/model-file.js';
import type { ModelFile, ModelSeries, ModelUpdate } from '../io/model-file.js';
import type { Network } from '../nn/network.js';
import { exportWeights } from '../nn/serialize.js';
import { assessEnsemble, calibrationFrom, MAX_STOPPING_WINDOWS, seriesRecords, thinWindows } from './fit.js';
import type { FitHooks, TrainedFrames } from './fit.js';
import type { TrainResult } from './loop.js';
import { trainMembers } from './members.js';
import type { ResolvedTrainingOptions } from './options.js';
import type { updateFlags } from '../options/flags.js';
import type { OptionsOf } from '../options/spec.js';

/** The fine-tune's budget, rate, patience, seed and threads (src/options/flags.ts); the model fixes everything else. */
export type UpdateOptions = Omit<OptionsOf<typeof updateFlags>, 'model' | 'output'>;

/** What the data holds that the model has not seen. */
export interface NewData {
  /** Points after each known series' last training time, plus every point of the new series. */
  rows: number;
  /** Series of the data the model never saw. */
  series: string[];
}

/**
 * What is new in the data. A series the model knows must still hold its last training time: data
 * that was cut or rewritten is not an update of what the model saw (exit 65, retrain instead).
 */
export function newData(model: ModelFile, dataset: Dataset, modelPath: string): NewData {
  let rows = 0;
  const series: string[] = [];
  for (const { index, stored, seen } of seriesProgress(model, dataset)) {
    const one = dataset.series[index]!;
    if (stored === undefined) {
      series.push(one.id);
      rows += one.values.length;
      continue;
    }
    if (seen < 0) {
      const which = one.id === '' ? '' : ` of series '${one.id}'`;
      throw new DataError(`${modelPath}: the model's last training time${which}, ${stored.lastTime}, is not among the times of ${where(dataset.source)}: the data does not continue what the model saw; retrain it (rnncast train)`);
    }
    rows += one.values.length - 1 - seen;
  }
  return { rows, series };
}

/** The updated model, or nothing when a signal cut the update short (the saved model must stay as it was). */
export type UpdateResult =
  | { interrupted: true }
  | {
    interrupted: false;
    model: ModelFile;
    networks: Network[];
    entry: ModelUpdate;
    /** The first member's fine-tune (progress, the stop line). */
    result: TrainResult;
  };

/** The training options of the fine-tune: the model's own, with the update's budget, rate, patience, seed and threads. */
function fineTuneOptions(model: ModelFile, options: UpdateOptions): ResolvedTrainingOptions {
  const { inputs: _inputs, headInputs: _headInputs, ...stored } = model.config;
  return {
    ...stored,
    transform: model.data.transform,
    windowScale: model.data.windowScale === true,
    steps: options.steps,
    maxTime: options.maxTime,
    lr: options.lr ?? model.config.lr,
    patience: options.patience,
    seed: options.seed,
    jobs: options.jobs,
  };
}

const mean = (values: number[]): number | null => {
  const finite = values.filter((value) => Number.isFinite(value));
  return finite.length === 0 ? null : finite.reduce((sum, value) => sum + value, 0) / finite.length;
};

export async function updateModel(model: ModelFile, networks: readonly Network[], dataset: Dataset, added: NewData, options: UpdateOptions, hooks: FitHooks): Promise<UpdateResult> {
  const started = performance.now();
  const spec = specOf(model);
  const { valSize } = model.config;
  const stored = new Map(model.data.series.map((series) => [series.id, series]));
  const logs = dataset.series.map((series) => stored.get(series.id)?.log ?? logForNewSeries(model, series));
  // As in training: a series too short for lookback, horizon and the validation split is forecast by a baseline.
  const needed = minimumLength(firstOrigin(spec.lookback, specReach(spec)), spec.horizon, valSize);
  const trainIndices = dataset.series.map((_, index) => index).filter((index) => dataset.series[index]!.values.length >= needed);
  const frames: SeriesFrame[] = trainIndices.map((index) => {
    const series = dataset.series[index]!;
    const known = stored.get(series.id);
    // A series the model trained on keeps its scales; one it never trained on (new, or too short then) has none worth keeping.
    const trained = known !== undefined && known.rows >= needed;
    return trained ? frameFor(series, stateOf(known), spec, dataset, valSize) : fitFrame(series, logs[index]!, spec, dataset, valSize);
  });
  const val = windowRefs(frames, 'val', spec.horizon);
  const data = { frames, spec, train: windowRefs(frames, 'train', spec.horizon), val: thinWindows(val, MAX_STOPPING_WINDOWS) };

  const from = networks.map((network) => Float32Array.from(network.params));
  const results = await trainMembers(data, networkConfigOf(model.config), fineTuneOptions(model, options), { signal: hooks.signal, onRound: hooks.onRound, workers: hooks.workers === true }, from);
  // A member stopped by a signal, or one that never ran: the update is incomplete.
  if (results.length < networks.length || results.some((result) => result.stoppedBy === 'interrupted')) return { interrupted: true };
  const tuned = results.map((result) => result.network);
  const first = results[0]!;
  const trained: TrainedFrames = { dataset, trainIndices, frames, spec, val };
  const assessed = await assessEnsemble(tuned, trained, model.data.season, model.config.fallback, hooks.signal);
  if (hooks.signal?.aborted === true) return { interrupted: true };
  const { selection } = assessed;
  // Nothing measured (no validation windows): the correction weight stays as training fitted it.
  const weight = selection === null ? model.data.correctionWeight : assessed.weight;

  // Series of the model that the data no longer holds keep their records: they may come back.
  const records = seriesRecords(trained, logs, selection, model.config.scale);
  const present = new Set(records.map((record) => record.id));
  const series: ModelSeries[] = [...records, ...model.data.series.filter((record) => !present.has(record.id))];
  const validated = val.count > 0;
  const entry: ModelUpdate = {
    time: new Date().toISOString(),
    rowsAdded: added.rows,
    seriesAdded: added.series.length,
    steps: first.steps,
    valLossBefore: validated ? mean(results.map((result) => result.initialLoss)) : null,
    valLossAfter: validated ? mean(results.map((result) => result.bestLoss)) : null,
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
  };
  const updated: ModelFile = {
    ...model,
    rnncast: hooks.toolVersion,
    data: {
      ...model.data,
      correctionWeight: Number(weight.toPrecision(6)),
      series,
      fingerprint: { sha256: dataset.sha256, rows: dataset.rowCount },
    },
    weights: exportWeights(tuned[0]!),
    ensembleWeights: tuned.slice(1).map((network) => exportWeights(network)),
    calibration: selection === null ? model.calibration : calibrationFrom(selection),
    updates: [...(model.updates ?? []), entry],
  };
  return { interrupted: false, model: updated, networks: tuned, entry, result: first };
}
