// Flags → typed options for `rnncast inspect`; the command itself lives in ./inspect.ts.
import type { CommandContext } from '../context.js';
import type { Argv } from '../options.js';
import { booleanFlag, inputArgument, toDataFlags } from '../options.js';

export async function handleInspect(argv: Argv, context: CommandContext): Promise<void> {
  const { inspectCommand } = await import('./inspect.js');
  await inspectCommand(
    { input: inputArgument(argv), ...toDataFlags(argv), json: booleanFlag(argv, 'json', false), chart: booleanFlag(argv, 'chart', true) },
    context,
  );
}
