// From the wall-clock times of the time column to instants, and the clock the series lives on:
// - times written with a UTC offset are instants; when the offset changes (daylight saving) the
//   column is still one series, on the clock of the zone whose rules give those offsets (--tz,
//   or the zone found from them);
// - naive times with --tz are local times in that zone: a time inside a gap (clocks set forward)
//   is moved forward by the gap, and a repeated hour (clocks set back) is read in file order, the
//   first time as the earlier instant and the second as the later;
// - naive times without --tz, and dates without a time of day, stay on UTC, as written.
import { DataError, UsageError, where } from '../errors.js';
import type { TimeColumnData } from './time-column.js';
import type { TimeStyle } from './types.js';
import { canonicalZone, describeOffset, inferZone, zoneClock, type Clock } from './zone.js';

export interface InstantContext {
  file: string;
  column: string;
  /** 1-based field of the time column, for messages. */
  field: number;
  /** (rows) input lines. */
  lines: Uint32Array;
  /** --tz */
  tz?: string;
}

export interface Instants {
  /** (rows) epoch ms. */
  times: Float64Array;
  style: TimeStyle;
  /** Lines for the command to print as notes (what the zone handling did). */
  notes: string[];
  warnings: string[];
}

/** The canonical IANA name for --tz; a usage error naming the flag otherwise. */
export function checkZone(tz: string): string {
  const zone = canonicalZone(tz);
  if (zone === null) throw new UsageError(`--tz ${tz}: not an IANA time zone Node knows (e.g. Europe/Berlin, America/New_York, UTC)`);
  return zone;
}

export function toInstants(data: TimeColumnData, groups: { rows: Uint32Array | null }[], context: InstantContext): Instants {
  const tz = context.tz === undefined ? undefined : checkZone(context.tz);
  const { values, offsets } = data;
  if (data.absolute) return { times: values, style: { ...data.style, zone: tz ?? null }, notes: [], warnings: [] };
  if (offsets !== null) return withOffsets(data, offsets, tz, context);
  if (tz === undefined) return { times: values, style: data.style, notes: [], warnings: [] };
  if (!data.timeOfDay) {
    return { times: values, style: data.style, notes: [], warnings: [`--tz ${tz} has no effect: column '${context.column}' holds dates without a time of day`] };
  }
  return localTimes(data, groups, zoneClock(tz), tz, context);
}

function withOffsets(data: TimeColumnData, offsets: Float64Array, tz: string | undefined, context: InstantContext): Instants {
  const { values } = data;
  const times = new Float64Array(values.length); // (rows)
  for (let i = 0; i < values.length; i++) times[i] = values[i]! - offsets[i]!;
  const changes: number[] = [];
  for (let i = 1; i < offsets.length; i++) if (offsets[i] !== offsets[i - 1]) changes.push(i);
  if (changes.length === 0 && tz === undefined) return { times, style: data.style, notes: [], warnings: [] };
  const notes: string[] = [];
  let zone = tz;
  if (zone === undefined) {
    // The first and last times and both sides of every change (at most 200 of them) pick the zone; every row is checked after.
    const step = Math.max(1, Math.ceil(changes.length / 100));
    const rows = new Set([0, offsets.length - 1]);
    for (let k = 0; k < changes.length; k += step) rows.add(changes[k]! - 1).add(changes[k]!);
    const match = inferZone([...rows].map((row) => ({ instant: times[row]!, offset: offsets[row]! })));
    if (match === null) {
      const at = changes[0]!;
      throw new DataError(
        `${where(context.file, context.lines[at], context.field)}: column '${context.column}' changes from offset ${describeOffset(offsets[at - 1]!)} (line ${context.lines[at - 1]}) ` +
          `to ${describeOffset(offsets[at]!)}, which no time zone's daylight-saving rules do: the times mix zones; write them in one offset or in UTC`,
      );
    }
    zone = match.zone;
    const seen = [...new Set(offsets)].map(describeOffset).join(' and ');
    notes.push(
      `times in '${context.column}' have offsets ${seen}: read as instants on ${zone}'s clock${match.others > 0 ? ` (${match.others} other zone${match.others === 1 ? ' fits' : 's fit'} too)` : ''}; --tz names the zone`,
    );
  }
  const clock = zoneClock(zone);
  for (let i = 0; i < times.length; i++) {
    const expected = clock.offsetAt(times[i]!);
    if (Math.round((expected - offsets[i]!) / 60_000) !== 0) {
      throw new DataError(
        `${where(context.file, context.lines[i], context.field)}: the time in column '${context.column}' has offset ${describeOffset(offsets[i]!)}, ` +
          `but ${zone} is at ${describeOffset(expected)} then${tz === undefined ? '' : ' (--tz)'}; give the zone the file was written in with --tz`,
      );
    }
  }
  return { times, style: { ...data.style, zone }, notes, warnings: [] };
}

/** Naive local times of one zone → instants, resolving repeated hours in each series' file order. */
function localTimes(data: TimeColumnData, groups: { rows: Uint32Array | null }[], clock: Clock, zone: string, context: InstantContext): Instants {
  const { values } = data;
  const times = new Float64Array(values.length); // (rows)
  let firstGap = -1;
  let gaps = 0;
  let repeats = 0;
  for (const { rows } of groups) {
    const count = rows === null ? values.length : rows.length;
    const row = (k: number): number => (rows === null ? k : rows[k]!);
    const ascending = count < 2 || values[row(count - 1)]! >= values[row(0)]!;
    let previous = NaN;
    for (let k = 0; k < count; k++) {
      const r = row(k);
      let time = clock.fromLocal(values[r]!);
      if (clock.lastFold === 'gap') {
        gaps++;
        if (firstGap < 0) firstGap = r;
      } else if (clock.lastFold === 'repeat') {
        const later = clock.fromLocal(values[r]!, true);
        const earlier = time;
        // The second sighting of a repeated wall-clock time is the later instant (the earlier, read backwards).
        if (ascending) time = earlier <= previous && later > previous ? later : earlier;
        else time = later >= previous && earlier < previous ? earlier : later;
        if (time === later) repeats++;
      }
      times[r] = time;
      previous = time;
    }
  }
  const notes: string[] = [];
  if (gaps > 0) {
    notes.push(
      `${gaps} time${gaps === 1 ? '' : 's'} in '${context.column}' fell in a daylight-saving gap of ${zone} (first on line ${context.lines[firstGap]}): ` +
        'moved forward by the gap, as the clocks were (02:30 reads as 03:30 when 02:00 jumps to 03:00)',
    );
  }
  if (repeats > 0) notes.push(`${repeats} time${repeats === 1 ? '' : 's'} in '${context.column}' repeated an hour when ${zone}'s clocks went back: read in file order, the second as the later`);
  return { times, style: { ...data.style, zone }, notes, warnings: [] };
}
