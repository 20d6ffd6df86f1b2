/*
 * Where the viewer is in the title, as heartbeats and the stop report it: to a tenth of a second,
 * never past the title's length, and the resume point until the first frame shows.
 */

export type PositionInput = {
  /** Whether the first frame has shown: before it, the video is not where the viewer is yet. */
  firstFrameShown: boolean;
  resumeFromSeconds: number;
  /** The video element's currentTime and duration (either may be NaN). */
  currentTime: number;
  mediaDuration: number;
  /** The title's length from the catalog, which wins over the media's. */
  titleDurationSeconds: number | null;
};

export const playbackPosition = (input: PositionInput): number => {
  if (!input.firstFrameShown) return input.resumeFromSeconds;
  const limit =
    input.titleDurationSeconds ??
    (Number.isFinite(input.mediaDuration) ? input.mediaDuration : Number.POSITIVE_INFINITY);
  const seconds = Number.isFinite(input.currentTime) ? Math.min(input.currentTime, limit) : 0;
  return Math.max(0, Math.floor(seconds * 10) / 10);
};
