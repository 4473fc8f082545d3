// Steps that several commands share: loading data with its warnings, and training with progress,
// a loss chart, one line saying why training stopped, and what the safety net chose.
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { note, warn } from '../context.js';
import type { DataFlags } from '../../data/options.js';
import type { Dataset, LoadOptions } from '../../data/types.js';
import { describeBaseline } from '../../data/baseline.js';
import { defaultHorizonFor, futureNote } from '../../data/future.js';
import type { ModelFile } from '../../io/model-file.js';
import type { FitResult } from '../../train/fit.js';
import type { TrainingOptions } from '../../train/options.js';
import type { OutputFormat } from '../../options/choices.js';
import { toolVersion } from '../../version.js';

export interface OutputOptions {
  /** undefined or '-' → standard output. */
  path: string | undefined;
  format: OutputFormat;
}

export const toStdout = (path: string | undefined): boolean => path === undefined || path === '-';

/** The paths that are files (standard output is not), in order: a run's outputs for the lock and --if-changed. */
export function fileOutputs(...paths: (string | undefined)[]): string[] {
  return paths.filter((path): path is string => !toStdout(path));
}

/** The format from --format, else the extension of -o, else csv. */
export function outputOptions(path: string | undefined, format: OutputFormat | undefined): OutputOptions {
  if (format !== undefined) return { path, format };
  const extension = path?.toLowerCase().match(/\.(csv|json|ndjson|jsonl|xlsx|arrow|feather|ipc)$/)?.[1];
  const byExtension: Record<string, OutputFormat> = { json: 'json', ndjson: 'ndjson', jsonl: 'ndjson', xlsx: 'xlsx', arrow: 'arrow', feather: 'arrow', ipc: 'arrow' };
  return { path, format: (extension === undefined ? undefined : byExtension[extension]) ?? 'csv' };
}

/**
 * The file's series, or with --shard only this run's part of them (none when the shard is empty:
 * the command then writes an empty output and exits 0, so a cron job or a pod does not fail).
 */
export async function loadData(input: string, flags: DataFlags, context: CommandContext, extra: Pick<LoadOptions, 'ambiguousTarget'> = {}): Promise<Dataset> {
  const { loadDataset } = await import('../../data/load.js');
  const { shard, ...load } = flags;
  const dataset = await loadDataset({ input, ...load, ...extra, stdin: context.stdin });
  // Under --if-changed this ends the run when nothing changed: before warnings that would repeat each run.
  context.run?.loaded(dataset);
  for (const line of dataset.notes ?? []) note(context, line);
  for (const line of dataset.warnings) warn(context, line);
  if (shard === undefined) return dataset;
  const { selectShard } = await import('../../data/shard.js');
  const selection = selectShard(dataset, shard);
  if (selection.emptyWarning === undefined) note(context, selection.note);
  else warn(context, selection.emptyWarning);
  return selection.dataset;
}

/** A terminal would show a binary file (--format xlsx or arrow without -o) as garbage. */
export function refuseBinaryOnTerminal(output: OutputOptions, context: CommandContext): void {
  if (toStdout(output.path) && (output.format === 'xlsx' || output.format === 'arrow') && (context.stdout as { isTTY?: boolean }).isTTY === true) {
    throw new UsageError(`--format ${output.format} writes a binary file: give -o FILE.${output.format}, or pipe standard output`);
  }
}

export function stopLine(model: ModelFile): string {
  const { training } = model;
  const kept = training.bestEpoch === 0 ? 'kept the untrained network (round 0)' : `kept round ${training.bestEpoch} of ${training.epochs}`;
  const steps = `${training.steps} step${training.steps === 1 ? '' : 's'}`;
  switch (training.stoppedBy) {
    case 'early-stopping':
      return `stopped early after ${steps}: no validation improvement for ${model.config.patience} rounds; ${kept}`;
    case 'max-epochs':
      return `stopped at the budget (${steps}; --steps ${model.config.steps}, --epochs ${model.config.epochs}); ${kept}`;
    case 'time-limit':
      return `stopped at the time budget (--max-time ${model.config.maxTime} s) after ${steps}; ${kept}`;
    case 'interrupted':
      return `interrupted after ${steps}; ${kept}`;
    case 'diverged':
      return `stopped: the loss became non-finite (diverged) after ${steps}; ${kept}`;
  }
}

