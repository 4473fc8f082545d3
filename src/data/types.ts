import type { DataFlags } from './options.js';

// The shapes that ingestion hands to every command. Times are epoch milliseconds (UTC instant);
// how they were written in the input is kept in `TimeStyle` so output can be written the same way.

import type { FillPolicy } from '../options/choices.js';

export type { FillPolicy };

/** How the time column was written, so written times keep the input's style. */
export interface TimeStyle {
  /**
   * ISO 8601 'date', 'datetime' and 'month'; epoch numbers; 'pattern': a form rnncast recognises
   * itself (years, quarters, weeks, 1/31/2020, Jan 2020 ...), written by `pattern`; 'custom':
   * --time-format, read and written by Luxon.
   */
  kind: 'date' | 'datetime' | 'month' | 'epoch-seconds' | 'epoch-millis' | 'pattern' | 'custom';
  /**
   * The UTC offset in minutes the input wrote (of its first time, when it changes); null: no offset
   * written. Without `zone` it is the clock's fixed offset (null: UTC).
   */
  offsetMinutes: number | null;
  /** For 'datetime': 'Z' or '+hh:mm' style, seconds shown, separator 'T' or ' ', fractional digits. */
  zulu: boolean;
  separator: 'T' | ' ';
  seconds: boolean;
  fractionDigits: number;
  /** 'pattern' and 'custom': Luxon-syntax pattern, e.g. 'M/d/yyyy', "yyyy-'Q'q", 'dd.MM.yyyy HH:mm'. */
  pattern?: string;
  /** 'pattern': month names and AM/PM as the input wrote them. */
  letterCase?: 'title' | 'upper' | 'lower';
  /**
   * IANA zone whose clock the times are on (--tz, or found from offsets that change at daylight
   * saving): calendar steps count its local days, written offsets follow its rules. Absent: fixed offset.
   */
  zone?: string | null;
}

/** A regular sampling frequency. `code` is what `--freq` accepts and the model file stores. */
export interface Frequency {
  /** e.g. '15min', 'H', 'D', 'B', 'W', 'M' (month start or end, see anchor), 'Q', 'Y'. */
  code: string;
  unit: 'second' | 'minute' | 'hour' | 'day' | 'business-day' | 'week' | 'month' | 'quarter' | 'year';
  /** Multiple of the unit, e.g. 15 for '15min'. */
  step: number;
  /** Calendar units only: dates on the first or last day of the period. */
  anchor: 'start' | 'end' | null;
}

export interface Series {
  /** The value of the id column, or '' for a single-series file. */
  id: string;
  /** (N) epoch ms, strictly increasing; regular at the dataset frequency, except under --fill drop, which invents no timestamps. */
  times: Float64Array;
  /** (N) target values after `--fill` (NaN only if the policy keeps them, which none does). */
  values: Float64Array;
  /** One (N) array per feature column, in `Dataset.features` order. */
  features: Float64Array[];
  /** (N) 1 where the target value or the timestamp was invented by `--fill`; never a training target. */
  imputed: Uint8Array;
  /** (N) 1-based input line of each point (0 for invented timestamps), for messages. */
  lines: Uint32Array;
  /**
   * The rows past the last observed target that give the --future-features (src/data/future.ts):
   * the known-future inputs of the steps after the end. Absent: none.
   */
  future?: FutureRows;
}

/** K steps after a series' last observed value, each with every known-future covariate given. */
export interface FutureRows {
  /** (K) epoch ms: the steps 1..K after the series' last time, on its grid. */
  times: Float64Array;
  /** (Ff)(K) one array per known-future covariate, in Dataset.futureFeatures order; never NaN. */
  values: Float64Array[];
  /** (K) 1-based input lines. */
  lines: Uint32Array;
}

export interface ColumnSummary {
  name: string;
  /** 'boolean': true/false or yes/no only, read as 1/0. */
  type: 'time' | 'number' | 'boolean' | 'string' | 'empty';
  missing: number;
}

export interface Dataset {
  /** Path as the user gave it, or '-' for standard input. */
  source: string;
  columns: ColumnSummary[];
  rowCount: number;
  timeColumn: string;
  /** The target column; for a wide file the target columns joined with ',' (as --target takes them). */
  target: string;
  /** The target columns: several for a wide file (one series each, ids = column names); absent: [target]. */
  targets?: string[];
  /** Several target columns of one file (--target a,b or all-numeric): output keeps that shape. Absent: false. */
  wide?: boolean;
  /** Past-only and known-future covariates together (the encoder reads them all), in this order. */
  features: string[];
  /** --future-features: the covariates known ahead, a subset of `features` (the head reads them for every horizon step). */
  futureFeatures: string[];
  idColumn: string | null;
  freq: Frequency;
  timeStyle: TimeStyle;
  series: Series[];
  /** What filling and sorting did, one line each, for the command to print as warnings. */
  warnings: string[];
  /** What reading the times did (zone found, daylight-saving gaps), one line each, for notes. */
  notes?: string[];
  /** Counts behind the warnings. */
  filled: { values: number; timestamps: number };
  /** sha256 of the raw input bytes: the model file's training-data fingerprint. */
  sha256: string;
  /** --shard i/n of a panel: this dataset is one of n parts (each trains on its share of the step budget). */
  shard?: { index: number; count: number };
}

/** The data flags (PRODUCT.md, "Data options") plus where to read from. */
export interface LoadOptions extends DataFlags {
  /** Path or '-' for standard input. */
  input: string;
  /** Standard input to read when input is '-' (tests pass their own). */
  stdin?: NodeJS.ReadableStream;
  /** Several numeric columns and no --target: a usage error (default), or take the first with a warning (inspect). */
  ambiguousTarget?: 'error' | 'first';
}
