/*
 * Where two fingerprints share audio: the shift between them and the longest stretch of frames
 * that agree at that shift. Pure; fingerprints are chromaprint's 32-bit values, one per frame.
 *
 * Single frames of the same audio differ in several bits (it rarely starts on the same sample),
 * and unrelated frames differ in 16 on average, so frames are judged by the mean over a short
 * window: a stretch is the frames whose centred window's mean error is under the threshold.
 */

export type AlignmentOptions = {
  /** A window of frames agrees when its frames differ in at most this many of their 32 bits on average. */
  maxMeanBitErrors: number;
  /** Frames per window (8 ≈ one second). */
  windowFrames: number;
};

export const defaultAlignmentOptions: AlignmentOptions = { maxMeanBitErrors: 10, windowFrames: 8 };

/** A stretch of `frames` frames from `startA` in `a` that agrees with the one from `startB` in `b`. */
export type SharedRun = { startA: number; startB: number; frames: number };

export const bitErrors = (x: number, y: number): number => {
  let v = (x ^ y) >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/** The longest stretch `a` and `b` share at one shift (`b[i + shift]` against `a[i]`), or null. */
export const longestRunAt = (
  a: Uint32Array,
  b: Uint32Array,
  shift: number,
  options: AlignmentOptions = defaultAlignmentOptions,
): SharedRun | null => {
  const { windowFrames, maxMeanBitErrors } = options;
  const from = Math.max(0, -shift);
  const to = Math.min(a.length, b.length - shift);
  const length = Math.max(0, to - from);
  // Running sums of the errors, so each frame's window mean costs two lookups.
  const sums = new Uint32Array(length + 1);
  for (let i = 0; i < length; i++)
    sums[i + 1] = (sums[i] as number) + bitErrors(a[from + i] as number, b[from + i + shift] as number);
  // A frame agrees when the window centred on it does (cut short at either end).
  const before = Math.floor(windowFrames / 2);
  const agrees = (k: number) => {
    const low = Math.max(0, k - before);
    const high = Math.min(length, low + windowFrames);
    return (sums[high] as number) - (sums[low] as number) <= maxMeanBitErrors * (high - low);
  };
  let best: SharedRun | null = null;
  let start = -1;
  for (let k = 0; k <= length; k++) {
    if (k < length && agrees(k)) {
      if (start < 0) start = k;
      continue;
    }
    if (start >= 0 && (!best || k - start > best.frames))
      best = { startA: from + start, startB: from + start + shift, frames: k - start };
    start = -1;
  }
  return best;
};

/** The longest stretch `a` and `b` share at any shift (every one is tried). */
export const longestSharedRun = (
  a: Uint32Array,
  b: Uint32Array,
  options: AlignmentOptions = defaultAlignmentOptions,
): SharedRun | null => {
  let best: SharedRun | null = null;
  for (let shift = -(a.length - 1); shift < b.length; shift++) {
    const run = longestRunAt(a, b, shift, options);
    if (run && (!best || run.frames > best.frames)) best = run;
  }
  return best;
};