/** A model that barely trained: say so, and what to try. */
export function trainingWarnings(model: ModelFile): string[] {
  const warnings: string[] = [];
  const { training, data } = model;
  const hasBaseline = data.baseline !== 'none';
  const baseline = describeBaseline({ kind: data.baseline, season: data.baseSeason });
  if (training.stoppedBy === 'interrupted' || training.history.length === 0) return warnings;
  const members = training.members;
  const untrained = members.filter((member) => member.bestEpoch === 0).length;
  if (untrained === members.length && hasBaseline && startsFromFuture(model)) {
    // Round 0 is the baseline plus the known-future covariates' linear effect (src/train/known-future.ts).
    warnings.push(`the network never beat its starting point on validation (kept round 0): forecasts are the ${baseline} baseline plus the linear effect of ${data.futureFeatures.join(', ')}; try a larger --lr (e.g. 0.01) or more data for more than that`);
  } else if (untrained === members.length) {
    warnings.push(hasBaseline
      ? `the network never beat its baseline on validation (kept round 0): forecasts are the ${baseline} baseline; try a larger --lr (e.g. 0.01), more data, or --transform none`
      : `validation never improved on the untrained network: try a larger --lr (e.g. 0.01) or a --transform with a baseline (auto)`);
  } else if (training.bestEpoch === 1 && training.epochs > 1) {
    warnings.push(`the best round was the first of ${training.epochs}: the network overfits quickly; try a smaller --lr, --hidden 32, or a larger --val-size`);
  }
  return warnings;
}

/** The head started from the known-future covariates' linear effect: some of its extra columns are not zero. */
function startsFromFuture(model: ModelFile): boolean {
  const extra = model.config.headInputs.length;
  const head = model.weights['head.weight'];
  if (extra === 0 || head === undefined) return false;
  const columns = head.shape[1] ?? 0;
  for (let row = 0; row < (head.shape[0] ?? 0); row++) {
    for (let column = columns - extra; column < columns; column++) if (head.values[row * columns + column] !== 0) return true;
  }
  return false;
}

/** Counts of the methods the safety net chose, e.g. "model 18, seasonal_naive 2". */
export function methodSummary(model: ModelFile): string {
  const counts = new Map<string, number>();
  for (const series of model.data.series) counts.set(series.method, (counts.get(series.method) ?? 0) + 1);
  return [...counts.entries()].map(([method, count]) => `${method} ${count}`).join(', ');
}

/** What the head will read ahead, and how far (--future-features): one note. */
export function noteFuture(dataset: Dataset, options: Pick<TrainingOptions, 'horizon'>, context: CommandContext): void {
  if (dataset.futureFeatures.length === 0) return;
  const line = futureNote(dataset, options.horizon ?? defaultHorizonFor(dataset), options.horizon !== undefined);
  if (line !== null) note(context, line);
}

export async function trainWithProgress(dataset: Dataset, options: TrainingOptions, context: CommandContext, chart: boolean, seasonOverride?: number): Promise<FitResult> {
  const { fitModel } = await import('../../train/fit.js');
  const { createTrainingProgress } = await import('../../report/progress.js');
  noteFuture(dataset, options, context);
  const progress = await createTrainingProgress(context);
  let fit: FitResult;
  try {
    fit = await fitModel(dataset, options, { onRound: (event) => progress.update(event), signal: context.signal, toolVersion: toolVersion(), seasonOverride, workers: true });
  } finally {
    progress.stop();
  }
  const { config, data } = fit.model;
  if (data.why !== null) note(context, data.why);
  if (fit.skipped.length > 0) {
    warn(context, `${fit.skipped.length} series too short to train on (fewer points than lookback ${config.lookback} + horizon ${config.horizon} need), forecast by seasonal naive: ${fit.skipped.slice(0, 5).map((id) => `'${id}'`).join(', ')}${fit.skipped.length > 5 ? ', ...' : ''}`);
  }
  const ensemble = config.ensemble > 1 ? ` ×${config.ensemble}` : '';
  note(context, `${config.cell.toUpperCase()} ${config.numLayers}×${config.hiddenSize}${config.bidirectional ? ' bidirectional' : ''}${ensemble}, lookback ${config.lookback}, horizon ${config.horizon}: ${stopLine(fit.model)} (${fit.model.training.seconds.toFixed(1)} s)`);
  for (const line of trainingWarnings(fit.model)) warn(context, line);
  if (fit.model.data.series.some((series) => series.method !== 'model')) note(context, `forecast by: ${methodSummary(fit.model)} (a baseline that beats the network on a series' validation windows forecasts it; --fallback none turns this off)`);
  if (chart && !context.quiet && fit.model.training.history.length > 1) {
    const { lossChart } = await import('../../report/loss-chart.js');
    context.stderr.write(`${lossChart(fit.model.training.history, { width: context.columns, color: context.color })}\n`);
  }
  return fit;
}
