// Clocks: how the instants we compute with (epoch ms, UTC) map to the wall clock the input was
// written in, and back. A fixed offset (or none, UTC) is one number; an IANA zone (--tz, or found
// from offsets that change at daylight saving) takes its offsets from Intl's time zone data,
// cached per day, since a million rows touch only a few thousand days.
import { DAY, MINUTE, SECOND } from './calendar.js';

/** What the last Clock.fromLocal met: an ordinary time, one of a repeated hour, or one inside a gap. */
export type Fold = 'none' | 'repeat' | 'gap';

export interface Clock {
  /** IANA name, or null for a fixed offset. */
  readonly zone: string | null;
  /** Milliseconds the wall clock is ahead of UTC at `instant`. */
  offsetAt(instant: number): number;
  /** The wall-clock time at `instant`, as ms since 1970-01-01T00:00 on that clock. */
  toLocal(instant: number): number;
  /**
   * The instant a wall-clock time names. In a repeated hour (clocks set back) `later` picks the
   * second of the two; in a gap (clocks set forward) the time is moved forward by the gap's
   * length, as Temporal's and java.time's 'compatible' rule does. `lastFold` tells which.
   */
  fromLocal(local: number, later?: boolean): number;
  lastFold: Fold;
}

class FixedClock implements Clock {
  readonly zone = null;
  lastFold: Fold = 'none';
  constructor(private readonly offset: number) {}
  offsetAt(): number {
    return this.offset;
  }
  toLocal(instant: number): number {
    return instant + this.offset;
  }
  fromLocal(local: number): number {
    return local - this.offset;
  }
}

const fixedClocks = new Map<number, FixedClock>();

/** The clock of a constant UTC offset (minutes); 0 is UTC. */
export function fixedClock(offsetMinutes: number): Clock {
  let clock = fixedClocks.get(offsetMinutes);
  if (clock === undefined) {
    clock = new FixedClock(offsetMinutes * MINUTE);
    fixedClocks.set(offsetMinutes, clock);
  }
  return clock;
}

/** 'GMT', 'GMT+01:00', 'GMT-07:52:58' → ms. */
function parseGmtOffset(text: string): number {
  const match = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (match === null) throw new Error(`unexpected time zone offset '${text}' from Intl`);
  if (match[1] === undefined) return 0;
  const size = Number(match[2]) * 60 * MINUTE + Number(match[3]) * MINUTE + Number(match[4] ?? 0) * SECOND;
  return match[1] === '-' ? -size : size;
}

class ZoneClock implements Clock {
  lastFold: Fold = 'none';
  private readonly format: Intl.DateTimeFormat;
  /** day number → offset at 00:00 UTC of that day. */
  private readonly dayStart = new Map<number, number>();
  /** day number → instant of the change inside that day. */
  private readonly changes = new Map<number, number>();

  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset', year: 'numeric' });
  }

  private rawOffset(instant: number): number {
    for (const part of this.format.formatToParts(instant)) if (part.type === 'timeZoneName') return parseGmtOffset(part.value);
    return 0;
  }

  private startOffset(day: number): number {
    let offset = this.dayStart.get(day);
    if (offset === undefined) {
      offset = this.rawOffset(day * DAY);
      this.dayStart.set(day, offset);
    }
    return offset;
  }

  /** The first second of the day at which the offset is `after` (zones change at most once a day). */
  private changeIn(day: number, after: number): number {
    let at = this.changes.get(day);
    if (at === undefined) {
      let low = day * DAY; // offset before the change
      let high = low + DAY; // offset `after`
      while (high - low > SECOND) {
        const middle = low + Math.floor((high - low) / 2 / SECOND) * SECOND;
        if (this.rawOffset(middle) === after) high = middle;
        else low = middle;
      }
      at = high;
      this.changes.set(day, at);
    }
    return at;
  }

  offsetAt(instant: number): number {
    const day = Math.floor(instant / DAY);
    const start = this.startOffset(day);
    const end = this.startOffset(day + 1);
    if (start === end) return start;
    return instant < this.changeIn(day, end) ? start : end;
  }

  toLocal(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  fromLocal(local: number, later = false): number {
    // Offsets a day either side bracket any change near this wall-clock time.
    const before = this.offsetAt(local - DAY);
    const after = this.offsetAt(local + DAY);
    const first = local - before;
    const second = local - after;
    const firstFits = this.offsetAt(first) === before;
    const secondFits = this.offsetAt(second) === after;
    if (firstFits && secondFits && first !== second) {
      this.lastFold = 'repeat';
      return later ? Math.max(first, second) : Math.min(first, second);
    }
    if (firstFits || secondFits) {
      this.lastFold = 'none';
      return firstFits ? first : second;
    }
    this.lastFold = 'gap';
    return first; // read with the offset before the jump: lands after it, shifted by the gap
  }
}

