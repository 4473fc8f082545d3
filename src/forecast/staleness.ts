// forecast -m: how far the data has run past what the model saw. For each series the model knows,
// the periods (at the data's frequency) between the model's last training time of that series
// (data.series[].lastTime, written in the input's style) and the series' last time in the data.
// The model's age is the largest of them.
import type { Dataset, Series } from '../data/types.js';
import { formatTime, stepsBetween } from '../data/time.js';
import { clockOf } from '../data/zone.js';
import type { ModelFile } from '../io/model-file.js';

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

export function staleness(model: ModelFile, dataset: Dataset, maxAge: number | undefined): Staleness {
  const limit = maxAge ?? model.data.season;
  const byId = new Map(dataset.series.map((series) => [series.id, series]));
  const clock = clockOf(dataset.timeStyle);
  let age: ModelAge | null = null;
  const unplaced: string[] = [];
  for (const known of model.data.series) {
    const series = byId.get(known.id);
    if (series === undefined || series.times.length === 0) continue; // gone from the data: nothing to be late about
    const index = indexOfTime(series, known.lastTime, dataset);
    if (index < 0) {
      unplaced.push(known.id);
      continue;
    }
    const last = series.times[series.times.length - 1]!;
    const steps = stepsBetween(series.times[index]!, last, dataset.freq, clock);
    const periods = Number.isFinite(steps) ? steps : series.times.length - 1 - index;
    if (age === null || periods > age.periods) {
      age = { periods, series: known.id, modelLastTime: known.lastTime, dataLastTime: formatTime(last, dataset.timeStyle) };
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
