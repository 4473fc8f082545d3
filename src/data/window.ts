// Sliding windows over one (transformed) series and the time-ordered train/validation split.
//
// Sizes: L points of a transformed series, B lookback, H horizon, I inputs per step (target +
// features), W = L - B - H + 1 windows (stride 1). Window s reads inputs [s, s+B) and targets
// [s+B, s+B+H).

/** Windows of a set, stored flat so batches are slices and nothing is allocated per window. */
export interface WindowSet {
  /** N windows. */
  count: number;
  /** I = 1 + features. */
  inputSize: number;
  /** (N, B, I) scaled, transformed inputs, [target, ...features] at each step. */
  inputs: Float32Array;
  /** (N, H) scaled, transformed target. */
  targets: Float32Array;
  /** (N, H) 1 = real target, 0 = invented by --fill (never in the loss). */
  mask: Uint8Array;
  /** (N) which series (index into Dataset.series). */
  seriesIndex: Uint32Array;
  /** (N) index in the transformed series of the first target step. */
  targetStart: Uint32Array;
}

export function allocWindowSet(count: number, lookback: number, horizon: number, inputSize: number): WindowSet {
  return {
    count,
    inputSize,
    inputs: new Float32Array(count * lookback * inputSize),
    targets: new Float32Array(count * horizon),
    mask: new Uint8Array(count * horizon),
    seriesIndex: new Uint32Array(count),
    targetStart: new Uint32Array(count),
  };
}

/** W: how many stride-1 windows a series of `length` points gives (0 when too short). */
export function windowCount(length: number, lookback: number, horizon: number): number {
  return Math.max(0, length - lookback - horizon + 1);
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

/**
 * The fewest transformed points that give at least one training window, and at least one
 * validation window too when valSize > 0.
 */
export function minimumTransformedLength(lookback: number, horizon: number, valSize: number): number {
  if (!(valSize >= 0 && valSize < 1)) throw new RangeError(`valSize ${valSize} outside [0, 1)`);
  // train >= 1 needs W >= val + H, and val grows with W, so search upwards; W stays near H / (1 - valSize).
  for (let windows = 1; ; windows++) {
    const split = splitWindows(windows, horizon, valSize);
    if (split.train >= 1 && (valSize <= 0 || split.val >= 1)) return windows + lookback + horizon - 1;
  }
}
