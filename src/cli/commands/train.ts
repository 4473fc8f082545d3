// rnncast train <input> -o MODEL
import { InterruptedError, UsageError } from '../../errors.js';
import { checkOutputPath } from '../../io/atomic-write.js';
import { writeOutput } from '../../io/predictions.js';
import { serializeModel } from '../../io/model-file.js';
import type { CommandContext } from '../context.js';
import { note } from '../context.js';
import type { Argv } from '../options.js';
import { booleanFlag, inputArgument, optionalString, toDataFlags, toTrainingOptions } from '../options.js';
import { loadData, trainWithProgress } from './shared.js';

export async function handleTrain(argv: Argv, context: CommandContext): Promise<void> {
  const input = inputArgument(argv);
  const dataFlags = toDataFlags(argv);
  const options = toTrainingOptions(argv);
  const output = optionalString(argv, 'output');
  if (output === undefined) throw new UsageError('train needs -o MODEL: the model file to write (- for standard output)');
  const chart = booleanFlag(argv, 'chart', true);
  checkOutputPath(output);

  const dataset = await loadData(input, dataFlags, context);
  const fit = await trainWithProgress(dataset, options, context, chart);
  if (fit.model.training.stoppedBy === 'interrupted' && fit.model.training.epochs === 0) {
    // No round finished: an untrained model must not replace whatever -o holds.
    throw new InterruptedError(`interrupted before the first round of training finished; ${output === '-' ? 'nothing written' : `${output} left as it was`}`);
  }
  await writeOutput(output, serializeModel(fit.model), context.stdout);
  if (fit.model.training.stoppedBy === 'interrupted') {
    throw new InterruptedError(`interrupted: saved the best model so far (round ${fit.model.training.bestEpoch}) to ${output}`);
  }
  if (output !== '-') note(context, `model written to ${output}`);
}
