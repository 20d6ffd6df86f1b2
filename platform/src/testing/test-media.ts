/*
 * Media made by ffmpeg from its test sources at run time (a moving pattern, a tone), so nothing
 * that needs a clip carries one: tests, benchmarks and the demo titles of a fresh platform.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ffmpeg = (args: readonly string[]) =>
  run(process.env.FFMPEG_PATH ?? 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

export type ClipOptions = {
  seconds: number;
  /** The picture's size, e.g. `640x360`; without one the clip is sound only. */
  size?: string;
  /** ffmpeg's lavfi video source: `testsrc2` unless said (`smptehdbars`, `mandelbrot`…). */
  pattern?: string;
  /** 25 unless said. */
  frameRate?: number;
  /** The tone's pitch in Hz, 440 unless said; `null` for a clip without sound. */
  toneHz?: number | null;
  /** The tone's sample rate in Hz; ffmpeg's default (44100) unless said. */
  sampleRate?: number;
  /** The x264 preset: `ultrafast` unless said. */
  preset?: string;
};

/** The ffmpeg arguments for a clip, without the output path. */
export const clipArguments = (options: ClipOptions): string[] => {
  const { size, toneHz = 440 } = options;
  if (!size && toneHz === null) throw new Error('a clip needs a picture (size) or a sound (toneHz)');
  const tone =
    toneHz === null ? '' : `sine=frequency=${toneHz}${options.sampleRate ? `:sample_rate=${options.sampleRate}` : ''}`;
  const pattern = `${options.pattern ?? 'testsrc2'}=size=${size}:rate=${options.frameRate ?? 25}`;
  return [
    ...(size ? ['-f', 'lavfi', '-i', pattern] : []),
    ...(tone ? ['-f', 'lavfi', '-i', tone] : []),
    ...['-t', String(options.seconds)],
    ...(size ? ['-c:v', 'libx264', '-preset', options.preset ?? 'ultrafast', '-pix_fmt', 'yuv420p'] : []),
    ...(tone ? ['-c:a', 'aac'] : []),
  ];
};

/** Writes a clip (H.264 and AAC, in the container the path's extension names) and gives its path. */
export const makeClip = async (path: string, options: ClipOptions) => {
  await ffmpeg([...clipArguments(options), path]);
  return path;
};

/** Writes one still picture of the test pattern (PNG, JPEG… by the path's extension) and gives its path. */
export const makePicture = async (path: string, options: { size: string }) => {
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${options.size}`, '-frames:v', '1', path]);
  return path;
};
