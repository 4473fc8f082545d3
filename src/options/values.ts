// Parsers for flag values that have a syntax of their own. They throw ValueProblem; readFlag
// turns that into one usage error naming the flag, the value and where it came from.
import type { Shard } from '../data/shard.js';
import { canonicalZone } from '../data/zone.js';
import { ValueProblem } from './spec.js';

/** More shards than this is surely a typo. */
export const MAX_SHARDS = 100_000;

/** '--delimiter': one character; 'tab' (any case) and '\t' mean a tab. */
export function parseDelimiter(value: string): string {
  if (value === '\\t' || value.toLowerCase() === 'tab') return '\t';
  if (value.length !== 1 || value === '"' || value === '\n' || value === '\r') {
    throw new ValueProblem("expected one character other than a quote or a line end (e.g. ',', ';', tab)");
  }
  return value;
}

/** '--tz': an IANA zone Node knows, in its canonical spelling ('europe/berlin' → 'Europe/Berlin'). */
export function parseZone(value: string): string {
  const zone = canonicalZone(value);
  if (zone === null) throw new ValueProblem('expected an IANA time zone Node knows (e.g. Europe/Berlin, America/New_York, UTC)');
  return zone;
}

/** '--lock-timeout': 0 (do not wait) or a duration, as --max-time takes it. */
export function parseWait(text: string): number {
  return /^\s*0+(\.0*)?\s*s?\s*$/i.test(text) ? 0 : parseDuration(text);
}

/**
 * '--level': "80,95" → [80, 95] (ascending, duplicates dropped, so the lower_/upper_ columns
 * always come in the same order); "none" → []. Each level is a percent in (0, 100).
 */
export function parseLevels(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'none') return [];
  const levels: number[] = [];
  for (const part of trimmed.split(',')) {
    const item = part.trim();
    const given = item.endsWith('%') ? item.slice(0, -1).trim() : item;
    const number = given === '' ? NaN : Number(given);
    // A share below 1 (0.9, as scipy and darts write levels) means that many percent: 90.
    const level = !item.endsWith('%') && number > 0 && number < 1 ? Number((number * 100).toPrecision(12)) : number;
    if (!(level > 0 && level < 100)) {
      throw new ValueProblem(`'${item}' is not a level; give percents between 0 and 100 (80,95) or shares below 1 (0.8,0.95), or none`);
    }
    levels.push(level);
  }
  return [...new Set(levels)].sort((a, b) => a - b);
}

/** '--max-time': '90s', '10m', '1h30m', '2h', or plain seconds → seconds (above 0). */
export function parseDuration(text: string): number {
  const trimmed = text.trim().toLowerCase();
  let seconds = Number.NaN;
  if (/^\d+(\.\d+)?$/.test(trimmed)) seconds = Number(trimmed);
  else {
    const parts = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(trimmed);
    if (parts !== null && trimmed !== '') seconds = Number(parts[1] ?? 0) * 3600 + Number(parts[2] ?? 0) * 60 + Number(parts[3] ?? 0);
  }
  if (!(seconds > 0 && seconds <= 1e7)) throw new ValueProblem('expected a duration above 0, such as 90s, 10m or 1h30m');
  return seconds;
}

/** '--shard': "i/n" with 1 ≤ i ≤ n, both whole numbers; shards are numbered from 1. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!(count >= 1 && count <= MAX_SHARDS && index >= 1 && index <= count)) {
    throw new ValueProblem(`expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS}, e.g. 1/4 (shards are numbered from 1)`);
  }
  return { index, count };
}
