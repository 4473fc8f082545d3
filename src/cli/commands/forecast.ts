// rnncast forecast <input> [-m MODEL] [--save-model FILE] [-o FILE]
import { resolve } from 'node:path';
import { DataError, InterruptedError, UsageError } from '../../errors.js';
import type { DataFlags } from '../../data/options.js';
import type { Dataset } from '../../data/types.js';
import { checkOutputPath } from '../../io/atomic-write.js';
import { readModelFile, serializeModel } from '../../io/model-file.js';
import type { ModelFile } from '../../io/model-file.js';
import { writeOutput } from '../../io/predictions.js';
import type { Network } from '../../nn/network.js';
import { readDataFlags } from '../../options/data.js';
import { forecastFlags, trainingFlags } from '../../options/flags.js';
import { flagsGiven, readGroup } from '../../options/read.js';
import type { GivenFlags } from '../../options/read.js';
import type { TrainingOptions } from '../../train/options.js';
import type { Command, CommandContext } from '../context.js';
import { note, warn } from '../context.js';
import { loadData, outputOptions, refuseBinaryOnTerminal, toStdout, trainWithProgress } from './shared.js';
import type { OutputOptions } from './shared.js';

/** With -m, the data flags default to what the model was trained on (the time column is found anew). */
function flagsFromModel(flags: DataFlags, model: ModelFile): DataFlags {
  return {
    ...flags,
    target: flags.target ?? model.data.target,
    features: flags.features ?? (model.data.features.length > 0 ? model.data.features : undefined),
    id: flags.id ?? model.data.idColumn ?? undefined,
    freq: flags.freq ?? model.data.freq,
    timeFormat: flags.timeFormat ?? (model.data.timeStyle.kind === 'custom' ? model.data.timeStyle.pattern : undefined),
    tz: flags.tz ?? model.data.timeStyle.zone ?? undefined,
  };
}

/** A model used on data it does not fit is refused, naming the mismatch (exit 65). */
export function checkModelFits(model: ModelFile, dataset: Dataset, modelPath: string): void {
  const mismatch = (what: string, modelValue: string, dataValue: string): DataError =>
    new DataError(`${modelPath}: the model was trained with ${what} ${modelValue}, but ${dataset.source} has ${dataValue}`);
  if (model.data.target !== dataset.target) throw mismatch('target', `'${model.data.target}'`, `target '${dataset.target}'`);
  const modelFeatures = model.data.features.join(',') || '(none)';
  const dataFeatures = dataset.features.join(',') || '(none)';
  if (modelFeatures !== dataFeatures) throw mismatch('features', modelFeatures, `features ${dataFeatures}`);
  if ((model.data.idColumn ?? '') !== (dataset.idColumn ?? '')) {
    throw mismatch('id column', model.data.idColumn ?? '(none)', `id column ${dataset.idColumn ?? '(none)'}`);
  }
  if (model.data.freq !== dataset.freq.code) throw mismatch('frequency', model.data.freq, `frequency ${dataset.freq.code}`);
  const shortest = dataset.series.reduce((min, series) => Math.min(min, series.values.length), Infinity);
  const needed = model.config.lookback + (model.data.transform === 'diff' ? 1 : 0);
  if (shortest < needed) throw new DataError(`${dataset.source}: a series has ${shortest} points; the model's lookback needs at least ${needed}`);
}

export interface ForecastCommandOptions {
  input: string;
  data: DataFlags;
  training: TrainingOptions;
  output: OutputOptions;
  chart: boolean;
  /** A wide input: write the forecast long instead of wide. */
  long: boolean;
  /** Interval levels in percent; [] for none. */
  levels: number[];
  /** -m: forecast with this model instead of training one. */
  model?: string;
  /** Keep the model trained on the fly here. */
  saveModel?: string;
  /** Model and training flags given on the command line with -m: the model file fixes them, so a warning names them. */
  ignoredWithModel: string[];
}

function forecastOptions(input: string, given: GivenFlags): ForecastCommandOptions {
  const data = readDataFlags(given);
  const training = readGroup(trainingFlags, given);
  const flags = readGroup(forecastFlags, given);
  const { model } = flags;
  // -m on the command line trains nothing: a --save-model from a shared environment or config has nothing to keep.
  const saveModel = model !== undefined && given.get('save-model')?.source.kind !== 'command line' ? undefined : flags.saveModel;
  const output = outputOptions(flags.output, flags.format);
  if (model !== undefined && saveModel !== undefined) {
    throw new UsageError(`--save-model keeps a model trained on the fly; with -m ${model} nothing is trained (copy the file instead)`);
  }
  if (saveModel !== undefined && toStdout(saveModel) && toStdout(output.path)) {
    throw new UsageError('--save-model - and the forecast would both write to standard output; give one of them a file (-o FILE)');
  }
  if (saveModel !== undefined && !toStdout(saveModel) && !toStdout(output.path) && resolve(saveModel) === resolve(output.path!)) {
    throw new UsageError(`--save-model and -o both name ${saveModel}; the forecast would overwrite the model`);
  }
  // Only the command line: an environment or config file shared with `train` is meant to be shared.
  const ignoredWithModel = model === undefined ? [] : flagsGiven(trainingFlags, given).filter((flag) => flag !== 'jobs' && given.get(flag)?.source.kind === 'command line');
  return { input, data, training, output, chart: flags.chart, long: flags.long, levels: flags.levels, model, saveModel, ignoredWithModel };
}

