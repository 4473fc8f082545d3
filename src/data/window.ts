// Windows over one series and the time-ordered train/validation split. A window is named by its
// origin T, the index of its first target: it reads inputs [T - B, T) and targets [T, T + H).
// Windows are never copied: batches are gathered from the series (src/train/batch.ts), so memory
// stays linear in the data however many windows overlap.
//
// Sizes: N points of a series, B lookback, H horizon, W windows (stride 1).

/** The first origin a series allows: the lookback must fit, and the baseline must reach back `baselineReach` points. */
export function firstOrigin(lookback: number, baselineReach: number): number {
  return Math.max(lookback, baselineReach);
}

/** W: how many stride-1 windows a series of `length` points gives (0 when too short). */
export function windowCount(length: number, first: number, horizon: number): number {
  return Math.max(0, length - horizon - first + 1);
}

/** How the W windows of one series are split, in time order: train, gap (dropped), val. */
export interface WindowSplit {
  windows: number;
  /** Windows 0 .. train-1. */
  train: number;
  /** Dropped so that every training target comes before the first validation target. */
  gap: number;
  /** The last `val` windows. */
  val: number;
}

/**
 * The most recent round(valSize * W) windows (at least 1 when valSize > 0) are validation. The
 * last training window must end before the first validation target, so the H - 1 windows in
 * between, whose targets overlap the validation targets, are dropped.
 */
export function splitWindows(windows: number, horizon: number, valSize: number): WindowSplit {
  if (windows <= 0) return { windows: 0, train: 0, gap: 0, val: 0 };
  const val = valSize > 0 ? Math.min(windows, Math.max(1, Math.round(valSize * windows))) : 0;
  const gap = val > 0 ? Math.min(horizon - 1, windows - val) : 0;
  return { windows, train: windows - val - gap, gap, val };
}

/** The fewest windows that give at least one training window, and one validation window too when valSize > 0. */
export function minimumWindows(horizon: number, valSize: number): number {
  if (!(valSize >= 0 && valSize < 1)) throw new RangeError(`valSize ${valSize} outside [0, 1)`);
  // train >= 1 needs W >= val + H, and val grows with W, so search upwards; W stays near H / (1 - valSize).
  for (let windows = 1; ; windows++) {
    const split = splitWindows(windows, horizon, valSize);
    if (split.train >= 1 && (valSize <= 0 || split.val >= 1)) return windows;
  }
}

/** The fewest points a series needs to train: minimumWindows stride-1 windows after the first origin. */
export function minimumLength(first: number, horizon: number, valSize: number): number {
  return first + horizon - 1 + minimumWindows(horizon, valSize);
}
