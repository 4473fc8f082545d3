// The data flags, read and checked together: one column cannot play two roles.
import { UsageError } from '../errors.js';
import type { DataFlags } from '../data/options.js';
import { dataFlags } from './flags.js';
import { readGroup } from './read.js';
import type { GivenFlags } from './read.js';

export function readDataFlags(given: GivenFlags): DataFlags {
  const flags = readGroup(dataFlags, given);
  const roles: [string, string | undefined][] = [
    ['--time', flags.time],
    ['--target', flags.target],
    ['--id', flags.id],
    ...(flags.features ?? []).map((feature): [string, string] => ['--features', feature]),
    // A known-future covariate is a feature too: naming it in both lists is no conflict.
    ...(flags.futureFeatures ?? []).filter((name) => !(flags.features ?? []).includes(name)).map((feature): [string, string] => ['--future-features', feature]),
  ];
  roles.forEach(([flag, name], index) => {
    const other = roles.slice(index + 1).find(([, otherName]) => name !== undefined && otherName === name);
    if (other) throw new UsageError(`${flag} and ${other[0]} both name column '${name}'`);
  });
  return flags;
}
