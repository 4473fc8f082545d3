// forecast -m: how far the data has run past what the model saw. For each series the model knows,
// the periods (at the data's frequency) between the model's last training time of that series
// (data.series[].lastTime, written in the input's style) and the series' last time in the data.
// The model's age is the largest of them. `rnncast update` reads the same positions to know what is new.
import type { Dataset, Series } from '../data/types.js';
import { formatTime, stepsBetween } from '../data/time.js';
import { clockOf } from '../data/zone.js';
import type { ModelFile, ModelSeries } from '../io/model-file.js';

export interface ModelAge {
  /** Periods from the model's last training time to the end of the data (the largest over series). */
  periods: number;
  /** The series with that age ('' for a single series). */
  series: string;
  /** Its last time in the model and in the data, in the input's style. */
  modelLastTime: string;
  dataLastTime: string;
}

export interface Staleness {
  /** null when no series' last training time could be found in the data. */
  age: ModelAge | null;
  /** --max-age, else one season of the model. */
  limit: number;
  stale: boolean;
  /** Series of the model whose last training time is not among the data's times (the data was cut, or ends earlier). */
  unplaced: string[];
}

/** The index of the point written as `time`, searched from the end (a model is usually a few periods old); -1 when absent. */
function indexOfTime(series: Series, time: string, dataset: Dataset): number {
  for (let index = series.times.length - 1; index >= 0; index--) {
    if (formatTime(series.times[index]!, dataset.timeStyle) === time) return index;
  }
  return -1;
}

/** Where a series of the data stands against the model. */
export interface SeriesProgress {
  /** Its position in Dataset.series. */
  index: number;
  /** The model's record of it; undefined for a series the model never saw. */
  stored: ModelSeries | undefined;
  /** The index of the model's last training time in the data; -1 when it is not among the data's times. */
  seen: number;
}

/** Each series of the data (Dataset order) against the model's last training time of it. */
export function seriesProgress(model: ModelFile, dataset: Dataset): SeriesProgress[] {
  const byId = new Map(model.data.series.map((stored) => [stored.id, stored]));
  return dataset.series.map((series, index) => {
    const stored = byId.get(series.id);
    return { index, stored, seen: stored === undefined ? -1 : indexOfTime(series, stored.lastTime, dataset) };
  });
}

export function staleness(model: ModelFile, dataset: Dataset, maxAge: number | undefined): Staleness {
  const limit = maxAge ?? model.data.season;
  const clock = clockOf(dataset.timeStyle);
  let age: ModelAge | null = null;
  const unplaced: string[] = [];
  for (const { index, stored, seen } of seriesProgress(model, dataset)) {
    const series = dataset.series[index]!;
    if (stored === undefined || series.times.length === 0) continue; // new to the model: nothing to be late about
    if (seen < 0) {
      unplaced.push(stored.id);
      continue;
    }
    const last = series.times[series.times.length - 1]!;
    const steps = stepsBetween(series.times[seen]!, last, dataset.freq, clock);
    const periods = Number.isFinite(steps) ? steps : series.times.length - 1 - seen;
    if (age === null || periods > age.periods) {
      age = { periods, series: stored.id, modelLastTime: stored.lastTime, dataLastTime: formatTime(last, dataset.timeStyle) };
    }
  }
  // A model that cannot be placed in the data at all cannot be shown fresh.
  const stale = age === null ? unplaced.length > 0 : age.periods > limit;
  return { age, limit, stale, unplaced };
}

/** One line for the warning or the --strict error: how far past, from when to when, and the limit. */
export function describeStaleness(result: Staleness, modelPath: string, maxAgeGiven: boolean): string {
  const limit = maxAgeGiven ? `--max-age ${result.limit}` : `the limit is one season, ${result.limit} period${result.limit === 1 ? '' : 's'}; --max-age N sets another`;
  if (result.age === null) {
    const names = result.unplaced.slice(0, 3).map((id) => (id === '' ? 'the series' : `'${id}'`)).join(', ');
    return `${modelPath}: cannot tell how far the data has run past the model: the last training time of ${names} is not among the data's times (${limit})`;
  }
  const { periods, series, modelLastTime, dataLastTime } = result.age;
  const which = series === '' ? '' : ` (series '${series}')`;
  return `${modelPath} is ${periods} period${periods === 1 ? '' : 's'} behind the data${which}: trained up to ${modelLastTime}, the data ends ${dataLastTime} (${limit})`;
}
