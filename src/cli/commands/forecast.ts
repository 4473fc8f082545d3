// rnncast forecast <input> [-m MODEL] [--save-model FILE] [-o FILE]
import { resolve } from 'node:path';
import { DataError, InterruptedError, StaleModelError, UsageError } from '../../errors.js';
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
import { fileOutputs, loadData, outputOptions, refuseBinaryOnTerminal, toStdout, trainWithProgress } from './shared.js';
import type { OutputOptions } from './shared.js';

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
  /** With -m: periods the data may run past the model (undefined: one season), and whether more is an error (exit 4). */
  maxAge?: number;
  strict: boolean;
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
  return { input, data, training, output, chart: flags.chart, long: flags.long, levels: flags.levels, model, saveModel, ignoredWithModel, maxAge: flags.maxAge, strict: flags.strict };
}

async function runForecast(options: ForecastCommandOptions, context: CommandContext): Promise<void> {
  const { input, training, output, chart, long, levels, saveModel } = options;
  const modelPath = options.model;
  refuseBinaryOnTerminal(output, context);
  checkOutputPath(output.path);
  checkOutputPath(saveModel);

  let model: ModelFile;
  let networks: Network[];
  let dataset: Dataset;
  if (modelPath !== undefined) {
    const { checkModelFits, dataFlagsForModel, networksOfModel, withModelNeeds } = await import('../../forecast/model-fit.js');
    model = readModelFile(modelPath);
    // The model fixes its shape and training; flags about them would silently do nothing.
    const ignored = options.ignoredWithModel;
    if (ignored.length > 0) warn(context, `ignored with -m (the model file fixes them): ${ignored.map((flag) => `--${flag}`).join(', ')}`);
    networks = networksOfModel(model, modelPath);
    try {
      dataset = await loadData(input, dataFlagsForModel(options.data, model), context);
    } catch (error: unknown) {
      throw error instanceof DataError ? withModelNeeds(error, model, modelPath) : error;
    }
    checkModelFits(model, dataset, modelPath);
    if (model.data.wide) dataset = { ...dataset, wide: true }; // all-numeric may have found one column
    context.run?.model(model, modelPath);
    const { describeStaleness, staleness } = await import('../../forecast/staleness.js');
    const age = staleness(model, dataset, options.maxAge);
    context.run?.age(age);
    if (age.stale) {
      const message = describeStaleness(age, modelPath, options.maxAge !== undefined);
      // A cron wrapper retrains on exit 4; nothing is written from a model that old.
      if (options.strict) throw new StaleModelError(`${message}; retrain (rnncast train) or update it (rnncast update); nothing written (--strict)`);
      warn(context, message);
    }
  } else {
    dataset = await loadData(input, options.data, context);
    const fit = await trainWithProgress(dataset, training, context, chart);
    if (fit.model.training.stoppedBy === 'interrupted') {
      // Every earlier output stays as it was (PRODUCT.md), --save-model too: a nightly run cut short
      // must not replace yesterday's good model with a half-trained one. `train` is the way to keep it.
      throw new InterruptedError(`interrupted while training; no forecast written${saveModel === undefined ? '' : ` and ${saveModel} left as it was`}`);
    }
    model = fit.model;
    networks = fit.networks;
    context.run?.model(model, saveModel === undefined || toStdout(saveModel) ? null : saveModel);
    if (saveModel !== undefined) {
      await writeOutput(saveModel, serializeModel(model), context.stdout);
      note(context, `model written to ${saveModel}`);
    }
  }
  if (context.signal.aborted) throw new InterruptedError('interrupted; no forecast written');

  const { predictSeries } = await import('../../forecast/predict.js');
  const { forecastTable } = await import('../../forecast/table.js');
  const { forecasts, unseen, approximated } = predictSeries(model, networks, dataset, levels);
  if (unseen.length > 0) {
    warn(context, `${unseen.length} series not in the model, forecast with scales fitted on their own history: ${unseen.slice(0, 5).map((id) => `'${id}'`).join(', ')}${unseen.length > 5 ? ', ...' : ''}`);
  }
  if (approximated.length > 0) {
    warn(context, `too few validation windows to read the ${approximated.map((level) => `${level}%`).join(' and ')} interval${approximated.length > 1 ? 's' : ''} from the residuals alone: widened with their spread (a normal approximation)`);
  }
  const table = forecastTable(dataset, forecasts, levels, long);
  const { renderFile } = await import('../../io/render.js');
  const { forecastSheets } = await import('../../forecast/workbook.js');
  await writeOutput(output.path, await renderFile(table, output.format, () => forecastSheets(table, dataset, model, forecasts, { input, modelPath, levels })), context.stdout);
  if (output.path !== undefined && output.path !== '-') note(context, `forecast written to ${output.path}`);
  if (chart && !context.quiet) {
    const { forecastChart } = await import('../../report/forecast-chart.js');
    context.stderr.write(forecastChart(dataset, forecasts, { width: context.columns, color: context.color }));
  }
}

export const forecast: Command<ForecastCommandOptions> = {
  options: forecastOptions,
  run: runForecast,
  files: (options) => ({ outputs: fileOutputs(options.output.path, options.saveModel), model: options.model }),
};
