// rnncast update <input> -m MODEL -o MODEL: fine-tune a saved model on the data as it is now.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataError, InterruptedError, UsageError } from '../../errors.js';
import type { DataFlags } from '../../data/options.js';
import { checkOutputPath } from '../../io/atomic-write.js';
import { readModelFile, serializeModel } from '../../io/model-file.js';
import { writeOutput } from '../../io/predictions.js';
import { readDataFlags } from '../../options/data.js';
import { updateFlags } from '../../options/flags.js';
import { readGroup } from '../../options/read.js';
import type { UpdateOptions } from '../../train/update.js';
import { toolVersion } from '../../version.js';
import type { Command, CommandContext } from '../context.js';
import { note } from '../context.js';
import { fileOutputs, loadData, methodSummary, toStdout } from './shared.js';

export interface UpdateCommandOptions {
  input: string;
  data: DataFlags;
  /** The model to update. */
  model: string;
  /** The updated model; may be the same file; '-' is standard output. */
  output: string;
  update: UpdateOptions;
}

function updateOptions(input: string, given: Parameters<Command<unknown>['options']>[1]): UpdateCommandOptions {
  const { model, output, ...update } = readGroup(updateFlags, given);
  if (model === undefined) throw new UsageError('update needs -m MODEL: the model file to update');
  if (output === undefined) throw new UsageError('update needs -o MODEL: where to write the updated model (the -m file itself is fine)');
  if (model === '-') throw new UsageError('-m - : update reads the model from a file, not from standard input');
  return { input, data: readDataFlags(given), model, output, update };
}

const loss = (value: number | null): string => (value === null ? '-' : value.toPrecision(4));

async function runUpdate(options: UpdateCommandOptions, context: CommandContext): Promise<void> {
  const { input, model: modelPath, output } = options;
  checkOutputPath(output);
  const { checkModelFits, dataFlagsForModel, networksOfModel, withModelNeeds } = await import('../../forecast/model-fit.js');
  const model = readModelFile(modelPath);
  const networks = networksOfModel(model, modelPath);
  let dataset;
  try {
    dataset = await loadData(input, dataFlagsForModel(options.data, model), context);
  } catch (error: unknown) {
    throw error instanceof DataError ? withModelNeeds(error, model, modelPath) : error;
  }
  checkModelFits(model, dataset, modelPath);
  context.run?.model(model, modelPath);

  const { newData, updateModel } = await import('../../train/update.js');
  const added = newData(model, dataset, modelPath);
  if (added.rows === 0) {
    // Nothing new: the model stays byte for byte what it was (a copy when -o names another file).
    const same = !toStdout(output) && resolve(output) === resolve(modelPath);
    if (!same) await writeOutput(output, readFileSync(modelPath), context.stdout);
    const message = `nothing new since the model's last training time: ${same ? `${modelPath} left as it is` : `${toStdout(output) ? 'standard output' : output} is a copy of ${modelPath}`}`;
    if (context.run === undefined) note(context, message);
    else context.run.nothingToDo(message);
    return;
  }

  const { createTrainingProgress } = await import('../../report/progress.js');
  const progress = await createTrainingProgress(context);
  let updated;
  try {
    updated = await updateModel(model, networks, dataset, added, options.update, { onRound: (event) => progress.update(event), signal: context.signal, toolVersion: toolVersion(), workers: true });
  } finally {
    progress.stop();
  }
  // A fine-tune cut short must not replace a good model: the file stays as it was.
  if (updated.interrupted) throw new InterruptedError(`interrupted while updating; ${toStdout(output) ? 'nothing written' : `${output} left as it was`}`);
  const { entry } = updated;
  const admitted = entry.seriesAdded === 0 ? '' : `, ${entry.seriesAdded} new series admitted`;
  const kept = entry.valLossAfter !== null && entry.valLossBefore !== null && entry.valLossAfter >= entry.valLossBefore ? ' (no improvement: the weights are kept as they were)' : '';
  note(context, `update: ${entry.rowsAdded} new row${entry.rowsAdded === 1 ? '' : 's'}${admitted}; ${entry.steps} steps; validation loss on the newest windows ${loss(entry.valLossBefore)} → ${loss(entry.valLossAfter)}${kept} (${entry.seconds.toFixed(1)} s)`);
  if (updated.model.data.series.some((series) => series.method !== 'model')) note(context, `forecast by: ${methodSummary(updated.model)}`);
  context.run?.model(updated.model, toStdout(output) ? null : output);
  await writeOutput(output, serializeModel(updated.model), context.stdout);
  if (!toStdout(output)) note(context, `model written to ${output}`);
}

export const update: Command<UpdateCommandOptions> = {
  options: updateOptions,
  run: runUpdate,
  files: (options) => ({ outputs: fileOutputs(options.output), model: options.model }),
};
