import type { EncodingProgress } from '@marquee/platform';

/*
 * ffmpeg's own progress line ("frame= 150 fps= 48 … time=00:00:06.01 … speed=1.9x") as the
 * figures a job reports. fluent-ffmpeg's 'progress' event drops the speed and spawns an extra
 * ffprobe for the duration, which the encode already knows, so the line is read here instead.
 */

const timePattern = /time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
const fpsPattern = /fps=\s*(\d+(?:\.\d+)?)/;
const speedPattern = /speed=\s*(\d+(?:\.\d+)?)x/;

export const isProgressLine = (line: string): boolean => /^\s*(frame|size)=/.test(line);

/** The progress a line reports, or undefined if it is not a progress line with a time yet. */
export const parseProgressLine = (line: string, durationSeconds: number): EncodingProgress | undefined => {
  if (!isProgressLine(line)) return undefined;
  const time = timePattern.exec(line);
  if (!time) return undefined;
  const seconds = Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3]);
  const fps = Number(fpsPattern.exec(line)?.[1] ?? 0);
  const speed = Number(speedPattern.exec(line)?.[1] ?? 0);
  const remaining = Math.max(0, durationSeconds - seconds);
  return {
    percent: Math.min(100, Math.max(0, (seconds / durationSeconds) * 100)),
    fps,
    speed,
    etaSeconds: speed > 0 ? remaining / speed : null,
  };
};
