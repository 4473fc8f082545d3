// What every file-writing run does around its command, for unattended use: the lock on its first
// output (--lock, --lock-timeout), skipping when nothing changed (--if-changed), the record of the
// run (--log-json) and the one summary line at the end. The command itself only reports what it
// read, used and measured (RunReport); the rules live in src/io/lock.ts, run-state.ts, run-log.ts.
import { hostname } from 'node:os';
import { UsageError } from '../errors.js';
import type { Dataset } from '../data/types.js';
import { transformName } from '../data/transform.js';
import type { Staleness } from '../forecast/staleness.js';
import { checkOutputPath } from '../io/atomic-write.js';
import { acquireLock, lockableOutput } from '../io/lock.js';
import type { ModelFile } from '../io/model-file.js';
import { appendRunLog, statusOf } from '../io/run-log.js';
import type { RunRecord } from '../io/run-log.js';
import { readRunState, settingsFingerprint, sha256OfFile, statePathFor, unchangedSince, writeRunState } from '../io/run-state.js';
import type { RunKey } from '../io/run-state.js';
import type { CommandName } from '../options/choices.js';
import type { runFlags } from '../options/flags.js';
import type { GivenFlags } from '../options/read.js';
import type { OptionsOf } from '../options/spec.js';
import { runSummary } from '../report/run-summary.js';
import { toolVersion } from '../version.js';
import type { CommandContext, RunFiles, RunReport } from './context.js';
import { note } from './context.js';

export type RunFlags = OptionsOf<typeof runFlags>;

/** Flags that change how a run looks or is scheduled, never what it writes: --if-changed ignores them. */
const LOOK_ONLY_FLAGS = new Set(['quiet', 'debug', 'config', 'chart', 'jobs', 'lock', 'lock-timeout', 'log-json', 'if-changed']);

/** Thrown from RunReport.loaded under --if-changed: the run stops, successfully, with this line. */
class NothingChanged {
  constructor(readonly message: string) {}
}

export class RunGuard implements RunReport {
  private readonly started = new Date();
  private files: RunFiles = { outputs: [] };
  private key: RunKey | null = null;
  private skipped: string | null = null;
  private logUnwritable = false;
  private readonly record: Omit<RunRecord, 'time' | 'status' | 'exitCode' | 'message' | 'seconds'>;

  constructor(
    command: CommandName,
    input: string,
    given: GivenFlags,
    private readonly flags: RunFlags,
    private readonly context: CommandContext,
  ) {
    this.record = {
      started: this.started.toISOString(), rnncast: toolVersion(), pid: process.pid, command, input,
      sha256: null, rows: null, series: null, model: null, outputs: [],
      settings: Object.fromEntries([...given].map(([flag, value]) => [flag, value.raw])),
      metrics: null, modelAge: null,
    };
  }

