// Where flag values come from, and which wins: the command line, then RNNCAST_* variables, then
// the --config file, then (--shard only) a Kubernetes Indexed Job's variables, then the defaults.
// One environment or one config file can serve every command: a key that belongs to another
// rnncast command is ignored (--debug says so); only a key that no command knows is refused, with
// the closest flag and where the key came from.
import { UsageError } from '../errors.js';
import { closestName } from '../data/names.js';
import { COMMANDS } from './choices.js';
import type { CommandName } from './choices.js';
import { COMMAND_FLAGS } from './flags.js';
import { flagName } from './spec.js';
import type { FlagSpec } from './spec.js';
import { JOB_INDEX_VARIABLE, shardFromJob } from './job-shard.js';
import { describeSource } from './read.js';
import type { Given, GivenFlags, Source } from './read.js';

export const ENV_PREFIX = 'RNNCAST_';

/** The flags a command takes, by flag name. */
export function commandFlags(command: CommandName): Map<string, FlagSpec> {
  const flags = new Map<string, FlagSpec>();
  for (const group of COMMAND_FLAGS[command]) {
    for (const [field, spec] of Object.entries(group)) flags.set(flagName(field, spec), spec);
  }
  return flags;
}

/** Every flag any command takes, with the commands that take it. */
function flagOwners(): Map<string, CommandName[]> {
  const owners = new Map<string, CommandName[]>();
  for (const command of COMMANDS) {
    for (const flag of commandFlags(command).keys()) owners.set(flag, [...(owners.get(flag) ?? []), command]);
  }
  return owners;
}

function aliases(): Map<string, string> {
  const byAlias = new Map<string, string>();
  for (const command of COMMANDS) {
    for (const [flag, spec] of commandFlags(command)) if (spec.alias !== undefined) byAlias.set(spec.alias, flag);
  }
  return byAlias;
}

/** RNNCAST_BATCH_SIZE → batch-size; saveModel, save_model → save-model; o → output. */
function flagOfKey(key: string, byAlias: Map<string, string>): string {
  const kebab = key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
  return byAlias.get(kebab) ?? kebab;
}

export interface ConfigValues {
  path: string;
  values: Record<string, unknown>;
}

export interface FlagSources {
  command: CommandName;
  /** Flags given on the command line, by flag name (yargs' argv); others are ignored. */
  commandLine: Record<string, unknown>;
  env: Readonly<Record<string, string | undefined>>;
  config?: ConfigValues;
}

export interface GatheredFlags {
  given: GivenFlags;
  /** One line per variable or config key that belongs to another command, for --debug. */
  ignored: string[];
}

export function gatherFlags({ command, commandLine, env, config }: FlagSources): GatheredFlags {
  const flags = commandFlags(command);
  const owners = flagOwners();
  const byAlias = aliases();
  const given = new Map<string, Given>();
  const ignored: string[] = [];
  const offer = (key: string, raw: unknown, source: Source): void => {
    const flag = flagOfKey(key, byAlias);
    if (flags.has(flag)) {
      given.set(flag, { raw, source });
      return;
    }
    const takers = owners.get(flag);
    if (takers !== undefined) {
      ignored.push(`ignored ${source.kind === 'environment' ? source.variable : `"${key}" in ${source.kind === 'config' ? source.path : 'the command line'}`}: --${flag} is a flag of ${takers.join(', ')}, not of ${command}`);
      return;
    }
    const suggestion = closestName(flag, [...owners.keys()]);
    const hint = suggestion === undefined ? '' : `did you mean --${suggestion}? `;
    throw new UsageError(`unknown flag: ${flag} (${describeSource(source)}) (${hint}see --help)`);
  };
  if (config !== undefined) {
    for (const [key, raw] of Object.entries(config.values)) {
      if (flagOfKey(key, byAlias) === 'config') throw new UsageError(`--config ${config.path}: a config file cannot name another config file ("${key}")`);
      offer(key, raw, { kind: 'config', path: config.path, key });
    }
  }
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || raw === undefined) continue;
    offer(variable.slice(ENV_PREFIX.length), raw, { kind: 'environment', variable });
  }
  for (const flag of flags.keys()) {
    if (commandLine[flag] !== undefined) given.set(flag, { raw: commandLine[flag], source: { kind: 'command line' } });
  }
  if (flags.has('shard')) {
    const shard = given.get('shard');
    if (shard === undefined) {
      const job = shardFromJob(env);
      if (job !== undefined) given.set('shard', job);
    } else if (env[JOB_INDEX_VARIABLE] !== undefined) {
      ignored.push(`ignored ${JOB_INDEX_VARIABLE}: --shard was given ${describeSource(shard.source)}`);
    }
  }
  return { given, ignored };
}
