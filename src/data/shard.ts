// --shard i/n: the part of a panel this run handles. A series belongs to shard
// 1 + (first 8 bytes of sha256(UTF-8 id), as an unsigned big-endian integer) mod n, so n runs on n
// machines split a panel with no coordination, whatever the row order, and anyone can compute
// the split in another language. A file without --id is one series: shard 1 takes it.
import { createHash } from 'node:crypto';
import type { Dataset } from './types.js';

/** Shard `index` of `count`, numbered from 1 (as Jest and Playwright number theirs). */
export interface Shard {
  index: number;
  count: number;
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The shard (1..count) a series id belongs to. */
export function shardOfId(id: string, count: number): number {
  const digest = createHash('sha256').update(id, 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count)) + 1;
}

export interface ShardSelection {
  /** The dataset holding only this shard's series, in file order; none when the shard is empty. */
  dataset: Dataset;
  /** What the run holds, for a note: "shard 2/4: 3 of 12 series (by a hash of the 'store' value)". */
  note: string;
  /** Set when no series fell to this shard: the command writes an empty output and exits 0. */
  emptyWarning?: string;
}

/** One series, not a panel: shard 1 takes it whole, every other shard is empty. */
function isSingleSeries(dataset: Dataset): boolean {
  return dataset.idColumn === null && !dataset.wide;
}

export function selectShard(dataset: Dataset, shard: Shard): ShardSelection {
  const label = shardLabel(shard);
  if (isSingleSeries(dataset)) {
    if (shard.index === 1) return { dataset, note: `shard ${label}: the file is one series (no --id); shard 1 takes it` };
    const why = `shard ${label}: the file is one series (no --id), taken by shard 1; nothing to do here`;
    return { dataset: { ...dataset, series: [] }, note: why, emptyWarning: why };
  }
  const series = dataset.series.filter((one) => shardOfId(one.id, shard.count) === shard.index);
  const by = dataset.idColumn === null ? 'a hash of the column name' : `a hash of the '${dataset.idColumn}' value`;
  const note = `shard ${label}: ${series.length} of ${dataset.series.length} series (by ${by})`;
  if (series.length > 0) return { dataset: { ...dataset, series, shard }, note };
  return { dataset: { ...dataset, series }, note, emptyWarning: `shard ${label}: none of the ${dataset.series.length} series falls to this shard; nothing to do here` };
}
