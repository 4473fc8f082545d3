// Steps that several commands share: loading data with its warnings, and training with progress,
// a loss chart and one line saying why training stopped.
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { note, warn } from '../context.js';
import type { DataFlags } from '../../data/options.js';
import type { Dataset, LoadOptions } from '../../data/types.js';
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
  const kept = `kept epoch ${training.bestEpoch} of ${training.epochs}`;
  switch (training.stoppedBy) {
    case 'early-stopping':
      return `stopped early: no validation improvement for ${model.config.patience} epochs; ${kept}`;
    case 'max-epochs':
      return `stopped at the epoch limit (--epochs ${model.config.epochs}); ${kept}`;
    case 'interrupted':
      return `interrupted; ${kept}`;
    case 'diverged':
      return `stopped: the loss became non-finite (diverged); ${kept}`;
  }
}

export async function trainWithProgress(dataset: Dataset, options: TrainingOptions, context: CommandContext, chart: boolean, seasonOverride?: number): Promise<FitResult> {
  const { fitModel } = await import('../../train/fit.js');
  const { createTrainingProgress } = await import('../../report/progress.js');
  const progress = await createTrainingProgress(context);
  let fit: FitResult;
  try {
    fit = await fitModel(dataset, options, { onEpoch: (event) => progress.update(event), signal: context.signal, toolVersion: toolVersion(), seasonOverride });
  } finally {
    progress.stop();
  }
  const { config } = fit.model;
  note(context, `${config.cell.toUpperCase()} ${config.numLayers}×${config.hiddenSize}${config.bidirectional ? ' bidirectional' : ''}, lookback ${config.lookback}, horizon ${config.horizon}: ${stopLine(fit.model)} (${fit.result.seconds.toFixed(1)} s)`);
  if (chart && !context.quiet && fit.model.training.history.length > 1) {
    const { lossChart } = await import('../../report/loss-chart.js');
    context.stderr.write(`${lossChart(fit.model.training.history, { width: context.columns, color: context.color })}\n`);
  }
  return fit;
}
