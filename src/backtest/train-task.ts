// One backtest training, as a worker runs it (and as tests may run it in-process).
import { predictSeries } from '../forecast/predict.js';
import { fitModel } from '../train/fit.js';
import type { TrainReply, TrainTask } from './protocol.js';

export async function runTrainTask(task: TrainTask): Promise<TrainReply> {
  try {
    const fit = await fitModel(task.train, task.options, { toolVersion: task.toolVersion, seasonOverride: task.seasonGiven });
    const targets = task.predict ?? [task.train];
    const forecasts = targets.map((data) => predictSeries(fit.model, fit.networks, data, task.levels).forecasts);
    const { training, config } = fit.model;
    return {
      index: task.index,
      ok: true,
      forecasts,
      summary: { epochs: training.epochs, bestEpoch: training.bestEpoch, steps: training.steps, stoppedBy: training.stoppedBy, lookback: config.lookback, horizon: config.horizon, transform: fit.model.data.why ?? fit.model.data.transform },
      seconds: fit.result.seconds,
    };
  } catch (error: unknown) {
    const failure = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) };
    return { index: task.index, ok: false, error: failure };
  }
}
