// Generated panels for the scale bench, written as long-format CSV (id,time,value), deterministic:
// - hourly: 400 series of 960–1,040 points ending on the same hour, a daily and a weekly pattern
//   with AR(1) noise, each series with its own level, scale and daily phase;
// - monthly: 10,000 series of 100–300 points ending in the same month, a trend and a yearly
//   season with noise, each series with its own level, growth and seasonal shape.
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';

const HOUR = 3_600_000;

/** mulberry32: small, fast, and the same numbers on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function normal(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Lines are gathered in blocks and written with back-pressure, so memory stays flat. */
async function writeLines(path: string, header: string, produce: (emit: (line: string) => Promise<void>) => Promise<void>): Promise<number> {
  const out: WriteStream = createWriteStream(path);
  let block: string[] = [header];
  let rows = 0;
  const flush = async (): Promise<void> => {
    if (!out.write(`${block.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    block = [];
  };
  await produce(async (line) => {
    block.push(line);
    rows++;
    if (block.length >= 10_000) await flush();
  });
  if (block.length > 0) await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return rows;
}

export interface PanelFile {
  path: string;
  series: number;
  rows: number;
  /** Flags the file needs. */
  flags: string[];
}

export async function writeHourlyPanel(path: string, seriesCount = 400): Promise<PanelFile> {
  const uniform = random(400);
  const end = Date.UTC(2024, 5, 30, 23);
  const rows = await writeLines(path, 'sensor,time,load', async (emit) => {
    for (let s = 0; s < seriesCount; s++) {
      const length = 960 + Math.floor(uniform() * 81);
      const level = 50 + 450 * uniform();
      const scale = level * (0.05 + 0.25 * uniform());
      const phase = Math.floor(uniform() * 6);
      const weekend = 0.6 + 0.5 * uniform();
      let noise = 0;
      for (let t = 0; t < length; t++) {
        const time = end - (length - 1 - t) * HOUR;
        const date = new Date(time);
        const hour = (date.getUTCHours() + phase) % 24;
        const day = date.getUTCDay();
        const daily = Math.sin((2 * Math.PI * (hour - 6)) / 24) + 0.4 * Math.sin((4 * Math.PI * hour) / 24);
        const weekly = day === 0 || day === 6 ? weekend : 1;
        noise = 0.6 * noise + 0.4 * normal(uniform);
        const value = weekly * (level + scale * daily) + 0.3 * scale * noise;
        await emit(`H${String(s).padStart(3, '0')},${date.toISOString().slice(0, 19)},${value.toFixed(2)}`);
      }
    }
  });
  return { path, series: seriesCount, rows, flags: ['--id', 'sensor'] };
}

export async function writeMonthlyPanel(path: string, seriesCount = 10_000): Promise<PanelFile> {
  const uniform = random(10_000);
  const endMonth = 2024 * 12 + 11; // December 2024
  const rows = await writeLines(path, 'sku,month,units', async (emit) => {
    for (let s = 0; s < seriesCount; s++) {
      const length = 100 + Math.floor(uniform() * 201);
      const level = 20 + 2000 * uniform() ** 2;
      const growth = (uniform() - 0.3) * 0.01;
      const amplitude = 0.05 + 0.35 * uniform();
      const peak = Math.floor(uniform() * 12);
      const noiseShare = 0.02 + 0.1 * uniform();
      for (let t = 0; t < length; t++) {
        const month = endMonth - (length - 1 - t);
        const season = Math.cos((2 * Math.PI * ((month % 12) - peak)) / 12);
        const value = Math.max(0, level * (1 + growth * t) * (1 + amplitude * season) * (1 + noiseShare * normal(uniform)));
        await emit(`S${String(s).padStart(5, '0')},${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')},${value.toFixed(1)}`);
      }
    }
  });
  return { path, series: seriesCount, rows, flags: ['--id', 'sku'] };
}