const zoneClocks = new Map<string, ZoneClock>();

/** The canonical spelling of an IANA zone name ('europe/berlin' → 'Europe/Berlin'), or null if Intl does not know it. */
export function canonicalZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The clock of an IANA zone; `name` must be one Intl knows (see canonicalZone). */
export function zoneClock(name: string): Clock {
  let clock = zoneClocks.get(name);
  if (clock === undefined) {
    clock = new ZoneClock(name);
    zoneClocks.set(name, clock);
  }
  return clock;
}

/** Clock of a time style: its zone when it has one, else its fixed offset (none: UTC). */
export function clockOf(style: { zone?: string | null; offsetMinutes: number | null }): Clock {
  return style.zone ? zoneClock(style.zone) : fixedClock(style.offsetMinutes ?? 0);
}

/** Zones named first when several fit the same offsets: the ones most exports come from. */
const PREFERRED_ZONES = [
  'Europe/London', 'Europe/Dublin', 'Europe/Lisbon', 'Europe/Paris', 'Europe/Berlin', 'Europe/Madrid', 'Europe/Rome',
  'Europe/Amsterdam', 'Europe/Brussels', 'Europe/Vienna', 'Europe/Zurich', 'Europe/Stockholm', 'Europe/Oslo',
  'Europe/Copenhagen', 'Europe/Warsaw', 'Europe/Prague', 'Europe/Budapest', 'Europe/Athens', 'Europe/Helsinki',
  'Europe/Bucharest', 'Europe/Kiev', 'Europe/Kyiv', 'America/New_York', 'America/Chicago', 'America/Denver',
  'America/Los_Angeles', 'America/Anchorage', 'America/Toronto', 'America/Vancouver', 'America/Halifax',
  'America/St_Johns', 'America/Mexico_City', 'America/Sao_Paulo', 'America/Santiago', 'Australia/Sydney',
  'Australia/Melbourne', 'Australia/Adelaide', 'Australia/Hobart', 'Pacific/Auckland', 'Asia/Jerusalem', 'Asia/Tehran',
];

export interface ZoneMatch {
  zone: string;
  /** How many other zones fit the same offsets. */
  others: number;
}

/**
 * The IANA zone whose offsets agree with every (instant, offset) given, for times written with
 * offsets that change (daylight saving); null when none does. Preferred names first, then A–Z.
 */
export function inferZone(points: { instant: number; offset: number }[]): ZoneMatch | null {
  if (points.length === 0) return null;
  const names = Intl.supportedValuesOf('timeZone');
  const fitting = names.filter((name) => {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset', year: 'numeric' });
    return points.every(({ instant, offset }) => {
      const part = format.formatToParts(instant).find((p) => p.type === 'timeZoneName');
      return part !== undefined && parseGmtOffset(part.value) === offset;
    });
  });
  if (fitting.length === 0) return null;
  const preferred = PREFERRED_ZONES.find((name) => fitting.includes(name));
  return { zone: preferred ?? fitting[0]!, others: fitting.length - 1 };
}

/** '+01:00', '-07:00', '+05:45' for an offset in ms (seconds, if any, dropped). */
export function describeOffset(offset: number): string {
  const minutes = Math.round(offset / MINUTE);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
