// --shard from a Kubernetes Indexed Job: every pod gets JOB_COMPLETION_INDEX (0, 1, ... n-1) from
// the control plane; JOB_COMPLETIONS (n) is not set by Kubernetes, so the manifest sets it to
// spec.completions (README, "Many machines"). Pod k runs shard k+1 of n. They count only when --shard is
// given nowhere else (command line, RNNCAST_SHARD, --config).
import { UsageError } from '../errors.js';
import type { Given } from './read.js';

export const JOB_INDEX_VARIABLE = 'JOB_COMPLETION_INDEX';
export const JOB_COUNT_VARIABLE = 'JOB_COMPLETIONS';

const WHOLE = /^\s*\d+\s*$/;

/** The shard the Job variables name, as if given as --shard; undefined when JOB_COMPLETION_INDEX is not set. */
export function shardFromJob(env: Readonly<Record<string, string | undefined>>): Given | undefined {
  const indexText = env[JOB_INDEX_VARIABLE];
  if (indexText === undefined || indexText.trim() === '') return undefined;
  const countText = env[JOB_COUNT_VARIABLE];
  const both = `${JOB_INDEX_VARIABLE}=${indexText} and ${JOB_COUNT_VARIABLE}=${countText ?? ''}`;
  if (countText === undefined || countText.trim() === '') {
    throw new UsageError(
      `${JOB_INDEX_VARIABLE}=${indexText} is set but ${JOB_COUNT_VARIABLE} is not: set ${JOB_COUNT_VARIABLE} to the Job's spec.completions (the number of shards), or give --shard i/n (--shard 1/1 for every series)`,
    );
  }
  if (!WHOLE.test(indexText) || !WHOLE.test(countText)) throw new UsageError(`${both}: expected whole numbers`);
  const index = Number(indexText);
  const count = Number(countText);
  if (!(count >= 1 && index < count)) throw new UsageError(`${both}: expected ${JOB_INDEX_VARIABLE} from 0 to ${JOB_COUNT_VARIABLE} - 1 (it counts from 0)`);
  return { raw: `${index + 1}/${count}`, source: { kind: 'environment', variable: `${JOB_INDEX_VARIABLE} and ${JOB_COUNT_VARIABLE}` } };
}
