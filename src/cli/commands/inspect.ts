// `rnncast inspect <input>`: describe a CSV. --json: the summary as one JSON document on stdout;
// otherwise a readable summary and one chart per series on stderr.
import type { Command, CommandContext } from '../context.js';
import type { DataFlags } from '../../data/options.js';
import { readDataFlags } from '../../options/data.js';
import { inspectFlags, trainingFlags } from '../../options/flags.js';
import { DataError, UsageError } from '../../errors.js';
import type { Dataset } from '../../data/types.js';
import type { InspectSummary } from '../../inspect/summary.js';
import { readGroup } from '../../options/read.js';
import type { OptionsOf } from '../../options/spec.js';
import { loadData } from './shared.js';

export interface InspectOptions extends DataFlags, OptionsOf<typeof inspectFlags> {
  input: string;
}

async function runInspect(options: InspectOptions, context: CommandContext): Promise<void> {
  const { input, json, chart, ...flags } = options;
  const { summarize } = await import('../../inspect/summary.js');
  // inspect is how users discover their columns: an ambiguous target is a note here, not an error.
  const dataset = await loadData(input, flags, context, { ambiguousTarget: 'first' });
  const summary = { ...summarize(dataset), transform: await autoChoice(dataset) };
  if (json) {
    context.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  if (context.quiet) return;
  const { renderSummary, seriesCharts } = await import('../../report/inspect-summary.js');
  context.stderr.write(`${renderSummary(summary)}\n`);
  if (chart) context.stderr.write(seriesCharts(dataset, { width: context.columns, color: context.color }));
}

/** What `--transform auto` would choose with default training flags, and why (or why it cannot train). */
async function autoChoice(dataset: Dataset): Promise<NonNullable<InspectSummary['transform']>> {
  const { resolveSettings } = await import('../../train/settings.js');
  try {
    return { why: resolveSettings(dataset, readGroup(trainingFlags, new Map())).why, error: null };
  } catch (error) {
    if (error instanceof DataError || error instanceof UsageError) return { why: null, error: error.message };
    throw error;
  }
}

export const inspect: Command<InspectOptions> = {
  options: (input, given) => ({ input, ...readDataFlags(given), ...readGroup(inspectFlags, given) }),
  run: runInspect,
};
