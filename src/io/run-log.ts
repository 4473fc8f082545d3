// --log-json FILE: one JSON line appended per run, so a cron history can be read with jq or loaded
// into a notebook. Concurrent runs may share the file: each line is appended by one write() on a
// descriptor opened with O_APPEND, which puts it at the end as a whole (on a local file system;
// NFS does not promise O_APPEND), so lines never interleave.
import { closeSync, openSync, writeSync } from 'node:fs';
import { OutputError } from '../errors.js';
import { whyNotWritable } from './atomic-write.js';

/** How a run ended, from its exit code (PRODUCT.md and README, "Exit codes"). */
export type RunStatus = 'ok' | 'skipped' | 'failed' | 'gate-failed' | 'stale-model' | 'locked' | 'interrupted';

export interface SeriesChoice {
  id: string;
  /** The transform that series is trained and forecast with. */
  transform?: string;
  /** What forecasts it: the network, or a baseline the safety net chose. */
  method?: string;
}

export interface RunRecord {
  /** When the run ended (ISO, UTC). */
  time: string;
  started: string;
  rnncast: string;
  pid: number;
  command: string;
  /** The input as given ('-': standard input). */
  input: string;
  /** sha256 of the input bytes; null when the run ended before reading them. */
  sha256: string | null;
  rows: number | null;
  series: number | null;
  /** The model used or written: its path (null when trained and not kept), shape, transform, and per-series choices. */
  model: {
    path: string | null;
    cell: string;
    hiddenSize: number;
    numLayers: number;
    /** Networks in the ensemble (their forecasts are combined). */
    ensemble: number;
    lookback: number;
    horizon: number;
    transform: string;
    /** Best validation loss (scaled space) of the training behind it; null without a validation split. */
    valLoss: number | null;
    seriesChoices: SeriesChoice[];
  } | null;
  /** Files the run writes (standard output is not listed). */
  outputs: string[];
  /** Every flag given for the run, from any source, as given. */
  settings: Record<string, unknown>;
  /** Metrics known for the run (backtest: the overall block of the metrics document). */
  metrics: Record<string, unknown> | null;
  /** forecast -m: periods between the model's last training time and the end of the data. */
  modelAge: { periods: number; limit: number; series: string } | null;
  status: RunStatus;
  exitCode: number;
  /** The one-line error of a failed run; the reason of a skipped one. */
  message: string | null;
  seconds: number;
}

/** The status a run's exit code means; `skipped` is known only to the run itself. */
export function statusOf(exitCode: number): RunStatus {
  switch (exitCode) {
    case 0:
      return 'ok';
    case 3:
      return 'gate-failed';
    case 4:
      return 'stale-model';
    case 5:
      return 'locked';
    case 130:
      return 'interrupted';
    default:
      return 'failed';
  }
}

/** One line: JSON without NaN (non-finite numbers become null), never a raw newline inside. */
export function runLogLine(record: RunRecord): string {
  return `${JSON.stringify(record, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value))}\n`;
}

/** Appends the record to `path` (created when missing) with a single write; OutputError (73) when it cannot. */
export function appendRunLog(path: string, record: RunRecord): void {
  const bytes = Buffer.from(runLogLine(record), 'utf8');
  let fd: number | undefined;
  try {
    fd = openSync(path, 'a', 0o644);
    const written = writeSync(fd, bytes, 0, bytes.length);
    // A regular file takes the whole buffer at once; a short write (a full disk) would leave half a line.
    if (written !== bytes.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
  } catch (error: unknown) {
    throw new OutputError(`cannot append the run record to ${path} (--log-json): ${whyNotWritable(error, path)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
