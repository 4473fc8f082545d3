// --time-format: times in any layout Luxon's token syntax can describe ('dd/MM/yyyy HH:mm',
// "yyyy 'week' W", 'LLL yyyy'), read and written by Luxon itself. Luxon is loaded on first use
// only (about 10 ms), so every other run pays nothing for it; it is required synchronously so
// that backtest worker threads, which write times too, can load it where they run.
import { createRequire } from 'node:module';
import type * as LuxonModule from 'luxon';
import { MINUTE } from './calendar.js';

type Luxon = typeof LuxonModule;

let luxon: Luxon | undefined;

function library(): Luxon {
  luxon ??= createRequire(import.meta.url)('luxon') as Luxon;
  return luxon;
}

/** English month and day names whatever the machine's locale: the same file reads the same everywhere. */
const LOCALE = 'en-US';

/** Whether a format writes a UTC offset or zone (Z, ZZ, ZZZ, z outside quotes). */
export function formatHasOffset(format: string): boolean {
  return /[Zz]/.test(format.replace(/'[^']*'/g, ''));
}

/** Whether a format holds a time of day (hours), so that --tz applies to it. */
export function formatHasTimeOfDay(format: string): boolean {
  return /[HhTtXx]/.test(format.replace(/'[^']*'/g, ''));
}

export class CustomFormatReader {
  /** Offset written with the last cell read (ms), NaN when the format has none. */
  offset = NaN;
  /** Luxon's reason when the last cell did not fit. */
  problem = '';
  readonly hasOffset: boolean;
  private readonly parser: LuxonModule.TokenParser;

  constructor(readonly format: string) {
    this.parser = library().DateTime.buildFormatParser(format, { locale: LOCALE });
    this.hasOffset = formatHasOffset(format);
  }

  /** Wall-clock ms of `text`, or NaN. */
  read(text: string): number {
    const time = library().DateTime.fromFormatParser(text, this.parser, { zone: 'utc', setZone: true, locale: LOCALE });
    if (!time.isValid) {
      this.problem = time.invalidExplanation ?? time.invalidReason ?? '';
      this.offset = NaN;
      return NaN;
    }
    const offset = time.offset * MINUTE;
    this.offset = this.hasOffset ? offset : NaN;
    return time.toMillis() + offset;
  }
}

/** `local` (wall-clock ms) written by a --time-format format; `offset` (ms) for its Z tokens, null when none. */
export function formatCustom(local: number, format: string, offset: number | null): string {
  const { DateTime, FixedOffsetZone } = library();
  if (offset === null) return DateTime.fromMillis(local, { zone: 'utc', locale: LOCALE }).toFormat(format);
  return DateTime.fromMillis(local - offset, { zone: FixedOffsetZone.instance(offset / MINUTE), locale: LOCALE }).toFormat(format);
}