  /** Runs the command's work under the lock; a run with nothing new stops in `loaded` and counts as done. */
  async run(files: RunFiles, work: (report: RunReport) => Promise<void>): Promise<void> {
    this.files = files;
    this.record.outputs = files.outputs;
    const first = files.outputs[0];
    if (this.flags.ifChanged && first === undefined) {
      throw new UsageError('--if-changed keeps what the last run read next to its output file, and this run writes only to standard output: give -o FILE');
    }
    try {
      checkOutputPath(this.flags.logJson);
    } catch (error: unknown) {
      this.logUnwritable = true; // said once, by this error
      throw error;
    }
    // The lock sits beside the first output: a missing folder is named as the output's problem, not the lock's.
    for (const output of files.outputs) checkOutputPath(output);
    const lockable = this.flags.lock && first !== undefined ? lockableOutput(first) : null;
    const lock = lockable !== null
      ? await acquireLock(lockable, {
        command: this.record.command,
        timeoutSeconds: this.flags.lockTimeout,
        signal: this.context.signal,
        onWait: (holder) => note(this.context, `waiting up to ${this.flags.lockTimeout} s for ${lockable}: locked by pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`} (rnncast ${holder.command})`),
      })
      : null;
    try {
      await work(this);
      if (this.key !== null && first !== undefined) {
        // The model as the run leaves it: `update -m M -o M` rewrote it, and the next run reads the new one.
        const model = this.files.model === undefined ? null : sha256OfFile(this.files.model);
        writeRunState(statePathFor(first), { ...this.key, model }, files.outputs);
      }
    } catch (error: unknown) {
      if (!(error instanceof NothingChanged)) throw error;
      this.skipped = error.message;
    } finally {
      lock?.release();
    }
  }

  loaded(dataset: Dataset): void {
    this.record.sha256 = dataset.sha256;
    this.record.rows = dataset.rowCount;
    this.record.series = dataset.series.length;
    const first = this.files.outputs[0];
    if (!this.flags.ifChanged || first === undefined) return;
    const shaping = Object.fromEntries(Object.entries(this.record.settings).filter(([flag]) => !LOOK_ONLY_FLAGS.has(flag)));
    this.key = {
      command: this.record.command,
      rnncast: this.record.rnncast,
      input: dataset.sha256,
      model: this.files.model === undefined ? null : sha256OfFile(this.files.model),
      settings: settingsFingerprint(shaping),
    };
    const previous = readRunState(statePathFor(first));
    if (unchangedSince(previous, this.key)) {
      const model = this.files.model === undefined ? '' : `, the model ${this.files.model}`;
      const outputs = this.files.outputs.join(', ');
      throw new NothingChanged(`nothing changed since the last run at ${previous.time} (the input ${this.record.input}${model} and the flags are the same): ${outputs} left as ${this.files.outputs.length === 1 ? 'it is' : 'they are'} (--if-changed)`);
    }
  }

  model(model: ModelFile, path: string | null): void {
    const { config, data, training } = model;
    const losses = training.history.map((entry) => entry.valLoss).filter((loss): loss is number => loss !== null && Number.isFinite(loss));
    // An updated model's latest measurement is its last update's, on the newest windows.
    const updated = model.updates?.at(-1)?.valLossAfter;
    this.record.model = {
      path, cell: config.cell, hiddenSize: config.hiddenSize, numLayers: config.numLayers, ensemble: config.ensemble, lookback: config.lookback, horizon: config.horizon,
      transform: data.transform,
      valLoss: updated ?? (losses.length === 0 ? null : Math.min(...losses)),
      seriesChoices: data.series.map((series) => ({ id: series.id, transform: transformName(series.log, data.baseline), method: series.method })),
    };
  }

  nothingToDo(reason: string): never {
    throw new NothingChanged(reason);
  }

  metrics(metrics: Record<string, unknown>): void {
    this.record.metrics = metrics;
  }

  age(staleness: Staleness): void {
    const { age, limit } = staleness;
    this.record.modelAge = age === null ? null : { periods: age.periods, limit, series: age.series };
  }

  /**
   * The end of every run: the record appended to --log-json (also for a failed run, with its error
   * line), and the summary line of a successful one (a failed run's line is its error). Returns the exit code: a run that
   * succeeded but whose record cannot be appended is an output that could not be written (73).
   */
  finish(exitCode: number, errorLine: string | null): number {
    const status = this.skipped !== null ? 'skipped' : statusOf(exitCode);
    const record: RunRecord = {
      time: new Date().toISOString(), ...this.record, status, exitCode,
      message: this.skipped ?? errorLine, seconds: Number(((Date.now() - this.started.getTime()) / 1000).toFixed(3)),
    };
    let code = exitCode;
    if (this.flags.logJson !== undefined && !this.logUnwritable) {
      try {
        appendRunLog(this.flags.logJson, record);
      } catch (error: unknown) {
        this.context.stderr.write(`rnncast: ${error instanceof Error ? error.message : String(error)}\n`);
        if (code === 0) code = 73;
      }
    }
    // --quiet on a terminal is silent; off a terminal (cron mail, a log file) every run leaves its line.
    if (code === 0 && !(this.context.quiet && this.context.interactive)) this.context.stderr.write(`${runSummary(record)}\n`);
    return code;
  }
}
