// rnncast backtest <input> [--folds K] [--stride S] [--window N] [--refit every|once] ...
// Flags → typed options → runBacktest; then the outputs, in this order: the backtest file,
// --metrics-out, --json on stdout, the table and chart on stderr, and last the gate (exit 3).
import { resolve } from 'node:path';
import { GateError, InterruptedError, UsageError } from '../../errors.js';
import { checkOutputPath } from '../../io/atomic-write.js';
import type { BacktestOptions } from '../../backtest/options.js';
import type { DataFlags } from '../../data/options.js';
import type { GateBaseline, GateMetric } from '../../options/choices.js';
import { readDataFlags } from '../../options/data.js';
import { backtestFlags, trainingFlags } from '../../options/flags.js';
import { readGroup } from '../../options/read.js';
import type { GivenFlags } from '../../options/read.js';
import type { Command, CommandContext } from '../context.js';
import { note, warn } from '../context.js';
import { toolVersion } from '../../version.js';
import { fileOutputs, loadData, outputOptions, refuseBinaryOnTerminal, toStdout } from './shared.js';
import type { OutputOptions } from './shared.js';

export interface BacktestCommandOptions {
  input: string;
  data: DataFlags;
  backtest: BacktestOptions;
  output: OutputOptions;
  /** Write the backtest file: always, except with --json and no -o (the metrics own stdout then). */
  writeFile: boolean;
  gate: { baseline: GateBaseline; metric: GateMetric } | null;
  metricsOut: string | undefined;
  json: boolean;
  chart: boolean;
}

function backtestOptions(input: string, given: GivenFlags): BacktestCommandOptions {
  const data = readDataFlags(given);
  const flags = readGroup(backtestFlags, given);
  const backtest: BacktestOptions = {
    folds: flags.folds,
    stride: flags.stride,
    window: flags.window,
    refit: flags.refit,
    season: flags.season,
    levels: flags.levels,
    training: readGroup(trainingFlags, given),
  };
  const output = outputOptions(flags.output, flags.format);
  const writeFile = !flags.json || output.path !== undefined;
  const onStdout = [
    writeFile && toStdout(output.path) ? '-o (the backtest file)' : null,
    flags.json ? '--json' : null,
    flags.metricsOut === '-' ? '--metrics-out -' : null,
  ].filter((name): name is string => name !== null);
  if (onStdout.length > 1) throw new UsageError(`${onStdout.join(' and ')} would both write to standard output; give one of them a file`);
  if (writeFile && flags.metricsOut !== undefined && !toStdout(output.path) && !toStdout(flags.metricsOut) && resolve(output.path!) === resolve(flags.metricsOut)) {
    throw new UsageError(`-o and --metrics-out both name ${flags.metricsOut}; the metrics would overwrite the backtest file`);
  }
  const gate = flags.failIfWorseThan === undefined ? null : { baseline: flags.failIfWorseThan, metric: flags.gateMetric };
  return { input, data, backtest, output, writeFile, gate, metricsOut: flags.metricsOut, json: flags.json, chart: flags.chart };
}

async function runBacktest(command: BacktestCommandOptions, context: CommandContext): Promise<void> {
  const { input, output, writeFile } = command;
  if (writeFile) refuseBinaryOnTerminal(output, context);
  if (writeFile) checkOutputPath(output.path);
  checkOutputPath(command.metricsOut);

  const dataset = await loadData(input, command.data, context);
  const { runBacktest: backtestCore } = await import('../../backtest/rolling-origin.js');
  const started = performance.now();
  const result = await backtestCore(dataset, command.backtest, {
    toolVersion: toolVersion(),
    signal: context.signal,
    onPlan: ({ trainings, workers, layout, lookback, season, warnings }) => {
      for (const line of warnings) warn(context, line);
      const window = command.backtest.window === undefined ? 'expanding window' : `sliding window of ${command.backtest.window}`;
      note(context, `backtest: ${layout.folds} fold${layout.folds === 1 ? '' : 's'} of ${layout.horizon} steps, stride ${layout.stride}, ${window}, refit ${command.backtest.refit}; lookback ${lookback}, season ${season}; ${trainings} training${trainings === 1 ? '' : 's'} on ${workers} thread${workers === 1 ? '' : 's'}`);
    },
    onTrained: (record, total) => {
      const { summary } = record;
      const how = summary.stoppedBy === 'early-stopping' ? 'stopped early' : summary.stoppedBy === 'max-epochs' ? 'reached the step budget' : summary.stoppedBy;
      const which = total === 1 && command.backtest.refit === 'once' ? 'the model (trained before fold 1)' : `fold ${record.fold}/${total}`;
      note(context, `${which}: ${summary.epochs} rounds (${summary.steps} steps), ${how}, kept round ${summary.bestEpoch} (${record.seconds.toFixed(1)} s)`);
    },
  });
  if (context.signal.aborted) throw new InterruptedError('interrupted; no backtest output written');

  const { buildDocument, renderDocument } = await import('../../backtest/document.js');
  const document = buildDocument(result, command.backtest.training.seed, command.gate ?? undefined);
  const { gate } = document;
  context.run?.metrics({ overall: document.overall, gate: gate ?? null });
  const { writeOutput } = await import('../../io/predictions.js');

  const metricsXlsx = command.metricsOut !== undefined && /\.xlsx$/i.test(command.metricsOut);
  if (writeFile) {
    const { backtestTable } = await import('../../backtest/file.js');
    const table = backtestTable(result);
    const { renderFile } = await import('../../io/render.js');
    const { backtestSheets } = await import('../../backtest/workbook.js');
    await writeOutput(output.path, await renderFile(table, output.format, () => backtestSheets(table, dataset, document, input)), context.stdout);
    if (!toStdout(output.path)) note(context, `backtest written to ${output.path}`);
  }
  if (command.metricsOut !== undefined) {
    if (metricsXlsx) {
      const { renderWorkbook } = await import('../../io/workbook.js');
      const { metricsSheets } = await import('../../backtest/workbook.js');
      await writeOutput(command.metricsOut, await renderWorkbook(metricsSheets(dataset, document, input)), context.stdout);
    } else {
      await writeOutput(command.metricsOut, renderDocument(document), context.stdout);
    }
    if (!toStdout(command.metricsOut)) note(context, `metrics written to ${command.metricsOut}`);
  }
  if (command.json) await writeOutput(undefined, renderDocument(document), context.stdout);

  if (!context.quiet) {
    if (!command.json) {
      const { summaryTable, summaryTitle } = await import('../../report/backtest-table.js');
      context.stderr.write(summaryTable(document, `\n${summaryTitle(result, (performance.now() - started) / 1000)}`));
    }
    if (command.chart) {
      const { backtestChart } = await import('../../report/backtest-chart.js');
      context.stderr.write(`\n${backtestChart(result, { width: context.columns, color: context.color })}`);
    }
  }
  if (gate) {
    if (!gate.passed) throw new GateError(gate.message);
    note(context, gate.message);
  }
}

export const backtest: Command<BacktestCommandOptions> = {
  options: backtestOptions,
  run: runBacktest,
  files: (options) => ({ outputs: fileOutputs(options.writeFile ? options.output.path : undefined, options.metricsOut) }),
};
