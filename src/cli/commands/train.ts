// rnncast train <input> -o MODEL
import { InterruptedError, UsageError } from '../../errors.js';
import type { DataFlags } from '../../data/options.js';
import { checkOutputPath } from '../../io/atomic-write.js';
import { writeOutput } from '../../io/predictions.js';
import { serializeModel } from '../../io/model-file.js';
import { readDataFlags } from '../../options/data.js';
import { trainFlags, trainingFlags } from '../../options/flags.js';
import { readGroup } from '../../options/read.js';
import type { TrainingOptions } from '../../train/options.js';
import type { Command, CommandContext } from '../context.js';
import { note } from '../context.js';
import { fileOutputs, loadData, trainWithProgress } from './shared.js';

export interface TrainCommandOptions {
  input: string;
  data: DataFlags;
  training: TrainingOptions;
  /** The model file; '-' is standard output. */
  output: string;
  chart: boolean;
}

async function runTrain({ input, data, training, output, chart }: TrainCommandOptions, context: CommandContext): Promise<void> {
  checkOutputPath(output);
  const dataset = await loadData(input, data, context);
  const fit = await trainWithProgress(dataset, training, context, chart);
  if (fit.model.training.stoppedBy === 'interrupted' && fit.model.training.epochs === 0) {
    // No round finished: an untrained model must not replace whatever -o holds.
    throw new InterruptedError(`interrupted before the first round of training finished; ${output === '-' ? 'nothing written' : `${output} left as it was`}`);
  }
  context.run?.model(fit.model, output === '-' ? null : output);
  await writeOutput(output, serializeModel(fit.model), context.stdout);
  if (fit.model.training.stoppedBy === 'interrupted') {
    throw new InterruptedError(`interrupted: saved the best model so far (round ${fit.model.training.bestEpoch}) to ${output}`);
  }
  if (output !== '-') note(context, `model written to ${output}`);
}

export const train: Command<TrainCommandOptions> = {
  options(input, given) {
    const { output, chart } = readGroup(trainFlags, given);
    if (output === undefined) throw new UsageError('train needs -o MODEL: the model file to write (- for standard output)');
    return { input, data: readDataFlags(given), training: readGroup(trainingFlags, given), output, chart };
  },
  run: runTrain,
  files: ({ output }) => ({ outputs: fileOutputs(output) }),
};
