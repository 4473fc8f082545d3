// A saved model used on today's data: which columns to read by default, and whether the data
// fits the model. A model used on data it does not fit is refused, naming the mismatch (exit 65).
import { DataError } from '../errors.js';
import type { DataFlags } from '../data/options.js';
import type { Dataset } from '../data/types.js';
import { networkConfigOf, type ModelFile } from '../io/model-file.js';
import type { Network } from '../nn/network.js';
import { importWeights } from '../nn/serialize.js';

/**
 * With -m, the column flags (and --time-format, --tz) default to what the model was trained on. The frequency is inferred
 * from the data, not imposed: data at another frequency must be refused, not resampled to fit.
 */
export function dataFlagsForModel(flags: DataFlags, model: ModelFile): DataFlags {
  // How the time column was read: a --time-format, a zone (given, or found from changing offsets).
  const style = model.data.timeStyle;
  const timeFormat = flags.timeFormat ?? (style?.kind === 'custom' ? style.pattern : undefined);
  const tz = flags.tz ?? style?.zone ?? undefined;
  return {
    ...flags,
    target: flags.target ?? model.data.target,
    features: flags.features ?? (model.data.features.length > 0 ? model.data.features : undefined),
    id: flags.id ?? model.data.idColumn ?? undefined,
    ...(timeFormat === undefined ? {} : { timeFormat }),
    ...(tz === undefined ? {} : { tz }),
  };
}

/** A data error met while reading for a model, with what the model needs: most often a column is missing. */
export function withModelNeeds(error: DataError, model: ModelFile, modelPath: string): DataError {
  const features = model.data.features.length > 0 ? `, features ${model.data.features.join(',')}` : '';
  return new DataError(`${error.message} (model ${modelPath} needs target '${model.data.target}'${features}, frequency ${model.data.freq})`);
}

export function checkModelFits(model: ModelFile, dataset: Dataset, modelPath: string): void {
  const mismatch = (what: string, modelValue: string, dataValue: string): DataError =>
    new DataError(`${modelPath}: the model was trained with ${what} ${modelValue}, but ${dataset.source} has ${what} ${dataValue}`);
  if (model.data.target !== dataset.target) throw mismatch('target', `'${model.data.target}'`, `'${dataset.target}'`);
  const modelFeatures = model.data.features.join(',') || '(none)';
  const dataFeatures = dataset.features.join(',') || '(none)';
  if (modelFeatures !== dataFeatures) throw mismatch('features', modelFeatures, dataFeatures);
  if ((model.data.idColumn ?? '') !== (dataset.idColumn ?? '')) throw mismatch('id column', model.data.idColumn ?? '(none)', dataset.idColumn ?? '(none)');
  if (model.data.freq !== dataset.freq.code) throw mismatch('frequency', model.data.freq, dataset.freq.code);
  // Series shorter than the lookback are left-padded, or forecast by seasonal naive (predict.ts).
}

/** The ensemble a model file describes, first member first; a weight that does not fit is a data error naming the file. */
export function networksOfModel(model: ModelFile, modelPath: string): Network[] {
  try {
    return [model.weights, ...model.ensembleWeights].map((weights) => importWeights(networkConfigOf(model.config), weights, 'float32'));
  } catch (error: unknown) {
    if (error instanceof DataError) throw new DataError(`${modelPath}: ${error.message}`);
    throw error;
  }
}