async function runForecast(options: ForecastCommandOptions, context: CommandContext): Promise<void> {
  const { input, training, output, chart, long, levels, saveModel } = options;
  const modelPath = options.model;
  let dataFlags = options.data;
  refuseBinaryOnTerminal(output, context);
  checkOutputPath(output.path);
  checkOutputPath(saveModel);

  let model: ModelFile;
  let network: Network;
  let dataset: Dataset;
  if (modelPath !== undefined) {
    model = readModelFile(modelPath);
    // The model fixes its shape and training; flags about them would silently do nothing.
    const ignored = options.ignoredWithModel;
    if (ignored.length > 0) warn(context, `ignored with -m (the model file fixes them): ${ignored.map((flag) => `--${flag}`).join(', ')}`);
    const freqGiven = dataFlags.freq;
    dataFlags = flagsFromModel(dataFlags, model);
    const { importWeights } = await import('../../nn/serialize.js');
    network = importWeightsOrFail(importWeights, model, modelPath);
    try {
      dataset = await loadData(input, dataFlags, context);
    } catch (error: unknown) {
      if (!(error instanceof DataError)) throw error;
      // Data at another frequency does not fit the model's grid: say that, not where the grid broke.
      if (freqGiven === undefined && input !== '-') await refuseOtherFrequency(input, { ...dataFlags, freq: undefined }, model, modelPath);
      // Most often the columns the model needs are not there: say which model asked for them.
      throw new DataError(`${error.message} (model ${modelPath} needs target '${model.data.target}'${model.data.features.length ? `, features ${model.data.features.join(',')}` : ''}, frequency ${model.data.freq})`);
    }
    checkModelFits(model, dataset, modelPath);
    if (model.data.wide) dataset = { ...dataset, wide: true }; // all-numeric may have found one column
  } else {
    dataset = await loadData(input, dataFlags, context);
    const fit = await trainWithProgress(dataset, training, context, chart);
    if (fit.model.training.stoppedBy === 'interrupted') {
      // Every earlier output stays as it was (PRODUCT.md), --save-model too: a nightly run cut short
      // must not replace yesterday's good model with a half-trained one. `train` is the way to keep it.
      throw new InterruptedError(`interrupted while training; no forecast written${saveModel === undefined ? '' : ` and ${saveModel} left as it was`}`);
    }
    model = fit.model;
    network = fit.result.network;
    if (saveModel !== undefined) {
      await writeOutput(saveModel, serializeModel(model), context.stdout);
      note(context, `model written to ${saveModel}`);
    }
  }
  if (context.signal.aborted) throw new InterruptedError('interrupted; no forecast written');

  const { predictSeries } = await import('../../forecast/predict.js');
  const { forecastTable } = await import('../../forecast/table.js');
  const forecasts = predictSeries(model, network, dataset, levels);
  const table = forecastTable(dataset, forecasts, levels, long);
  const { renderFile } = await import('../../io/render.js');
  const { forecastSheets } = await import('../../forecast/workbook.js');
  await writeOutput(output.path, await renderFile(table, output.format, () => forecastSheets(table, dataset, model, forecasts, { input, modelPath, levels })), context.stdout);
  if (output.path !== undefined && output.path !== '-') note(context, `forecast written to ${output.path}`);
  if (chart && !context.quiet) {
    const { forecastChart } = await import('../../report/forecast-chart.js');
    context.stderr.write(forecastChart(dataset, forecasts, context));
  }
}

/** Throws the frequency mismatch if the data, read without the model's --freq, has another one; else returns. */
async function refuseOtherFrequency(input: string, flags: DataFlags, model: ModelFile, modelPath: string): Promise<void> {
  const { loadDataset } = await import('../../data/load.js');
  let freq: string;
  try {
    freq = (await loadDataset({ input, ...flags })).freq.code;
  } catch {
    return; // broken either way: the first error is the one to show
  }
  if (freq !== model.data.freq) {
    throw new DataError(`${modelPath}: the model was trained with frequency ${model.data.freq}, but ${input} has frequency ${freq}`);
  }
}

function importWeightsOrFail(importWeights: typeof import('../../nn/serialize.js').importWeights, model: ModelFile, path: string): Network {
  try {
    return importWeights(
      {
        cell: model.config.cell,
        inputSize: model.config.inputs.length,
        hiddenSize: model.config.hiddenSize,
        numLayers: model.config.numLayers,
        bidirectional: model.config.bidirectional,
        dropout: model.config.dropout,
        horizon: model.config.horizon,
      },
      model.weights,
      'float32',
    );
  } catch (error: unknown) {
    if (error instanceof DataError) throw new DataError(`${path}: ${error.message}`);
    throw error;
  }
}

export const forecast: Command<ForecastCommandOptions> = { options: forecastOptions, run: runForecast };
