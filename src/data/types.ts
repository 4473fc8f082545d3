import type { DataFlags } from './options.js';

// The shapes that ingestion hands to every command. Times are epoch milliseconds (UTC instant);
// how they were written in the input is kept in `TimeStyle` so output can be written the same way.

import type { FillPolicy } from '../options/choices.js';

export type { FillPolicy };

/** How the time column was written, so written times keep the input's style. */
export interface TimeStyle {
  kind: 'date' | 'datetime' | 'month' | 'epoch-seconds' | 'epoch-millis';
  /** For 'datetime': the UTC offset in minutes the input used (null: no offset written, times are naive/UTC). */
  offsetMinutes: number | null;
  /** For 'datetime': 'Z' or '+hh:mm' style, seconds shown, separator 'T' or ' ', fractional digits. */
  zulu: boolean;
  separator: 'T' | ' ';
  seconds: boolean;
  fractionDigits: number;
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
}

export interface ColumnSummary {
  name: string;
  type: 'time' | 'number' | 'string' | 'empty';
  missing: number;
}

export interface Dataset {
  /** Path as the user gave it, or '-' for standard input. */
  source: string;
  columns: ColumnSummary[];
  rowCount: number;
  timeColumn: string;
  target: string;
  features: string[];
  idColumn: string | null;
  freq: Frequency;
  timeStyle: TimeStyle;
  series: Series[];
  /** What filling and sorting did, one line each, for the command to print as warnings. */
  warnings: string[];
  /** Counts behind the warnings. */
  filled: { values: number; timestamps: number };
  /** sha256 of the raw input bytes: the model file's training-data fingerprint. */
  sha256: string;
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
